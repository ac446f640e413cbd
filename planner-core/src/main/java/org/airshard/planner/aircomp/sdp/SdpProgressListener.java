package org.airshard.planner.aircomp.sdp;

/** Receives one call per interior-point iteration, on the solving thread. Must be fast; must not throw. */
@FunctionalInterface
public interface SdpProgressListener {

    /**
     * @param iteration       1-based iteration number just completed
     * @param primalObjective best certified upper bound so far ({@code tr X'} of an exactly feasible X')
     * @param dualObjective   best certified lower bound so far
     * @param relativeGap     their relative gap (what {@link SdpOptions#gapTolerance()} is compared with)
     * @param infeasibility   largest relative primal/dual residual of the current iterate
     */
    void onIteration(int iteration, double primalObjective, double dualObjective, double relativeGap, double infeasibility);

    SdpProgressListener NONE = (i, p, d, g, f) -> { };
}
