package org.airshard.planner.optimize;

import java.util.List;
import org.airshard.planner.solver.SolverStatus;

/**
 * The long-term optimizer's answer.
 *
 * @param status         OPTIMAL (converged by the window rule), ITERATION_LIMIT, TIME_LIMIT, CANCELLED, INFEASIBLE
 * @param shares         continuous m (device order)
 * @param iterations     iterations run
 * @param runningMse     convergence curve: running average of the per-sample MSE
 * @param boxes          the share boxes used
 * @param note           why INFEASIBLE, or remarks (e.g. the transmit-power cap binds everywhere)
 * @param millis         wall time of the SSCA loop, ms
 * @param fullDesigns    iterations whose short-term design was the full one (SDR + randomization + polish: the
 *                       first, every {@code anchorPeriod}th, and any warm start that fell back); the others were
 *                       warm-started polishes
 */
public record SscaResult(SolverStatus status, double[] shares, int iterations, List<Double> runningMse, ShareBoxes boxes,
                         String note, long millis, int fullDesigns) {

    /** The same run reporting other shares (the safeguard of {@link AircompOptimization}) with a note saying why. */
    public SscaResult withShares(double[] other, String why) {
        return new SscaResult(status, other.clone(), iterations, runningMse, boxes, note.isEmpty() ? why : note + "; " + why,
                millis, fullDesigns);
    }
}
