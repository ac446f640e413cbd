package org.airshard.executor.board;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.airshard.planner.aircomp.AircompDevice;
import org.airshard.planner.aircomp.AircompProblem;
import org.airshard.planner.aircomp.ShortTermOptions;
import org.airshard.planner.aircomp.ShortTermResult;
import org.airshard.planner.aircomp.ShortTermSolver;
import org.airshard.planner.io.InputException;
import org.ejml.data.ZMatrixRMaj;

/**
 * Emulated over-the-air all-reduce (spec/aircomp.md §2). For N partial outputs {@code p_n ∈ R^n}:
 * <ol>
 *   <li>normalise [ours]: {@code r_n = (p_n − μ_n) / c} with μ_n the mean of p_n and c = max_n std(p_n) (one
 *       common scale, so Σ r_n is the normalised sum); μ_n and c travel digitally (2 floats per board);</li>
 *   <li>pack pairs of reals into complex symbols {@code s = (r_{2k} + i r_{2k+1}) / √2} (E|s|² ≤ 1), L per
 *       channel use, zero-padded;</li>
 *   <li>per channel use: {@code y = Σ H_n B_n s_n + z}, z ~ CN(0, σ² I_{N_r}), {@code ŝ = Aᴴ y};</li>
 *   <li>de-normalise: {@code Σp ≈ √2 c (Re ŝ, Im ŝ) + Σ μ_n}.</li>
 * </ol>
 * The channel realisations cycle, one per all-reduce (block fading). The measured MSE is
 * {@code ‖ŝ − Σ s_n‖²} per L-symbol vector, the quantity whose expectation the optimizer predicts
 * ({@code σ² α = σ² ‖A‖_F²}); the error in activation units is reported apart.
 */
public final class AirCompEmulator {

    /** One channel realisation with its transceiver design. */
    public record Design(List<ZMatrixRMaj> h, ZMatrixRMaj a, List<ZMatrixRMaj> b, double noisePower, double predictedMse) {
    }

    private final List<Design> designs;
    private final int streams;
    private final Random noise;
    private long round;
    private double sqErrSymbols;
    private long vectors;
    private double predictedSum;
    private double sqErrActivations;
    private long activations;

    public AirCompEmulator(List<Design> designs, int streams, long seed) {
        if (designs.isEmpty()) {
            throw new IllegalArgumentException("at least one channel realisation is needed");
        }
        this.designs = List.copyOf(designs);
        this.streams = streams;
        this.noise = new Random(seed);
    }

    /**
     * A default set-up when the plan carries no beamformers: {@code realisations} i.i.d. Rayleigh channels
     * (N_r = 8 server antennas, N_t = L = 4 per board), unit budgets, σ² = 1e-3, each designed with the
     * project's short-term solver (SDR + randomisation + polish).
     */
    public static AirCompEmulator designed(int boards, int payloadSymbols, int realisations, long seed) throws InputException {
        int nr = 8, nt = 4, l = 4;
        double sigma2 = 1e-3;
        Random r = new Random(seed);
        List<Design> ds = new ArrayList<>();
        for (int k = 0; k < realisations; k++) {
            List<AircompDevice> devs = new ArrayList<>();
            for (int n = 0; n < boards; n++) {
                ZMatrixRMaj h = new ZMatrixRMaj(nr, nt);
                for (int i = 0; i < h.data.length; i++) {
                    h.data[i] = r.nextGaussian() * Math.sqrt(0.5);
                }
                devs.add(new AircompDevice("board" + (n + 1), h, 1.0, 0.0));
            }
            ds.add(design(AircompProblem.of("aircomp", sigma2, l, payloadSymbols, devs), seed + k));
        }
        return new AirCompEmulator(ds, l, seed);
    }

    /** Solves one short-term problem and keeps its design. */
    public static Design design(AircompProblem p, long seed) {
        ShortTermResult res = ShortTermSolver.solve(p, ShortTermOptions.DEFAULT.withSeed(seed).withRandomizationSamples(200));
        List<ZMatrixRMaj> hs = new ArrayList<>();
        p.devices().forEach(d -> hs.add(d.channel()));
        return new Design(hs, res.a(), res.b(), p.noisePower(), res.mse());
    }

    public int streams() {
        return streams;
    }

