package org.airshard.planner.optimize;

import java.util.Arrays;

/**
 * E[MSE] over channel samples with a 95 % confidence half-width (normal approximation, 1.96·s/√K).
 *
 * @param mean    sample mean of the per-realisation MSE (per L-symbol vector)
 * @param ci95    half-width of the 95 % confidence interval
 * @param samples K
 */
public record MseEstimate(double mean, double ci95, int samples) {

    public static MseEstimate of(double[] values) {
        int k = values.length;
        double mean = Arrays.stream(values).average().orElse(Double.NaN);
        double var = 0;
        for (double v : values) {
            var += (v - mean) * (v - mean);
        }
        var = k > 1 ? var / (k - 1) : 0;
        return new MseEstimate(mean, 1.96 * Math.sqrt(var / k), k);
    }
}
