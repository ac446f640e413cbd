package org.airshard.planner.aircomp.sdp;

import java.util.List;

import org.ejml.data.ZMatrixRMaj;

/**
 * Outcome of {@link SdrSolver#solve}.
 *
 * @param status          how the solve ended
 * @param value           the SDR's optimal value {@code min tr X} (primal objective at the returned point);
 *                        NaN when {@link SdpStatus#INFEASIBLE}
 * @param dualValue       {@code Σ_n tr Z_n} at the returned point (a lower bound when dual feasible)
 * @param relativeGap     {@code |value − dualValue| / (1 + |value| + |dualValue|)}
 * @param infeasibility   largest relative primal/dual residual
 * @param iterations      interior-point iterations done
 * @param x               {@code X} (N_r × N_r Hermitian PSD), or null when infeasible
 * @param z               the dual blocks {@code Z_n} (N_t × N_t), or empty when infeasible
 * @param solveNanos      wall time spent in the solver
 */
public record SdpResult(SdpStatus status, double value, double dualValue, double relativeGap, double infeasibility,
        int iterations, ZMatrixRMaj x, List<ZMatrixRMaj> z, long solveNanos) {
}
