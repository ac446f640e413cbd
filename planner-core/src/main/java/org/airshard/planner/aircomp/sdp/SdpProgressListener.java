package org.airshard.planner.aircomp.sdp;

/** Receives one call per interior-point iteration, on the solving thread. Must be fast; must not throw. */
@FunctionalInterface
public interface SdpProgressListener {

    /**
     * @param iteration       1-based iteration number just completed
     * @param primalObjective current {@code tr X}
     * @param dualObjective   current {@code Σ_n tr Z_n}
     * @param relativeGap     relative duality gap
     * @param infeasibility   largest relative primal/dual residual
     */
    void onIteration(int iteration, double primalObjective, double dualObjective, double relativeGap, double infeasibility);

    SdpProgressListener NONE = (i, p, d, g, f) -> { };
}
