package org.airshard.planner.optimize;

/**
 * Settings of the long-term optimizer ({@link SscaOptimizer}, aircomp.md §5).
 *
 * @param iterations           iteration cap τ_max
 * @param seed                 seed of the channel samples and of the randomization (same seed, same result)
 * @param rhoExponent          ρ^τ = (τ+1)^−a, gradient-tracking weight (0.5 < a ≤ 1)
 * @param gammaExponent        γ^τ = (τ+1+τ_0)^−b, smoothing step (a < b ≤ 1 so that γ/ρ → 0)
 * @param proximalScale        c in η^τ = c·‖u^τ‖_∞ (the surrogate's proximal weight; the unsmoothed step
 *                             m − u/(2η) then moves each share by at most 1/(2c))
 * @param randomizationSamples J of the short-term randomization inside SSCA iterations
 * @param polish               whether the short-term design is polished (aircomp.md §4.5)
 * @param tolerance            stop when no share moved more than this over {@code window} iterations
 * @param window               iterations of the stopping window
 * @param minIterations        never stop on the window before this many iterations
 * @param evaluationSamples    fresh channel samples on which E[MSE] of the result and the baselines is measured
 * @param latencyBudgetS       optional compute-latency box T_max per token, s (0 = none)
 * @param timeLimitMillis      wall-clock limit (0 = none); the best point so far is returned
 * @param anchorPeriod         re-anchor period P of the short-term design inside SSCA iterations: at iterations
 *                             τ ≡ 0 (mod P) the full design (SDR + randomization + polish) runs; in between the
 *                             previous iteration's receive beamformer is polished on the new sample
 *                             ({@code ShortTermSolver.polishFrom}, warm start). 1 = full design every iteration.
 *                             Recorded in the plan's provenance: it changes the result bit for bit
 * @param stepOffset           τ_0 ≥ 0 in γ^τ = (τ+1+τ_0)^−b: smaller early steps (γ^0 = (1+τ_0)^−b instead of 1, where the
 *                             first step would otherwise jump all the way to the surrogate's minimiser built from a
 *                             single channel sample); the conditions Σγ = ∞, Σγ² &lt; ∞, γ/ρ → 0 are unchanged
 */
public record SscaOptions(
        int iterations,
        long seed,
        double rhoExponent,
        double gammaExponent,
        double proximalScale,
        int randomizationSamples,
        boolean polish,
        double tolerance,
        int window,
        int minIterations,
        int evaluationSamples,
        double latencyBudgetS,
        long timeLimitMillis,
        int anchorPeriod,
        double stepOffset) {

    /** Default step offset τ_0 (docs/model.md, "Few iterations"). */
    public static final double DEFAULT_STEP_OFFSET = 9;

    /** Default re-anchor period (docs/aircomp-solver.md, "Warm start inside SSCA"). */
    public static final int DEFAULT_ANCHOR_PERIOD = 50;

    /** The settings without {@code anchorPeriod} and {@code stepOffset} (kept for callers of the earlier record): defaults. */
    public SscaOptions(int iterations, long seed, double rhoExponent, double gammaExponent, double proximalScale,
            int randomizationSamples, boolean polish, double tolerance, int window, int minIterations, int evaluationSamples,
            double latencyBudgetS, long timeLimitMillis) {
        this(iterations, seed, rhoExponent, gammaExponent, proximalScale, randomizationSamples, polish, tolerance, window,
                minIterations, evaluationSamples, latencyBudgetS, timeLimitMillis, DEFAULT_ANCHOR_PERIOD, DEFAULT_STEP_OFFSET);
    }

    public SscaOptions {
        if (anchorPeriod < 1) {
            throw new IllegalArgumentException("anchorPeriod must be at least 1");
        }
        if (!(stepOffset >= 0 && stepOffset < 1e6)) {
            throw new IllegalArgumentException("stepOffset must be in [0, 1e6)");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1");
        }
        if (!(rhoExponent > 0.5 && rhoExponent <= 1 && gammaExponent > rhoExponent && gammaExponent <= 1)) {
            throw new IllegalArgumentException("need 0.5 < rhoExponent < gammaExponent ≤ 1");
        }
        if (evaluationSamples < 2) {
            throw new IllegalArgumentException("evaluationSamples must be at least 2");
        }
    }

    /** Defaults: 300 iterations, ρ = (τ+1)^−0.6, γ = (τ+10)^−0.9 (τ_0 = 9), c = 1, J = 20 with polish, 64 evaluation samples,
     *  full short-term design every {@value #DEFAULT_ANCHOR_PERIOD}th iteration (warm start in between). */
    public static SscaOptions defaults(long seed) {
        return new SscaOptions(300, seed, 0.6, 0.9, 1.0, 20, true, 1e-4, 25, 50, 64, 0, 0, DEFAULT_ANCHOR_PERIOD, DEFAULT_STEP_OFFSET);
    }

    public SscaOptions withAnchorPeriod(int p) {
        return new SscaOptions(iterations, seed, rhoExponent, gammaExponent, proximalScale, randomizationSamples, polish,
                tolerance, window, minIterations, evaluationSamples, latencyBudgetS, timeLimitMillis, p, stepOffset);
    }

    public SscaOptions withStepOffset(double t0) {
        return new SscaOptions(iterations, seed, rhoExponent, gammaExponent, proximalScale, randomizationSamples, polish,
                tolerance, window, minIterations, evaluationSamples, latencyBudgetS, timeLimitMillis, anchorPeriod, t0);
    }

    public SscaOptions withIterations(int n) {
        return new SscaOptions(n, seed, rhoExponent, gammaExponent, proximalScale, randomizationSamples, polish, tolerance,
                window, minIterations, evaluationSamples, latencyBudgetS, timeLimitMillis, anchorPeriod, stepOffset);
    }

    public SscaOptions withEvaluationSamples(int k) {
        return new SscaOptions(iterations, seed, rhoExponent, gammaExponent, proximalScale, randomizationSamples, polish,
                tolerance, window, minIterations, k, latencyBudgetS, timeLimitMillis, anchorPeriod, stepOffset);
    }

    public SscaOptions withLatencyBudgetS(double t) {
        return new SscaOptions(iterations, seed, rhoExponent, gammaExponent, proximalScale, randomizationSamples, polish,
                tolerance, window, minIterations, evaluationSamples, t, timeLimitMillis, anchorPeriod, stepOffset);
    }

    public SscaOptions withTimeLimitMillis(long ms) {
        return new SscaOptions(iterations, seed, rhoExponent, gammaExponent, proximalScale, randomizationSamples, polish,
                tolerance, window, minIterations, evaluationSamples, latencyBudgetS, ms, anchorPeriod, stepOffset);
    }
}