    /** Emulates one all-reduce of {@code partials} (each of the same length); returns the estimated sum. */
    public synchronized float[] allReduce(float[][] partials) {
        Design d = designs.get((int) (round++ % designs.size()));
        int n = partials[0].length, boards = partials.length;
        double[] mu = new double[boards];
        double c = 0;
        double[] exact = new double[n];
        for (int b = 0; b < boards; b++) {
            double s = 0, s2 = 0;
            for (float v : partials[b]) {
                s += v;
                s2 += (double) v * v;
            }
            mu[b] = s / n;
            c = Math.max(c, Math.sqrt(Math.max(0, s2 / n - mu[b] * mu[b])));
            for (int i = 0; i < n; i++) {
                exact[i] += partials[b][i];
            }
        }
        if (c == 0) {
            c = 1;
        }
        double muSum = 0;
        for (double m : mu) {
            muSum += m;
        }
        int symbols = (n + 1) / 2, l = streams, uses = (symbols + l - 1) / l;
        int nr = d.a().numRows;
        double[] sRe = new double[l], sIm = new double[l];
        double[] yRe = new double[nr], yIm = new double[nr];
        double[] sumRe = new double[l], sumIm = new double[l];
        float[] out = new float[n];
        double scale = 1 / (c * Math.sqrt(2));
        double sd = Math.sqrt(d.noisePower() / 2);
        for (int u = 0; u < uses; u++) {
            java.util.Arrays.fill(yRe, 0);
            java.util.Arrays.fill(yIm, 0);
            java.util.Arrays.fill(sumRe, 0);
            java.util.Arrays.fill(sumIm, 0);
            for (int b = 0; b < boards; b++) {
                for (int k = 0; k < l; k++) {
                    int idx = 2 * (u * l + k);
                    sRe[k] = idx < n ? (partials[b][idx] - mu[b]) * scale : 0;
                    sIm[k] = idx + 1 < n ? (partials[b][idx + 1] - mu[b]) * scale : 0;
                    sumRe[k] += sRe[k];
                    sumIm[k] += sIm[k];
                }
                ZMatrixRMaj bb = d.b().get(b), h = d.h().get(b);
                int nt = bb.numRows;
                double[] xRe = new double[nt], xIm = new double[nt];
                for (int t = 0; t < nt; t++) {
                    for (int k = 0; k < l; k++) {
                        int q = (t * l + k) * 2;
                        double br = bb.data[q], bi = bb.data[q + 1];
                        xRe[t] += br * sRe[k] - bi * sIm[k];
                        xIm[t] += br * sIm[k] + bi * sRe[k];
                    }
                }
                for (int r = 0; r < nr; r++) {
                    for (int t = 0; t < nt; t++) {
                        int q = (r * nt + t) * 2;
                        double hr = h.data[q], hi = h.data[q + 1];
                        yRe[r] += hr * xRe[t] - hi * xIm[t];
                        yIm[r] += hr * xIm[t] + hi * xRe[t];
                    }
                }
            }
            for (int r = 0; r < nr; r++) {
                yRe[r] += noise.nextGaussian() * sd;
                yIm[r] += noise.nextGaussian() * sd;
            }
            double err = 0;
            for (int k = 0; k < l; k++) {
                double eRe = 0, eIm = 0;
                for (int r = 0; r < nr; r++) {
                    int q = (r * l + k) * 2;
                    double ar = d.a().data[q], ai = -d.a().data[q + 1]; // conj(A)ᵀ
                    eRe += ar * yRe[r] - ai * yIm[r];
                    eIm += ar * yIm[r] + ai * yRe[r];
                }
                err += (eRe - sumRe[k]) * (eRe - sumRe[k]) + (eIm - sumIm[k]) * (eIm - sumIm[k]);
                int idx = 2 * (u * l + k);
                double back = c * Math.sqrt(2);
                if (idx < n) {
                    out[idx] = (float) (eRe * back + muSum);
                }
                if (idx + 1 < n) {
                    out[idx + 1] = (float) (eIm * back + muSum);
                }
            }
            sqErrSymbols += err;
            vectors++;
            predictedSum += d.predictedMse();
        }
        for (int i = 0; i < n; i++) {
            double e = out[i] - exact[i];
            sqErrActivations += e * e;
        }
        activations += n;
        return out;
    }

    /** All-reduces emulated so far. */
    public synchronized long rounds() {
        return round;
    }

    /** Mean ‖ŝ − Σ s_n‖² per L-symbol vector over all all-reduces so far. */
    public synchronized double measuredMse() {
        return vectors == 0 ? Double.NaN : sqErrSymbols / vectors;
    }

    /** The optimizer's σ²α averaged over the same channel uses. */
    public synchronized double predictedMse() {
        return vectors == 0 ? Double.NaN : predictedSum / vectors;
    }

    /** Mean squared error per activation of the de-normalised sums against the exact sums. */
    public synchronized double activationMse() {
        return activations == 0 ? Double.NaN : sqErrActivations / activations;
    }
}
