package org.airshard.planner.aircomp;

import java.util.function.BooleanSupplier;

import org.airshard.planner.aircomp.linalg.ComplexLinalg;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;

/**
 * The polish of spec/aircomp.md §4.5 [ours]: local descent on the exact objective
 * <pre>
 *   log α*(G) = max_n ℓ_n(G),    ℓ_n(G) = log((L0/L) τ_n(G) / E_n) + log ‖G‖_F²,    τ_n(G) = tr((Gᴴ H_n H_nᴴ G)⁻¹)
 * </pre>
 * which is scale invariant, so the sphere {@code ‖G‖_F = 1} needs no constraint: G is renormalised between stages.
 * The max is smoothed by {@code F_β = (1/β) log Σ_n exp(β ℓ_n)} ({@code max ≤ F_β ≤ max + log N / β}) with β
 * growing over 8 stages (5 … 81920, ×4 each), each minimised by L-BFGS (memory 8) with Armijo backtracking. Gradient, for
 * {@code K_n = Gᴴ H_n H_nᴴ G}: {@code ∇τ_n = −2 H_n H_nᴴ G K_n⁻²}, {@code ∇ log‖G‖² = 2G/‖G‖²} (real gradient in
 * the interleaved re/im layout). After every step the exact {@code max_n ℓ_n} is evaluated and the best G kept:
 * the result is never worse than the start.
 */
final class Polisher {

    private static final double[] BETAS = {5, 20, 80, 320, 1280, 5120, 20480, 81920};
    private static final int MEMORY = 8;

    private final ZMatrixRMaj[] h;
    private final double[] logWeight;

    Polisher(AircompProblem problem) {
        int n = problem.devices().size();
        h = new ZMatrixRMaj[n];
        logWeight = new double[n];
        for (int k = 0; k < n; k++) {
            AircompDevice d = problem.devices().get(k);
            h[k] = d.channel();
            logWeight[k] = Math.log(problem.channelUsesPerAllReduce() / d.transmitBudget());
        }
    }

    /**
     * Polishes a direction.
     *
     * @param start           starting direction (any nonzero scale); not modified
     * @param iterationsStage L-BFGS iterations per stage
     * @param stop            polled every iteration; when true the best point so far is returned
     * @return the best direction found, normalised to {@code ‖G‖_F = 1}
     */
    ZMatrixRMaj polish(ZMatrixRMaj start, int iterationsStage, BooleanSupplier stop) {
        ZMatrixRMaj g = normalised(start);
        double[] ell = new double[h.length];
        ZMatrixRMaj best = g.copy();
        double bestExact = exact(g);
        int dim = g.getDataLength();
        for (double beta : BETAS) {
            g = normalised(best);
            double[] grad = new double[dim];
            double f = evaluate(g, beta, grad, ell);
            if (!Double.isFinite(f)) {
                break;
            }
            double[][] s = new double[MEMORY][];
            double[][] yv = new double[MEMORY][];
            double[] rho = new double[MEMORY];
            int stored = 0;
            int head = 0;
            for (int it = 0; it < iterationsStage; it++) {
                if (stop.getAsBoolean()) {
                    return best;
                }
                double[] dir = twoLoop(grad, s, yv, rho, stored, head);
                double slope = dot(dir, grad);
                if (!(slope < 0)) {
                    // not a descent direction: restart with steepest descent
                    for (int i = 0; i < dim; i++) {
                        dir[i] = -grad[i];
                    }
                    slope = -dot(grad, grad);
                    stored = 0;
                }
                if (-slope < 1e-30) {
                    break;
                }
                double step = stored == 0 ? Math.min(1.0, 0.1 / Math.sqrt(dot(grad, grad))) : 1.0;
                ZMatrixRMaj trial = new ZMatrixRMaj(g.numRows, g.numCols);
                double[] tgrad = new double[dim];
                double ft = Double.NaN;
                boolean accepted = false;
                for (int ls = 0; ls < 40; ls++) {
                    for (int i = 0; i < dim; i++) {
                        trial.data[i] = g.data[i] + step * dir[i];
                    }
                    ft = evaluate(trial, beta, tgrad, ell);
                    if (Double.isFinite(ft) && ft <= f + 1e-4 * step * slope) {
                        accepted = true;
                        break;
                    }
                    step *= 0.5;
                }
                if (!accepted) {
                    break;
                }
                double exactTrial = max(ell);
                if (exactTrial < bestExact) {
                    bestExact = exactTrial;
                    best = normalised(trial);
                }
                double[] sk = new double[dim];
                double[] yk = new double[dim];
                for (int i = 0; i < dim; i++) {
                    sk[i] = trial.data[i] - g.data[i];
                    yk[i] = tgrad[i] - grad[i];
                }
                double sy = dot(sk, yk);
                if (sy > 1e-16 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
                    s[head] = sk;
                    yv[head] = yk;
                    rho[head] = 1.0 / sy;
                    head = (head + 1) % MEMORY;
                    stored = Math.min(stored + 1, MEMORY);
                }
                double decrease = f - ft;
                g = trial;
                grad = tgrad;
                f = ft;
                if (decrease <= 1e-13 * Math.max(1, Math.abs(f))) {
                    break;
                }
            }
        }
        return best;
    }

