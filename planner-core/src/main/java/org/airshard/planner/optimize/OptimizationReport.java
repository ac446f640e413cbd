package org.airshard.planner.optimize;

import java.util.List;
import org.airshard.planner.latency.TensorParallelEstimate;
import org.airshard.planner.plan.TensorShareRounding;

/**
 * Everything {@code airshard optimize} reports.
 *
 * @param ssca            the SSCA run (continuous shares, convergence curve, status)
 * @param rounded         shares rounded to whole KV groups and MLP columns
 * @param mseContinuous   AirComp E[MSE] at the continuous shares
 * @param mseRounded      AirComp E[MSE] at the rounded shares (what runs)
 * @param baselines       AirComp E[MSE] of the baseline shares, same samples
 * @param schemes         E[MSE] and latency per all-reduce scheme at the rounded shares
 * @param evaluationSeed  seed of the evaluation samples
 */
public record OptimizationReport(SscaResult ssca, TensorShareRounding.Rounded rounded, MseEstimate mseContinuous,
                                 MseEstimate mseRounded, List<BaselineMse> baselines, List<SchemeResult> schemes,
                                 long evaluationSeed) {

    /**
     * @param name   baseline id ({@code equal}, {@code compute-proportional})
     * @param shares its shares
     * @param mse    AirComp E[MSE]
     * @param latency per-token latency with AirComp
     */
    public record BaselineMse(String name, double[] shares, MseEstimate mse, TensorParallelEstimate latency) {
    }

    /**
     * @param latency per-token latency estimate
     * @param mse     E[MSE] of the all-reduce
     */
    public record SchemeResult(TensorParallelEstimate latency, MseEstimate mse) {
    }
}
