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
 *
 * <p>The inner loop works on flat interleaved re/im arrays with workspaces allocated once per polisher (the
 * matrices are tiny: t × L and L × L), so an instance must not be shared between threads.
 */
final class Polisher {

    private static final double[] BETAS = {5, 20, 80, 320, 1280, 5120, 20480, 81920};
    private static final int MEMORY = 8;
    /** Default stage-stopping tolerance: a stage ends when an iteration lowers F_β by at most 1e-13 relative. */
    static final double STAGE_TOLERANCE = 1e-13;

    private final int devices;
    private final int rows;
    private final int[] cols;
    private final double[][] h;
    private final double[] logWeight;

    // workspaces, sized on first use for the direction's L
    private int l = -1;
    private double[][] hg; // Hᴴ G, t × L per device
    private double[][] kinv; // (Gᴴ H Hᴴ G)⁻¹, L × L per device
    private double[] tau;
    private double[] p;
    private double[] kk; // L × L scratch
    private double[] lf; // Cholesky factor scratch
    private double[] li; // its inverse
    private double[] k2; // K⁻² scratch
    private double[] tmp; // t × L scratch

    Polisher(AircompProblem problem) {
        devices = problem.devices().size();
        rows = problem.receiveAntennas();
        cols = new int[devices];
        h = new double[devices][];
        logWeight = new double[devices];
        for (int k = 0; k < devices; k++) {
            AircompDevice d = problem.devices().get(k);
            h[k] = d.channel().data;
            cols[k] = d.channel().numCols;
            logWeight[k] = Math.log(problem.channelUsesPerAllReduce() / d.transmitBudget());
        }
    }

    private void workspaces(int streams) {
        if (streams == l) {
            return;
        }
        l = streams;
        hg = new double[devices][];
        kinv = new double[devices][];
        int maxT = 1;
        for (int k = 0; k < devices; k++) {
            hg[k] = new double[2 * cols[k] * l];
            kinv[k] = new double[2 * l * l];
            maxT = Math.max(maxT, cols[k]);
        }
        tau = new double[devices];
        p = new double[devices];
        kk = new double[2 * l * l];
        lf = new double[2 * l * l];
        li = new double[2 * l * l];
        k2 = new double[2 * l * l];
        tmp = new double[2 * maxT * l];
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
        return polish(start, iterationsStage, STAGE_TOLERANCE, stop);
    }

