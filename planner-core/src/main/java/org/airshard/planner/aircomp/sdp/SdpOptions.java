package org.airshard.planner.aircomp.sdp;

/**
 * Settings of {@link SdrSolver}.
 *
 * @param gapTolerance    stop with {@link SdpStatus#OPTIMAL} when the certified relative gap
 *                        {@code (upper − lower) / upper} is below this, where {@code upper = tr X'} for an exactly
 *                        feasible X' and {@code lower = Σ tr Z'_n} for exactly feasible dual blocks Z'_n (so the
 *                        reported value is within this relative distance of the true optimum)
 * @param maxIterations   iteration cap (the method needs 8–20 here)
 * @param timeLimitMillis wall-clock limit, checked before each iteration; {@code <= 0} means none
 */
public record SdpOptions(double gapTolerance, int maxIterations, long timeLimitMillis) {

    /** Defaults: certified gap 1e-7 (ten times tighter than the 1e-6 the project promises), 100 iterations, no time limit. */
    public static final SdpOptions DEFAULT = new SdpOptions(1e-7, 100, 0);

    public SdpOptions {
        if (!(gapTolerance > 0)) {
            throw new IllegalArgumentException("gapTolerance must be > 0");
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1");
        }
    }

    public SdpOptions withTimeLimitMillis(long millis) {
        return new SdpOptions(gapTolerance, maxIterations, millis);
    }

    public SdpOptions withMaxIterations(int iterations) {
        return new SdpOptions(gapTolerance, iterations, timeLimitMillis);
    }

    public SdpOptions withGapTolerance(double tolerance) {
        return new SdpOptions(tolerance, maxIterations, timeLimitMillis);
    }
}
