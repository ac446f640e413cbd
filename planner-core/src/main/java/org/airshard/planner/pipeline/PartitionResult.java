package org.airshard.planner.pipeline;

import java.util.List;
import org.airshard.planner.latency.PipelineEstimate;
import org.airshard.planner.solver.SolverStatus;

/**
 * The partitioner's answer.
 *
 * @param status             OPTIMAL when the search finished (exact ranges; ring order exact when
 *                           {@code exhaustiveRingSearch}), TIME_LIMIT / CANCELLED with the best ring so far,
 *                           INFEASIBLE when no ring of the devices can hold the model
 * @param best               the chosen ring, ranges and timing (null only when INFEASIBLE)
 * @param sequences          S the ring was optimised for
 * @param leftOut            devices not in the ring because they would slow it down or cannot hold a layer
 * @param exhaustiveRingSearch whether every subset and order of the devices was searched
 * @param ringsEvaluated     number of (subset, starter, order) combinations evaluated
 * @param baselines          other systems' partitions on the same topology
 * @param notes              readable remarks (heuristics used, devices left out and why)
 * @param solveMillis        wall time of the search, ms
 */
public record PartitionResult(
        SolverStatus status,
        PipelineEstimate best,
        int sequences,
        List<String> leftOut,
        boolean exhaustiveRingSearch,
        long ringsEvaluated,
        List<Baseline> baselines,
        List<String> notes,
        long solveMillis) {

    /** Tokens/s of the chosen ring at S, or 0 when infeasible. */
    public double tokensPerSecond() {
        return best == null ? 0 : best.tokensPerSecond(sequences);
    }

    /** Best feasible baseline's tokens/s at S, or 0 when none fits. */
    public double bestBaselineTokensPerSecond() {
        return baselines.stream().filter(Baseline::fits).mapToDouble(b -> b.estimate().tokensPerSecond(sequences))
                .max().orElse(0);
    }
}
