package org.airshard.planner.aircomp;

import java.util.List;

import org.airshard.planner.aircomp.sdp.SdpStatus;
import org.ejml.data.ZMatrixRMaj;

/**
 * The short-term design of {@link ShortTermSolver}: {@code A = √α G}, zero-forcing {@code B_n}, {@code MSE = σ² α}.
 * Whatever the status, {@code A} and {@code B_n} satisfy {@code Aᴴ H_n B_n = I} and every budget.
 *
 * @param status             {@code OPTIMAL} (SDR solved to tolerance, all steps ran), {@code FALLBACK} (no SDR
 *                           bound for this shape, randomized starts + polish), {@code WARM_START} (polish only, from a
 *                           given direction: {@link ShortTermSolver#polishFrom}), or why it stopped early: the
 *                           SDP's {@code ITERATION_LIMIT}, {@code TIME_LIMIT}, {@code NUMERICAL}, or {@code CANCELLED}
 * @param sdpStatus          status of the SDP solve, {@code null} in the fallback path
 * @param sdpIterations      interior-point iterations (0 in the fallback path)
 * @param sdpValue           SDR optimum {@code min tr X} (a lower bound on α when N_t = L); NaN in the fallback path
 * @param sdpRelativeGap     relative duality gap reached by the SDP solver; NaN in the fallback path
 * @param alphaPrincipal     α*(G_0) of the principal-subspace candidate; NaN in the fallback path
 * @param alphaRandomized    best α* after randomization (principal candidate included)
 * @param alpha              final α (after the polish; never above {@code alphaRandomized})
 * @param mse                σ² α
 * @param a                  {@code A} (N_r × L)
 * @param b                  {@code B_n} (N_t × L), device order
 * @param transmitEnergy     {@code (L0/L) ‖B_n‖_F²} per device (≤ E_n)
 * @param bindingDevice      index of the device whose budget is tight
 * @param fallback           whether the fallback path ran
 * @param fallbackReason     why (empty if not)
 * @param sdpNanos           time in the SDP solver
 * @param randomizationNanos time in eigendecomposition + randomization
 * @param polishNanos        time in the polish
 * @param totalNanos         wall time of the whole solve
 * @param options            the settings used
 */
public record ShortTermResult(String status, SdpStatus sdpStatus, int sdpIterations, double sdpValue,
        double sdpRelativeGap, double alphaPrincipal, double alphaRandomized, double alpha, double mse, ZMatrixRMaj a,
        List<ZMatrixRMaj> b, double[] transmitEnergy, int bindingDevice, boolean fallback, String fallbackReason,
        long sdpNanos, long randomizationNanos, long polishNanos, long totalNanos, ShortTermOptions options) {
}