    /**
     * Polishes a direction; a stage ends after {@code iterationsStage} L-BFGS iterations or as soon as one
     * iteration lowers {@code F_β} by at most {@code stageTolerance · max(1, |F_β|)}.
     */
    ZMatrixRMaj polish(ZMatrixRMaj start, int iterationsStage, double stageTolerance, BooleanSupplier stop) {
        workspaces(start.numCols);
        int dim = start.getDataLength();
        double[] ell = new double[devices];
        double[] best = start.data.clone();
        normalise(best);
        double bestExact = exact(best, ell);
        double[] g = new double[dim];
        double[] trial = new double[dim];
        double[] grad = new double[dim];
        double[] tgrad = new double[dim];
        double[] dir = new double[dim];
        double[][] s = new double[MEMORY][dim];
        double[][] yv = new double[MEMORY][dim];
        double[] rho = new double[MEMORY];
        double[] alpha = new double[MEMORY];
        double[] sk = new double[dim];
        double[] yk = new double[dim];
        stages:
        for (double beta : BETAS) {
            System.arraycopy(best, 0, g, 0, dim);
            normalise(g);
            double f = evaluate(g, beta, grad, ell);
            if (!Double.isFinite(f)) {
                break;
            }
            int stored = 0;
            int head = 0;
            for (int it = 0; it < iterationsStage; it++) {
                if (stop.getAsBoolean()) {
                    break stages;
                }
                twoLoop(grad, s, yv, rho, alpha, stored, head, dir);
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
                double ft = Double.NaN;
                boolean accepted = false;
                for (int ls = 0; ls < 40; ls++) {
                    for (int i = 0; i < dim; i++) {
                        trial[i] = g[i] + step * dir[i];
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
                    System.arraycopy(trial, 0, best, 0, dim);
                    normalise(best);
                }
                double sy = 0;
                double ss = 0;
                double yy = 0;
                for (int i = 0; i < dim; i++) {
                    double a = trial[i] - g[i];
                    double b = tgrad[i] - grad[i];
                    sk[i] = a;
                    yk[i] = b;
                    sy += a * b;
                    ss += a * a;
                    yy += b * b;
                }
                if (sy > 1e-16 * Math.sqrt(ss * yy)) {
                    double[] old = s[head];
                    s[head] = sk;
                    sk = old;
                    old = yv[head];
                    yv[head] = yk;
                    yk = old;
                    rho[head] = 1.0 / sy;
                    head = (head + 1) % MEMORY;
                    stored = Math.min(stored + 1, MEMORY);
                }
                double decrease = f - ft;
                double[] swap = g;
                g = trial;
                trial = swap;
                swap = grad;
                grad = tgrad;
                tgrad = swap;
                f = ft;
                if (decrease <= stageTolerance * Math.max(1, Math.abs(f))) {
                    break;
                }
            }
        }
        ZMatrixRMaj out = new ZMatrixRMaj(start.numRows, start.numCols);
        System.arraycopy(best, 0, out.data, 0, dim);
        return out;
    }

    /** Exact {@code log α*(G)}. */
    double exact(ZMatrixRMaj g) {
        workspaces(g.numCols);
        return exact(g.data, new double[devices]);
    }

    private double exact(double[] g, double[] ell) {
        evaluate(g, 1, null, ell);
        return max(ell);
    }

    /**
     * {@code F_β(G)} for G (rows × L, interleaved); fills {@code ell} with the ℓ_n and, if {@code grad != null},
     * the gradient.
     *
     * @return {@code +∞} if some {@code Gᴴ H_n} is rank deficient
     */
    private double evaluate(double[] g, double beta, double[] grad, double[] ell) {
        int n = devices;
        double norm2 = 0;
        for (double v : g) {
            norm2 += v * v;
        }
        double logNorm = Math.log(norm2);
        for (int k = 0; k < n; k++) {
            int t = cols[k];
            double[] hk = h[k];
            double[] hgk = hg[k];
            // Hᴴ G (t × L): hg[a][b] = Σ_i conj(H[i][a]) G[i][b]
            java.util.Arrays.fill(hgk, 0);
            for (int i = 0; i < rows; i++) {
                int hi = 2 * i * t;
                int gi = 2 * i * l;
                for (int a = 0; a < t; a++) {
                    double hr = hk[hi + 2 * a];
                    double him = hk[hi + 2 * a + 1];
                    int o = 2 * a * l;
                    for (int b = 0; b < l; b++) {
                        double gr = g[gi + 2 * b];
                        double gim = g[gi + 2 * b + 1];
                        hgk[o + 2 * b] += hr * gr + him * gim;
                        hgk[o + 2 * b + 1] += hr * gim - him * gr;
                    }
                }
            }
            // K = (Hᴴ G)ᴴ (Hᴴ G), lower triangle, mirrored: exactly Hermitian
            for (int a = 0; a < l; a++) {
                for (int b = 0; b <= a; b++) {
                    double re = 0;
                    double im = 0;
                    for (int c = 0; c < t; c++) {
                        double xr = hgk[2 * (c * l + a)];
                        double xi = hgk[2 * (c * l + a) + 1];
                        double yr = hgk[2 * (c * l + b)];
                        double yi = hgk[2 * (c * l + b) + 1];
                        re += xr * yr + xi * yi;
                        im += xr * yi - xi * yr;
                    }
                    kk[2 * (a * l + b)] = re;
                    kk[2 * (b * l + a)] = re;
                    kk[2 * (a * l + b) + 1] = a == b ? 0 : im;
                    kk[2 * (b * l + a) + 1] = a == b ? 0 : -im;
                }
            }
            if (!inverseHpd(kk, kinv[k])) {
                java.util.Arrays.fill(ell, Double.POSITIVE_INFINITY);
                return Double.POSITIVE_INFINITY;
            }
            double tr = 0;
            for (int a = 0; a < l; a++) {
                tr += kinv[k][2 * (a * l + a)];
            }
            tau[k] = tr;
            ell[k] = logWeight[k] + Math.log(tr) + logNorm;
        }
        double mx = max(ell);
        double sum = 0;
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
                int t = cols[k];
                // ∇ℓ_k = −2 H (Hᴴ G) K⁻² / τ + 2 G / ‖G‖²
                mult(kinv[k], l, l, kinv[k], l, k2);
                mult(hg[k], t, l, k2, l, tmp);
                double c = -2.0 * w / tau[k];
                double[] hk = h[k];
                for (int i = 0; i < rows; i++) {
                    int hi = 2 * i * t;
                    int gi = 2 * i * l;
                    for (int a = 0; a < t; a++) {
                        double hr = c * hk[hi + 2 * a];
                        double him = c * hk[hi + 2 * a + 1];
                        int o = 2 * a * l;
                        for (int b = 0; b < l; b++) {
                            double tr = tmp[o + 2 * b];
                            double ti = tmp[o + 2 * b + 1];
                            grad[gi + 2 * b] += hr * tr - him * ti;
                            grad[gi + 2 * b + 1] += hr * ti + him * tr;
                        }
                    }
                }
            }
            double c = 2.0 / norm2;
            for (int i = 0; i < grad.length; i++) {
                grad[i] += c * g[i];
            }
        }
        return f;
    }

    /** out (r × c) = a (r × q) b (q × c), complex interleaved. */
    private static void mult(double[] a, int r, int q, double[] b, int c, double[] out) {
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                double re = 0;
                double im = 0;
                for (int x = 0; x < q; x++) {
                    double ar = a[2 * (i * q + x)];
                    double ai = a[2 * (i * q + x) + 1];
                    double br = b[2 * (x * c + j)];
                    double bi = b[2 * (x * c + j) + 1];
                    re += ar * br - ai * bi;
                    im += ar * bi + ai * br;
                }
                out[2 * (i * c + j)] = re;
                out[2 * (i * c + j) + 1] = im;
            }
        }
    }

    /** inv = a⁻¹ = L⁻ᴴ L⁻¹ (exactly Hermitian) for Hermitian positive definite a (L × L); false if not PD. */
    private boolean inverseHpd(double[] a, double[] inv) {
        int n = l;
        java.util.Arrays.fill(lf, 0);
        for (int j = 0; j < n; j++) {
            int jr = 2 * j * n;
            double d = a[jr + 2 * j];
            for (int k = 0; k < j; k++) {
                double re = lf[jr + 2 * k];
                double im = lf[jr + 2 * k + 1];
                d -= re * re + im * im;
            }
            if (!(d > 0) || Double.isInfinite(d)) {
                return false;
            }
            double ljj = Math.sqrt(d);
            lf[jr + 2 * j] = ljj;
            double iv = 1.0 / ljj;
            for (int i = j + 1; i < n; i++) {
                int ir = 2 * i * n;
                double re = a[ir + 2 * j];
                double im = a[ir + 2 * j + 1];
                for (int k = 0; k < j; k++) {
                    double ar = lf[ir + 2 * k];
                    double ai = lf[ir + 2 * k + 1];
                    double br = lf[jr + 2 * k];
                    double bi = lf[jr + 2 * k + 1];
                    re -= ar * br + ai * bi;
                    im -= ai * br - ar * bi;
                }
                lf[ir + 2 * j] = re * iv;
                lf[ir + 2 * j + 1] = im * iv;
            }
        }
        java.util.Arrays.fill(li, 0);
        for (int j = 0; j < n; j++) {
            li[2 * (j * n + j)] = 1.0 / lf[2 * (j * n + j)];
            for (int i = j + 1; i < n; i++) {
                int ir = 2 * i * n;
                double re = 0;
                double im = 0;
                for (int k = j; k < i; k++) {
                    double ar = lf[ir + 2 * k];
                    double ai = lf[ir + 2 * k + 1];
                    double br = li[2 * (k * n + j)];
                    double bi = li[2 * (k * n + j) + 1];
                    re -= ar * br - ai * bi;
                    im -= ar * bi + ai * br;
                }
                double d = 1.0 / lf[ir + 2 * i];
                li[2 * (i * n + j)] = re * d;
                li[2 * (i * n + j) + 1] = im * d;
            }
        }
        // inv[a][b] = Σ_c conj(li[c][a]) li[c][b], c ≥ max(a, b); lower triangle, mirrored
        for (int x = 0; x < n; x++) {
            for (int y = 0; y <= x; y++) {
                double re = 0;
                double im = 0;
                for (int c = x; c < n; c++) {
                    double ar = li[2 * (c * n + x)];
                    double ai = li[2 * (c * n + x) + 1];
                    double br = li[2 * (c * n + y)];
                    double bi = li[2 * (c * n + y) + 1];
                    re += ar * br + ai * bi;
                    im += ar * bi - ai * br;
                }
                inv[2 * (x * n + y)] = re;
                inv[2 * (y * n + x)] = re;
                inv[2 * (x * n + y) + 1] = x == y ? 0 : im;
                inv[2 * (y * n + x) + 1] = x == y ? 0 : -im;
            }
        }
        return true;
    }

    private static void twoLoop(double[] grad, double[][] s, double[][] y, double[] rho, double[] alpha, int stored,
            int head, double[] q) {
        int dim = grad.length;
        for (int i = 0; i < dim; i++) {
            q[i] = -grad[i];
        }
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

    private static void normalise(double[] g) {
        double s = 0;
        for (double v : g) {
            s += v * v;
        }
        double inv = 1.0 / Math.sqrt(s);
        for (int i = 0; i < g.length; i++) {
            g[i] *= inv;
        }
    }

    static ZMatrixRMaj normalised(ZMatrixRMaj g) {
        ZMatrixRMaj out = g.copy();
        double norm = Math.sqrt(ComplexLinalg.frobeniusSquared(g));
        CommonOps_ZDRM.scale(1.0 / norm, 0, out);
        return out;
    }
}
