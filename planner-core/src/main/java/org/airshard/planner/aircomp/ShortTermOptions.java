package org.airshard.planner.aircomp;

import org.airshard.planner.aircomp.sdp.SdpOptions;

/**
 * Settings of {@link ShortTermSolver}.
 *
 * @param sdp                  SDP solver settings (tolerances, iteration cap)
 * @param randomizationSamples J, Gaussian randomization samples after the principal candidate (the paper uses 1000);
 *                             in the fallback path, the number of random starts
 * @param seed                 seed of the randomization (same seed, same result)
 * @param polish               whether to run the local descent of spec/aircomp.md §4.5
 * @param polishIterations     L-BFGS iterations per smoothing stage of the polish (8 stages)
 * @param polishStarts         how many of the best candidates are polished (at least 3 in the fallback path)
 * @param polishTolerance      a polish stage ends when one L-BFGS iteration lowers the smoothed objective by at most
 *                             this, relative (1e-13 by default; the warm start inside SSCA uses a looser one)
 * @param timeLimitMillis      wall-clock limit for the whole solve, {@code <= 0} for none; when reached the best
 *                             point so far is returned (always a valid, budget-feasible design)
 */
public record ShortTermOptions(SdpOptions sdp, int randomizationSamples, long seed, boolean polish,
        int polishIterations, int polishStarts, double polishTolerance, long timeLimitMillis) {

    public static final ShortTermOptions DEFAULT = new ShortTermOptions(SdpOptions.DEFAULT, 1000, 1L, true, 100, 1, 1e-13, 0);

    /** The settings with the default polish tolerance 1e-13. */
    public ShortTermOptions(SdpOptions sdp, int randomizationSamples, long seed, boolean polish, int polishIterations,
            int polishStarts, long timeLimitMillis) {
        this(sdp, randomizationSamples, seed, polish, polishIterations, polishStarts, 1e-13, timeLimitMillis);
    }

    public ShortTermOptions {
        if (sdp == null) {
            throw new IllegalArgumentException("sdp options required");
        }
        if (randomizationSamples < 0 || polishIterations < 0 || polishStarts < 1) {
            throw new IllegalArgumentException("randomizationSamples and polishIterations must be >= 0, polishStarts >= 1");
        }
        if (!(polishTolerance >= 0 && polishTolerance < 1)) {
            throw new IllegalArgumentException("polishTolerance must be in [0, 1)");
        }
    }

    public ShortTermOptions withSeed(long s) {
        return new ShortTermOptions(sdp, randomizationSamples, s, polish, polishIterations, polishStarts, polishTolerance, timeLimitMillis);
    }

    public ShortTermOptions withRandomizationSamples(int j) {
        return new ShortTermOptions(sdp, j, seed, polish, polishIterations, polishStarts, polishTolerance, timeLimitMillis);
    }

    public ShortTermOptions withPolish(boolean on) {
        return new ShortTermOptions(sdp, randomizationSamples, seed, on, polishIterations, polishStarts, polishTolerance, timeLimitMillis);
    }

    public ShortTermOptions withPolishIterations(int iterations) {
        return new ShortTermOptions(sdp, randomizationSamples, seed, polish, iterations, polishStarts, polishTolerance, timeLimitMillis);
    }

    public ShortTermOptions withSdp(SdpOptions options) {
        return new ShortTermOptions(options, randomizationSamples, seed, polish, polishIterations, polishStarts, polishTolerance, timeLimitMillis);
    }

    public ShortTermOptions withPolishTolerance(double tolerance) {
        return new ShortTermOptions(sdp, randomizationSamples, seed, polish, polishIterations, polishStarts, tolerance, timeLimitMillis);
    }

    public ShortTermOptions withTimeLimitMillis(long millis) {
        return new ShortTermOptions(sdp, randomizationSamples, seed, polish, polishIterations, polishStarts, polishTolerance, millis);
    }
}
