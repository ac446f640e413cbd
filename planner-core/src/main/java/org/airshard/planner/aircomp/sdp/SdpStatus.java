package org.airshard.planner.aircomp.sdp;

/** How an SDP solve ended. Every status except {@link #INFEASIBLE} comes with the best point reached. */
public enum SdpStatus {
    /** Relative duality gap and primal/dual infeasibility below the tolerances of {@link SdpOptions}. */
    OPTIMAL,
    /** Stopped at {@link SdpOptions#maxIterations()}; the point returned is the last iterate. */
    ITERATION_LIMIT,
    /** Stopped at {@link SdpOptions#timeLimitMillis()}; the point returned is the last iterate. */
    TIME_LIMIT,
    /** The thread was interrupted or the cancel flag was set; the point returned is the last iterate. */
    CANCELLED,
    /** The problem has no feasible point (some channel H_n has rank below N_t, so H_nᴴ X H_n ⪰ I is impossible). */
    INFEASIBLE,
    /** The method could not make progress (a factorization failed or the step collapsed) before converging. */
    NUMERICAL
}
