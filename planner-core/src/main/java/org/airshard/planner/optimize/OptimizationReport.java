package org.airshard.planner.optimize;

import java.util.List;
import org.airshard.planner.latency.TensorParallelEstimate;
import org.airshard.planner.plan.TensorShareRounding;

/**
 * Everything {@code airshard optimize} reports.
 *
 * @param ssca            the SSCA run (convergence curve, status) with the shares returned: the SSCA iterate, or the
 *                        candidate the safeguard picked instead (then its note says so)
 * @param rounded         shares rounded to whole KV groups and MLP columns
 * @param mseContinuous   AirComp E[MSE] at the continuous shares
 * @param mseRounded      AirComp E[MSE] at the rounded shares (what runs)
 * @param baselines       AirComp E[MSE] of the baseline shares, same samples
 * @param schemes         E[MSE] and latency per all-reduce scheme at the rounded shares
 * @param evaluationSeed  seed of the evaluation samples
 * @param selection       which candidate the safeguard returned and how the others fared (null when not evaluated)
 */
public record OptimizationReport(SscaResult ssca, TensorShareRounding.Rounded rounded, MseEstimate mseContinuous,
                                 MseEstimate mseRounded, List<BaselineMse> baselines, List<SchemeResult> schemes,
                                 long evaluationSeed, Selection selection) {

    /**
     * The few-iteration safeguard (docs/model.md): the SSCA iterate and the in-box baseline shares are compared by the
     * E[MSE] of their rounded shares (what runs) on the same evaluation samples, and the best is returned.
     *
     * @param selected   {@code ssca}, or the name of the baseline returned instead ({@code start}, {@code equal},
     *                   {@code compute-proportional})
     * @param sscaShares the SSCA iterate (continuous)
     * @param candidates every candidate compared, the SSCA iterate first
     */
    public record Selection(String selected, double[] sscaShares, List<Candidate> candidates) {
    }

    /**
     * @param name          candidate id
     * @param shares        continuous shares
     * @param mseRounded    AirComp E[MSE] at its rounded shares
     */
    public record Candidate(String name, double[] shares, MseEstimate mseRounded) {
    }

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
