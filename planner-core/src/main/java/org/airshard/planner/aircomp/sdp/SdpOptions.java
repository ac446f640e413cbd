package org.airshard.planner.aircomp.sdp;

/**
 * Settings of {@link SdrSolver}.
 *
 * @param gapTolerance         stop when the certified relative gap {@code (upper − lower)/upper} between the
 *                             objective of an exactly feasible X and that of an exactly feasible Z is below this
 *                             (or when the iterate's own gap is below this and …)
 * @param feasibilityTolerance … its relative primal and dual residuals are below this
 * @param maxIterations        iteration cap (an interior-point method needs 10–40 here)
 * @param timeLimitMillis      wall-clock limit, checked before each iteration; {@code <= 0} means none
 */
public record SdpOptions(double gapTolerance, double feasibilityTolerance, int maxIterations, long timeLimitMillis) {

    /** Defaults: certified gap 1e-7 (ten times tighter than the 1e-6 the project promises), feasibility 1e-9, 100 iterations, no time limit. */
    public static final SdpOptions DEFAULT = new SdpOptions(1e-7, 1e-9, 100, 0);

    public SdpOptions {
        if (!(gapTolerance > 0) || !(feasibilityTolerance > 0)) {
            throw new IllegalArgumentException("tolerances must be > 0");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1");
        }
    }

    public SdpOptions withTimeLimitMillis(long millis) {
        return new SdpOptions(gapTolerance, feasibilityTolerance, maxIterations, millis);
    }

    public SdpOptions withMaxIterations(int iterations) {
        return new SdpOptions(gapTolerance, feasibilityTolerance, iterations, timeLimitMillis);
    }
}