    /** Exact {@code log α*(G)}. */
    double exact(ZMatrixRMaj g) {
        double[] ell = new double[h.length];
        evaluate(g, 1, null, ell);
        return max(ell);
    }

    /**
     * {@code F_β(G)}; fills {@code ell} with the ℓ_n and, if {@code grad != null}, the gradient.
     *
     * @return {@code +∞} if some {@code Gᴴ H_n} is rank deficient
     */
    private double evaluate(ZMatrixRMaj g, double beta, double[] grad, double[] ell) {
        int n = h.length;
        int l = g.numCols;
        double norm2 = ComplexLinalg.frobeniusSquared(g);
        double logNorm = Math.log(norm2);
        ZMatrixRMaj[] hg = new ZMatrixRMaj[n];
        ZMatrixRMaj[] kinv = new ZMatrixRMaj[n];
        double[] tau = new double[n];
        for (int k = 0; k < n; k++) {
            hg[k] = new ZMatrixRMaj(h[k].numCols, l);
            CommonOps_ZDRM.multTransA(h[k], g, hg[k]); // Hᴴ G
            ZMatrixRMaj kk = new ZMatrixRMaj(l, l);
            CommonOps_ZDRM.multTransA(hg[k], hg[k], kk);
            ComplexLinalg.hermitianPart(kk);
            kinv[k] = ComplexLinalg.inverseHpd(kk);
            if (kinv[k] == null) {
                java.util.Arrays.fill(ell, Double.POSITIVE_INFINITY);
                return Double.POSITIVE_INFINITY;
            }
            tau[k] = ComplexLinalg.realTrace(kinv[k]);
            ell[k] = logWeight[k] + Math.log(tau[k]) + logNorm;
        }
        double mx = max(ell);
        double sum = 0;
        double[] p = new double[n];
        for (int k = 0; k < n; k++) {
            p[k] = Math.exp(beta * (ell[k] - mx));
            sum += p[k];
        }
        double f = mx + Math.log(sum) / beta;
        if (grad != null) {
            java.util.Arrays.fill(grad, 0);
            for (int k = 0; k < n; k++) {
                double w = p[k] / sum;
                if (w < 1e-18) {
                    continue;
                }
                // ∇ℓ_k = −2 H (Hᴴ G) K⁻² / τ + 2 G / ‖G‖²
                ZMatrixRMaj k2 = new ZMatrixRMaj(l, l);
                CommonOps_ZDRM.mult(kinv[k], kinv[k], k2);
                ZMatrixRMaj t = new ZMatrixRMaj(h[k].numCols, l);
                CommonOps_ZDRM.mult(hg[k], k2, t);
                ZMatrixRMaj d = new ZMatrixRMaj(g.numRows, l);
                CommonOps_ZDRM.mult(h[k], t, d);
                double c = -2.0 * w / tau[k];
                for (int i = 0; i < grad.length; i++) {
                    grad[i] += c * d.data[i];
                }
            }
            double c = 2.0 / norm2;
            for (int i = 0; i < grad.length; i++) {
                grad[i] += c * g.data[i];
            }
        }
        return f;
    }

    private static double[] twoLoop(double[] grad, double[][] s, double[][] y, double[] rho, int stored, int head) {
        int dim = grad.length;
        double[] q = new double[dim];
        for (int i = 0; i < dim; i++) {
            q[i] = -grad[i];
        }
        double[] alpha = new double[MEMORY];
        for (int j = 0; j < stored; j++) {
            int idx = Math.floorMod(head - 1 - j, MEMORY);
            alpha[idx] = rho[idx] * dot(s[idx], q);
            axpy(-alpha[idx], y[idx], q);
        }
        if (stored > 0) {
            int last = Math.floorMod(head - 1, MEMORY);
            double gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
            for (int i = 0; i < dim; i++) {
                q[i] *= gamma;
            }
        }
        for (int j = stored - 1; j >= 0; j--) {
            int idx = Math.floorMod(head - 1 - j, MEMORY);
            double beta = rho[idx] * dot(y[idx], q);
            axpy(alpha[idx] - beta, s[idx], q);
        }
        return q;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    static ZMatrixRMaj normalised(ZMatrixRMaj g) {
        ZMatrixRMaj out = g.copy();
        double norm = Math.sqrt(ComplexLinalg.frobeniusSquared(g));
        CommonOps_ZDRM.scale(1.0 / norm, 0, out);
        return out;
    }
}
