package org.airshard.planner.aircomp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

import org.airshard.planner.aircomp.linalg.ComplexLinalg;
import org.airshard.planner.aircomp.sdp.SdpOptions;
import org.airshard.planner.aircomp.sdp.SdpProgressListener;
import org.airshard.planner.aircomp.sdp.SdpResult;
import org.airshard.planner.aircomp.sdp.SdpStatus;
import org.airshard.planner.aircomp.sdp.SdrSolver;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;

/**
 * Solves one short-term AirComp problem P_s (spec/aircomp.md §4) end to end:
 * <ol>
 *   <li>SDR {@code min tr X s.t. (E_n/L0) H_nᴴ X H_n ⪰ I, X ⪰ 0} by {@link SdrSolver} → {@code sdpValue};</li>
 *   <li>Gaussian randomization: {@code X* = U Λ Uᴴ}; {@code G_0 = U_L Λ_L^{1/2}} (principal subspace,
 *       → {@code alphaPrincipal}) and {@code G_j = U Λ^{1/2} R_j}, {@code R_j ∈ C^{N_r×L}} i.i.d. CN(0,1), j = 1..J,
 *       seeded; each scored by the exact α*(G) of {@link ZeroForcing#alphaStar} → {@code alphaRandomized};</li>
 *   <li>polish ({@link Polisher}) of the best candidate(s), accepting only improvements → {@code alpha};</li>
 *   <li>{@code A = √α G}, zero-forcing {@code B_n}, {@code MSE = σ² α}.</li>
 * </ol>
 * When the SDR bound degenerates (some N_t ≠ L, i.e. L &lt; N_t or unequal antenna counts) steps 1–2 are replaced by J
 * random starts {@code G ~ CN(0,1)} plus the principal eigenvectors of {@code Σ_n H_n H_nᴴ/E_n}, and the best
 * {@code max(3, polishStarts)} are polished; the result says so ({@code fallback}, {@code fallbackReason}).
 *
 * <p>Cancellation (thread interrupt or the cancel flag) and the time limit are honoured in every phase; the
 * result is then the best design so far, still zero-forcing and within every budget. Stateless and thread safe.
 */
public final class ShortTermSolver {

    private ShortTermSolver() {
    }

    public static ShortTermResult solve(AircompProblem problem, ShortTermOptions options) {
        return solve(problem, options, SdpProgressListener.NONE, () -> false);
    }

