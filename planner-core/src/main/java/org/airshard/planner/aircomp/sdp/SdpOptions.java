package org.airshard.planner.aircomp.sdp;

/**
 * Settings of {@link SdrSolver}.
 *
 * @param gapTolerance         stop when {@code |tr X − Σ tr Z_n| / (1 + |tr X| + |Σ tr Z_n|)} is below this
 * @param feasibilityTolerance and the relative primal and dual residuals are below this
 * @param maxIterations        iteration cap (an interior-point method needs 10–40 here)
 * @param timeLimitMillis      wall-clock limit, checked before each iteration; {@code <= 0} means none
 */
public record SdpOptions(double gapTolerance, double feasibilityTolerance, int maxIterations, long timeLimitMillis) {

    /** Defaults: gap and feasibility 1e-10, 100 iterations, no time limit. */
    public static final SdpOptions DEFAULT = new SdpOptions(1e-10, 1e-10, 100, 0);

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
