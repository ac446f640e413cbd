package org.airshard.planner.optimize;

/**
 * One SSCA iteration, for live convergence charts.
 *
 * @param iteration    τ (0-based)
 * @param sampleMse    σ²·α on this iteration's channel sample at m^τ
 * @param runningMse   running average of sampleMse over iterations 0..τ (the paper's convergence curve)
 * @param shares       m^{τ+1} (a copy)
 * @param elapsedMillis time since the start
 */
public record SscaProgress(int iteration, double sampleMse, double runningMse, double[] shares, long elapsedMillis) {
}