    /**
     * @param listener  receives the SDP iterations
     * @param cancelled polled regularly, as is the thread's interrupt flag
     */
    public static ShortTermResult solve(AircompProblem problem, ShortTermOptions options, SdpProgressListener listener,
            BooleanSupplier cancelled) {
        long start = System.nanoTime();
        Limits stop = new Limits(start, options, cancelled);
        int l = problem.streams();
        int nr = problem.receiveAntennas();
        Random rng = new Random(options.seed());

        SdpResult sdp = null;
        String fallbackReason = "";
        List<Scored> candidates = new ArrayList<>();
        double alphaPrincipal = Double.NaN;
        long sdpNanos = 0;
        long t0 = System.nanoTime();
        if (problem.sdrApplicable()) {
            List<ZMatrixRMaj> hs = new ArrayList<>();
            double[] w = new double[problem.devices().size()];
            for (int n = 0; n < w.length; n++) {
                AircompDevice d = problem.devices().get(n);
                hs.add(d.channel());
                w[n] = d.transmitBudget() / problem.payloadSymbols();
            }
            SdpOptions so = options.sdp();
            if (stop.deadline != Long.MAX_VALUE) {
                so = so.withTimeLimitMillis(Math.max(1, (stop.deadline - System.nanoTime()) / 1_000_000L));
            }
            sdp = SdrSolver.solve(hs, w, so, listener, cancelled);
            sdpNanos = System.nanoTime() - t0;
            if (sdp.status() == SdpStatus.INFEASIBLE || sdp.x() == null) {
                fallbackReason = "the SDR reported " + sdp.status() + "; used randomized starts instead";
                sdp = null;
            }
        } else {
            fallbackReason = "some device has N_t != L (streams L = " + l + "), so the SDR bound of §4.3 does not apply;"
                    + " used randomized starts + polish on the exact objective";
        }
        long t1 = System.nanoTime();
        if (sdp != null) {
            ComplexLinalg.HermitianEigen eig = ComplexLinalg.eigen(sdp.x(), true);
            ZMatrixRMaj psi = new ZMatrixRMaj(nr, nr); // U Λ^{1/2}
            for (int i = 0; i < nr; i++) {
                for (int j = 0; j < nr; j++) {
                    double s = Math.sqrt(Math.max(eig.values()[j], 0));
                    psi.set(i, j, eig.vectors().getReal(i, j) * s, eig.vectors().getImag(i, j) * s);
                }
            }
            ZMatrixRMaj g0 = CommonOps_ZDRM.extract(psi, 0, nr, 0, l);
            Scored principal = score(problem, g0);
            alphaPrincipal = principal.alpha;
            candidates.add(principal);
            for (int j = 0; j < options.randomizationSamples() && !stop.getAsBoolean(); j++) {
                ZMatrixRMaj r = gaussian(rng, nr, l);
                ZMatrixRMaj g = new ZMatrixRMaj(nr, l);
                CommonOps_ZDRM.mult(psi, r, g);
                candidates.add(score(problem, g));
            }
        } else {
            ZMatrixRMaj sum = new ZMatrixRMaj(nr, nr);
            for (AircompDevice d : problem.devices()) {
                CommonOps_ZDRM.multAddTransB(1.0 / d.transmitBudget(), 0, d.channel(), d.channel(), sum);
            }
            ComplexLinalg.HermitianEigen eig = ComplexLinalg.eigen(sum, true);
            candidates.add(score(problem, CommonOps_ZDRM.extract(eig.vectors(), 0, nr, 0, l)));
            int starts = Math.max(1, options.randomizationSamples());
            for (int j = 0; j < starts && !stop.getAsBoolean(); j++) {
                candidates.add(score(problem, gaussian(rng, nr, l)));
            }
        }
        candidates.sort(Comparator.comparingDouble(c -> c.alpha));
        Scored best = candidates.get(0);
        if (!Double.isFinite(best.alpha)) {
            // all candidates singular: only possible with a degenerate X; fall back to random directions
            for (int j = 0; j < 100 && !Double.isFinite(best.alpha); j++) {
                Scored c = score(problem, gaussian(rng, nr, l));
                if (c.alpha < best.alpha) {
                    best = c;
                }
            }
        }
        double alphaRandomized = best.alpha;
        long randomizationNanos = System.nanoTime() - t1;

        long t2 = System.nanoTime();
        if (options.polish() && !stop.getAsBoolean()) {
            Polisher polisher = new Polisher(problem);
            int starts = sdp == null ? Math.max(3, options.polishStarts()) : options.polishStarts();
            List<Scored> seeds = new ArrayList<>(candidates.subList(0, Math.min(starts, candidates.size())));
            for (Scored seed : seeds) {
                if (stop.getAsBoolean()) {
                    break;
                }
                ZMatrixRMaj g = polisher.polish(seed.g, options.polishIterations(), options.polishTolerance(), stop);
                Scored c = score(problem, g);
                if (c.alpha < best.alpha) {
                    best = c;
                }
            }
        }
        long polishNanos = System.nanoTime() - t2;

        String status;
        if (stop.cancelled() || (sdp != null && sdp.status() == SdpStatus.CANCELLED)) {
            status = "CANCELLED";
        } else if (sdp != null && sdp.status() != SdpStatus.OPTIMAL) {
            status = sdp.status().name();
        } else if (stop.timedOut) {
            status = "TIME_LIMIT";
        } else {
            status = sdp != null ? "OPTIMAL" : "FALLBACK";
        }
        return design(problem, best, status, sdp, alphaPrincipal, alphaRandomized, sdp == null, fallbackReason, sdpNanos,
                randomizationNanos, polishNanos, start, options);
    }

    /**
     * Warm start (docs/aircomp-solver.md, "Warm start inside SSCA"): the direction of a receive beamformer found for
     * another channel sample or other shares ({@code start}, typically the previous SSCA iteration's A) is scored
     * by the exact α*(G) on <em>this</em> problem, i.e. the zero-forcing precoders B_n and the closed-form scale
     * α*(G) = max_n (L0/L) τ_n(G)/E_n are recomputed for this problem's H_n and E_n, and then only the polish runs
     * from it (no SDR, no randomization). The polish accepts only improvements, so the result's α is never above
     * α*(start) on this problem. Status {@code WARM_START} ({@code CANCELLED} / {@code TIME_LIMIT} when stopped);
     * {@code sdpValue}, {@code alphaPrincipal} are NaN and {@code alphaRandomized} is α*(start).
     * If {@code Aᴴ H_n} is rank deficient for some n (α*(start) = ∞), or the SDR bound does not apply to this shape,
     * the full {@link #solve} runs instead and its status is kept.
     *
     * @param start  N_r × L receive beamformer (any nonzero scale); not modified
     * @param cancelled polled regularly, as is the thread's interrupt flag
     */
    public static ShortTermResult polishFrom(AircompProblem problem, ZMatrixRMaj start, ShortTermOptions options,
            BooleanSupplier cancelled) {
        long begin = System.nanoTime();
        if (start == null || start.numRows != problem.receiveAntennas() || start.numCols != problem.streams()
                || !problem.sdrApplicable()) {
            return solve(problem, options, SdpProgressListener.NONE, cancelled);
        }
        Scored seed = score(problem, start);
        if (!(Double.isFinite(seed.alpha) && seed.alpha > 0)) {
            return solve(problem, options, SdpProgressListener.NONE, cancelled);
        }
        Limits stop = new Limits(begin, options, cancelled);
        long t2 = System.nanoTime();
        Scored best = seed;
        if (options.polish() && !stop.getAsBoolean()) {
            ZMatrixRMaj g = new Polisher(problem).polish(seed.g, options.polishIterations(), options.polishTolerance(), stop);
            Scored c = score(problem, g);
            if (c.alpha < best.alpha) {
                best = c;
            }
        }
        long polishNanos = System.nanoTime() - t2;
        String status = stop.cancelled() ? "CANCELLED" : stop.timedOut ? "TIME_LIMIT" : WARM_START;
        return design(problem, best, status, null, Double.NaN, seed.alpha, false, "", 0, 0, polishNanos, begin, options);
    }

