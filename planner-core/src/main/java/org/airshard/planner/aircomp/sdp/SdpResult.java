package org.airshard.planner.aircomp.sdp;

import java.util.List;

import org.ejml.data.ZMatrixRMaj;

/**
 * Outcome of {@link SdrSolver#solve}.
 *
 * @param status          how the solve ended
 * @param value           {@code tr x}, an upper bound on the SDR's optimum {@code min tr X} attained by the exactly
 *                        feasible {@code x}; NaN when {@link SdpStatus#INFEASIBLE}
 * @param dualValue       {@code Σ_n tr z_n}, a lower bound on the optimum (the {@code z_n} are exactly dual feasible)
 * @param relativeGap     certified relative gap {@code (value − dualValue) / value}: the optimum is within it
 * @param infeasibility   largest relative primal/dual residual of the last interior-point iterate (diagnostic)
 * @param iterations      interior-point iterations done
 * @param x               {@code X} (N_r × N_r Hermitian PSD), or null when infeasible
 * @param z               the dual blocks {@code Z_n} (N_t × N_t), or empty when infeasible
 * @param solveNanos      wall time spent in the solver
 * @param message         for NUMERICAL and INFEASIBLE, what went wrong; otherwise empty
 */
public record SdpResult(SdpStatus status, double value, double dualValue, double relativeGap, double infeasibility,
        int iterations, ZMatrixRMaj x, List<ZMatrixRMaj> z, long solveNanos, String message) {
}