    /** Status of a {@link #polishFrom} result that ran to the end. */
    public static final String WARM_START = "WARM_START";

    /** Final design from a direction: A = √α G, ZF precoders; guards the budgets against rounding. */
    private static ShortTermResult design(AircompProblem problem, Scored best, String status, SdpResult sdp,
            double alphaPrincipal, double alphaRandomized, boolean fallback, String fallbackReason, long sdpNanos, long randomizationNanos,
            long polishNanos, long start, ShortTermOptions options) {
        // final design: A = √α G, ZF precoders; guard the budgets against rounding
        double alpha = best.alpha;
        ZMatrixRMaj a = null;
        List<ZMatrixRMaj> bs = null;
        double[] energy = new double[problem.devices().size()];
        for (int pass = 0; pass < 3; pass++) {
            a = best.g.copy();
            CommonOps_ZDRM.scale(Math.sqrt(alpha), 0, a);
            bs = new ArrayList<>();
            double worst = 0;
            for (int n = 0; n < energy.length; n++) {
                AircompDevice d = problem.devices().get(n);
                ZMatrixRMaj b = ZeroForcing.precoder(a, d.channel());
                bs.add(b);
                energy[n] = ZeroForcing.transmitEnergy(problem, b);
                worst = Math.max(worst, energy[n] / d.transmitBudget());
            }
            if (worst <= 1) {
                break;
            }
            alpha *= worst * (1 + 1e-15);
        }
        int binding = 0;
        for (int n = 1; n < energy.length; n++) {
            if (energy[n] / problem.devices().get(n).transmitBudget()
                    > energy[binding] / problem.devices().get(binding).transmitBudget()) {
                binding = n;
            }
        }
        return new ShortTermResult(status, sdp == null ? null : sdp.status(), sdp == null ? 0 : sdp.iterations(),
                sdp == null ? Double.NaN : sdp.value(), sdp == null ? Double.NaN : sdp.relativeGap(), alphaPrincipal,
                alphaRandomized, alpha, problem.noisePower() * alpha, a, List.copyOf(bs), energy, binding, fallback,
                fallbackReason, sdpNanos, randomizationNanos, polishNanos, System.nanoTime() - start, options);
    }

    private static ZMatrixRMaj gaussian(Random rng, int rows, int cols) {
        ZMatrixRMaj r = new ZMatrixRMaj(rows, cols);
        double s = Math.sqrt(0.5);
        for (int i = 0; i < r.getDataLength(); i++) {
            r.data[i] = s * rng.nextGaussian();
        }
        return r;
    }

    private static Scored score(AircompProblem p, ZMatrixRMaj g) {
        ZMatrixRMaj gn = Polisher.normalised(g);
        return new Scored(gn, ZeroForcing.alphaStar(p, gn));
    }

    /** A normalised direction G and its exact α*(G). */
    private record Scored(ZMatrixRMaj g, double alpha) {
    }

    /**
     * The time limit and cancellation of one solve, as the {@code stop} test handed to the inner loops: true once
     * the deadline has passed (remembered in {@link #timedOut}) or the caller cancelled / the thread was interrupted.
     */
    private static final class Limits implements BooleanSupplier {
        final long deadline;
        final BooleanSupplier cancelled;
        boolean timedOut;

        Limits(long startNanos, ShortTermOptions options, BooleanSupplier cancelled) {
            this.deadline = options.timeLimitMillis() > 0 ? startNanos + options.timeLimitMillis() * 1_000_000L : Long.MAX_VALUE;
            this.cancelled = cancelled;
        }

        boolean cancelled() {
            return Thread.currentThread().isInterrupted() || cancelled.getAsBoolean();
        }

        @Override
        public boolean getAsBoolean() {
            if (System.nanoTime() > deadline) {
                timedOut = true;
                return true;
            }
            return cancelled();
        }
    }
}
