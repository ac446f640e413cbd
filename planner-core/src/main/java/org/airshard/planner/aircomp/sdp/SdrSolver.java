package org.airshard.planner.aircomp.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.airshard.planner.aircomp.linalg.ComplexLinalg;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Primal-dual interior-point method for the semidefinite relaxation of spec/aircomp.md §4.3:
 * <pre>
 *   (P)  min_X tr X          s.t.  w_n H_nᴴ X H_n ⪰ I_{t_n}  (n = 1..N),  X ⪰ 0      X: N_r × N_r Hermitian
 *   (D)  max_Z Σ_n tr Z_n    s.t.  Σ_n w_n H_n Z_n H_nᴴ ⪯ I_{N_r},        Z_n ⪰ 0     Z_n: t_n × t_n Hermitian
 * </pre>
 * with {@code w_n = E_n / L0}. The method works on (D) as the "dual" of a standard-form SDP whose free variable
 * y collects the real coordinates of the small blocks Z_n (m = Σ t_n² unknowns, see {@link HermitianBasis});
 * its "primal" variable is the block-diagonal {@code diag(X, W_1, …, W_N)} with {@code W_n} the constraint slacks,
 * so the SDR's X comes out directly. Complex Hermitian blocks are kept complex.
 *
 * <p>Each iteration: HKM search direction, Schur complement {@code M} (m × m, built from the t × t products
 * {@code H_nᴴ X H_m} and {@code H_mᴴ S_0⁻¹ H_n} only), Mehrotra predictor-corrector with σ = (μ_aff/μ)³, step
 * lengths from the smallest eigenvalue of {@code L⁻¹ ΔX L⁻ᴴ}, step factor {@code 0.9 + 0.09·min(α_p, α_d)}.
 * Each device is first whitened: with {@code G_n = √w_n H_n}, {@code T_n = (G_nᴴ G_n)^{-1/2}}, the constraint reads
 * {@code (G_n T_n)ᴴ X (G_n T_n) ⪰ C_n = (G_nᴴ G_n)⁻¹} with orthonormal {@code G_n T_n}, which keeps the Schur
 * complement well conditioned for nearly rank-deficient channels; then X is scaled so that {@code C_n ⪯ I}. The
 * start is strictly feasible ({@code X = 2I}, {@code Z_n = ζ I}) but the method is an infeasible one and tolerates
 * residuals. If the Cholesky of M fails it is retried with small diagonal shifts, then LU.
 *
 * <p>Stopping: every iteration the iterate is turned into certified bounds (see {@code certifiedBounds}): an
 * exactly feasible {@code X' = X / min_n λ_min(G_nᴴ X G_n)} (upper bound {@code tr X'}) and exactly feasible dual
 * blocks (lower bound). The solver stops with {@link SdpStatus#OPTIMAL} when their relative gap is below
 * {@link SdpOptions#gapTolerance()}, and with {@link SdpStatus#NUMERICAL} when the best gap has not improved for
 * {@link #STALL_ITERATIONS} iterations (rounding has taken over). The result always carries the best certified pair
 * seen, so its {@code value} is attained by its feasible {@code x}.
 *
 * <p>Before each iteration it checks the thread's interrupt flag (without clearing it), the cancel flag, the time
 * and the iteration limit, and returns the best certified point with the matching status. Progress goes to a
 * {@link SdpProgressListener}; nothing is printed. Stateless: concurrent calls are independent.
 */
public final class SdrSolver {

    /** Relative diagonal shifts tried when the Cholesky of the Schur complement fails. */
    static final double[] SCHUR_SHIFTS = {0, 1e-14, 1e-12, 1e-10};

    /** Stop when the certified gap has not improved for this many iterations. */
    static final int STALL_ITERATIONS = 6;

    /** Step lengths above this act like +∞ in the step rule (1/0.9, the smallest step factor, plus a margin). */
    static final double STEP_CAP = 1.2;

    private SdrSolver() {
    }

    /** Solves without listener or cancel flag. */
    public static SdpResult solve(List<ZMatrixRMaj> channels, double[] weights, SdpOptions options) {
        return solve(channels, weights, options, SdpProgressListener.NONE, () -> false);
    }

    /**
     * Solves (P)/(D).
     *
     * @param channels  the {@code H_n} (each N_r × t_n, same N_r); not modified
     * @param weights   {@code w_n > 0}
     * @param options   tolerances and limits
     * @param listener  called after every iteration
     * @param cancelled polled before every iteration (as is the thread's interrupt flag)
     */
    public static SdpResult solve(List<ZMatrixRMaj> channels, double[] weights, SdpOptions options,
            SdpProgressListener listener, BooleanSupplier cancelled) {
        if (channels.isEmpty() || channels.size() != weights.length) {
            throw new IllegalArgumentException("need one weight per channel and at least one channel");
        }
        return new Run(channels, weights, options, listener, cancelled).run();
    }

    /** State of one solve. Block 0 is the N_r × N_r block, blocks 1..N the t_n × t_n ones. */
    private static final class Run {
        final SdpOptions options;
        final SdpProgressListener listener;
        final BooleanSupplier cancelled;
        final long start = System.nanoTime();
        final int n;
        final int r;
        final int m;
        final int[] offset;
        final HermitianBasis[] basis;
        final ZMatrixRMaj[] g; // √w_n H_n, then whitened G̃_n = √w_n H_n T_n (r × t_n)
        final ZMatrixRMaj[] gHat; // √(ξ w_n) H_n: the unwhitened scaled channels, for the certified upper bound
        final ZMatrixRMaj[] whiten; // T_n = (w_n H_nᴴ H_n)^{-1/2}
        final ZMatrixRMaj[] cTilde; // C̃_n = (w_n H_nᴴ H_n)⁻¹ / ξ
        double[] b;
        double xi; // scale: original X = ξ X̃
        final int totalDim;

        // inverse Cholesky factors of the current iterate (recomputed every iteration)
        ZMatrixRMaj lxInv0;
        ZMatrixRMaj lsInv0;
        ZMatrixRMaj[] lxInvb;
        ZMatrixRMaj[] lsInvb;

        // iterate
        ZMatrixRMaj x0;
        ZMatrixRMaj s0;
        ZMatrixRMaj[] xb;
        ZMatrixRMaj[] sb;
        double[] y;

        Run(List<ZMatrixRMaj> channels, double[] weights, SdpOptions options, SdpProgressListener listener,
                BooleanSupplier cancelled) {
            this.options = options;
            this.listener = listener;
            this.cancelled = cancelled;
            n = channels.size();
            r = channels.get(0).numRows;
            offset = new int[n + 1];
            basis = new HermitianBasis[n];
            g = new ZMatrixRMaj[n];
            gHat = new ZMatrixRMaj[n];
            whiten = new ZMatrixRMaj[n];
            cTilde = new ZMatrixRMaj[n];
            int dims = r;
            for (int k = 0; k < n; k++) {
                ZMatrixRMaj h = channels.get(k);
                if (h.numRows != r) {
                    throw new IllegalArgumentException("all channels need " + r + " rows");
                }
                if (!(weights[k] > 0) || !Double.isFinite(weights[k])) {
                    throw new IllegalArgumentException("weight " + k + " must be finite and > 0");
                }
                basis[k] = new HermitianBasis(h.numCols);
                offset[k + 1] = offset[k] + basis[k].size;
                g[k] = h.copy();
                CommonOps_ZDRM.scale(Math.sqrt(weights[k]), 0, g[k]);
                dims += h.numCols;
            }
            m = offset[n];
            totalDim = dims;
        }

        SdpResult run() {
            // feasibility: λ_min(G_nᴴ G_n) > 0 for every n, else G_nᴴ X G_n ⪰ I is impossible.
            // Per-device whitening: T_n = (G_nᴴ G_n)^{-1/2}, G̃_n = G_n T_n (orthonormal columns) and
            // G_nᴴ X G_n ⪰ I  ⟺  G̃_nᴴ X G̃_n ⪰ C_n = (G_nᴴ G_n)⁻¹. This keeps the Schur complement well conditioned
            // when channels are nearly rank deficient. Then X = ξ X̃ with ξ = max_n λ_max(C_n), so C̃_n = C_n/ξ ⪯ I.
            ZMatrixRMaj[] cn = new ZMatrixRMaj[n];
            xi = 0;
            for (int k = 0; k < n; k++) {
                int t = g[k].numCols;
                ZMatrixRMaj gram = new ZMatrixRMaj(t, t);
                CommonOps_ZDRM.multTransA(g[k], g[k], gram);
                ComplexLinalg.HermitianEigen eg = ComplexLinalg.eigen(gram, true);
                double[] ev = eg.values();
                double lmin = ev[ev.length - 1];
                if (!(lmin > 1e-13 * ev[0]) || t > r) {
                    return new SdpResult(SdpStatus.INFEASIBLE, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0,
                            null, List.of(), System.nanoTime() - start,
                            "channel " + k + " has numerical rank below its " + t + " columns");
                }
                ZMatrixRMaj[] parts = ComplexLinalg.hermitianFunctions(eg, new double[] {-0.5, -1.0});
                whiten[k] = parts[0];
                cn[k] = parts[1];
                xi = Math.max(xi, 1.0 / lmin);
            }
            for (int k = 0; k < n; k++) {
                gHat[k] = g[k].copy();
                CommonOps_ZDRM.scale(Math.sqrt(xi), 0, gHat[k]);
                ZMatrixRMaj gw = new ZMatrixRMaj(r, g[k].numCols);
                CommonOps_ZDRM.mult(g[k], whiten[k], gw);
                g[k] = gw;
                cTilde[k] = cn[k];
                CommonOps_ZDRM.scale(1.0 / xi, 0, cTilde[k]);
                ComplexLinalg.hermitianPart(cTilde[k]);
            }
            // b = coordinates of the C̃_n (the dual objective is Σ ⟨C̃_n, Z̃_n⟩ = bᵀy)
            b = new double[m];
            double bNorm = 0;
            for (int k = 0; k < n; k++) {
                basis[k].coords(cTilde[k], b, offset[k], 1);
            }
            for (double v : b) {
                bNorm += v * v;
            }
            bNorm = Math.sqrt(bNorm);
            // strictly feasible start: X̃ = 2I (then W_n = 2I − C̃_n ⪰ I), Z̃_n = ζ I with ζ Σ t_n = 1/2
            // (Σ G̃_n G̃_nᴴ ⪯ Σ t_n I since each G̃_n G̃_nᴴ is a projection)
            x0 = CommonOps_ZDRM.identity(r);
            CommonOps_ZDRM.scale(2, 0, x0);
            int sumT = 0;
            for (int k = 0; k < n; k++) {
                sumT += g[k].numCols;
            }
            double zeta = 0.5 / sumT;
            y = new double[m];
            xb = new ZMatrixRMaj[n];
            sb = new ZMatrixRMaj[n];
            lxInvb = new ZMatrixRMaj[n];
            lsInvb = new ZMatrixRMaj[n];
            for (int k = 0; k < n; k++) {
                for (int p = 0; p < basis[k].size; p++) {
                    if (basis[k].diagonal[p]) {
                        y[offset[k] + p] = zeta;
                    }
                }
                xb[k] = gramOf(x0, k);
                subtract(xb[k], cTilde[k]);
                sb[k] = basis[k].matrix(y, offset[k]);
            }
            s0 = CommonOps_ZDRM.identity(r);
            subtractLifted(s0, y, 1.0);

            double cNorm = Math.sqrt(r);

            int iteration = 0;
            SdpStatus status = null;
            double pobj = 0;
            double dobj = 0;
            double gap = Double.NaN;
            double infeas = Double.NaN;
            Bounds best = new Bounds(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, null);
            String message = "";
            int bestIteration = 0;
            while (true) {
                // residuals
                Bounds bounds = certifiedBounds();
                if (bounds.gap() < best.gap() || best.x() == null) {
                    best = bounds;
                    bestIteration = iteration;
                }
                pobj = ComplexLinalg.realTrace(x0);
                dobj = 0;
                for (int i = 0; i < m; i++) {
                    dobj += b[i] * y[i];
                }
                // rp = b − A*(X):  b_n − coords(G̃_nᴴ X G̃_n − W_n)
                double[] rp = b.clone();
                for (int k = 0; k < n; k++) {
                    basis[k].coords(gramOf(x0, k), rp, offset[k], -1);
                    basis[k].coords(xb[k], rp, offset[k], 1);
                }
                // Rd = C − S − A(y):  block 0: I − S0 − Σ G Z(y) Gᴴ; block n: Z_n(y) − S_n
                ZMatrixRMaj rd0 = CommonOps_ZDRM.identity(r);
                subtract(rd0, s0);
                subtractLifted(rd0, y, 1.0);
                ZMatrixRMaj[] rdb = new ZMatrixRMaj[n];
                double rdNorm = ComplexLinalg.frobeniusSquared(rd0);
                for (int k = 0; k < n; k++) {
                    rdb[k] = basis[k].matrix(y, offset[k]);
                    subtract(rdb[k], sb[k]);
                    rdNorm += ComplexLinalg.frobeniusSquared(rdb[k]);
                }
                double pinf = norm(rp) / (1 + bNorm);
                double dinf = Math.sqrt(rdNorm) / (1 + cNorm);
                infeas = Math.max(pinf, dinf);
                gap = Math.abs(pobj - dobj) / (1 + Math.abs(pobj) + Math.abs(dobj));
                if (iteration > 0) {
                    listener.onIteration(iteration, xi * best.upper(), xi * best.lower(), best.gap(), infeas);
                }
                if (best.gap() <= options.gapTolerance()) {
                    status = SdpStatus.OPTIMAL;
                    break;
                }
                if (iteration - bestIteration >= STALL_ITERATIONS) {
                    // rounding has taken over (typically the primal residual grows as S becomes singular)
                    status = SdpStatus.NUMERICAL;
                    message = "no progress of the certified gap for " + STALL_ITERATIONS + " iterations";
                    break;
                }
                if (Thread.currentThread().isInterrupted() || cancelled.getAsBoolean()) {
                    status = SdpStatus.CANCELLED;
                    break;
                }
                if (options.timeLimitMillis() > 0 && System.nanoTime() - start > options.timeLimitMillis() * 1_000_000L) {
                    status = SdpStatus.TIME_LIMIT;
                    break;
                }
                if (iteration >= options.maxIterations()) {
                    status = SdpStatus.ITERATION_LIMIT;
                    break;
                }
                iteration++;
                double mu = complementarity(x0, s0, xb, sb) / totalDim;

                // inverse Cholesky factors, shared by S⁻¹ and by the four step-length computations
                lsInv0 = inverseCholesky(s0);
                lxInv0 = inverseCholesky(x0);
                ZMatrixRMaj s0inv = lsInv0 == null ? null : inverseFromFactor(lsInv0);
                ZMatrixRMaj[] sbinv = new ZMatrixRMaj[n];
                for (int k = 0; k < n && s0inv != null && lxInv0 != null; k++) {
                    lsInvb[k] = inverseCholesky(sb[k]);
                    lxInvb[k] = inverseCholesky(xb[k]);
                    if (lsInvb[k] == null || lxInvb[k] == null) {
                        s0inv = null;
                    } else {
                        sbinv[k] = inverseFromFactor(lsInvb[k]);
                    }
                }
                if (s0inv == null || lxInv0 == null) {
                    status = SdpStatus.NUMERICAL;
                    message = "X or S is no longer positive definite";
                    break;
                }
                LinearSolverDense<DMatrixRMaj> schur = schurFactor(s0inv, sbinv);
                if (schur == null) {
                    status = SdpStatus.NUMERICAL;
                    message = "Schur complement is not positive definite";
                    break;
                }
                // X Rd S⁻¹ (constant over predictor and corrector)
                ZMatrixRMaj xrs0 = triple(x0, rd0, s0inv);
                ZMatrixRMaj[] xrsb = new ZMatrixRMaj[n];
                for (int k = 0; k < n; k++) {
                    xrsb[k] = triple(xb[k], rdb[k], sbinv[k]);
                }
                // predictor: K = −X
                ZMatrixRMaj k0 = x0.copy();
                CommonOps_ZDRM.scale(-1, 0, k0);
                ZMatrixRMaj[] kb = new ZMatrixRMaj[n];
                for (int k = 0; k < n; k++) {
                    kb[k] = xb[k].copy();
                    CommonOps_ZDRM.scale(-1, 0, kb[k]);
                }
                Direction pred = direction(schur, rp, k0, kb, xrs0, xrsb, rd0, rdb, s0inv, sbinv);
                double ap = Math.min(1, maxStep(pred, true));
                double ad = Math.min(1, maxStep(pred, false));
                double muAff = affineComplementarity(pred, ap, ad) / totalDim;
                double sigma = Math.max(0, Math.min(1, Math.pow(Math.max(muAff, 0) / mu, 3)));
                // corrector: K = σμ S⁻¹ − X − ΔX_a ΔS_a S⁻¹
                k0 = s0inv.copy();
                CommonOps_ZDRM.scale(sigma * mu, 0, k0);
                subtract(k0, x0);
                subtract(k0, triple(pred.dx0, pred.ds0, s0inv));
                for (int k = 0; k < n; k++) {
                    kb[k] = sbinv[k].copy();
                    CommonOps_ZDRM.scale(sigma * mu, 0, kb[k]);
                    subtract(kb[k], xb[k]);
                    subtract(kb[k], triple(pred.dxb[k], pred.dsb[k], sbinv[k]));
                }
                Direction corr = direction(schur, rp, k0, kb, xrs0, xrsb, rd0, rdb, s0inv, sbinv);
                double mp = maxStep(corr, true);
                double md = maxStep(corr, false);
                double factor = 0.9 + 0.09 * Math.min(Math.min(1, mp), Math.min(1, md));
                ap = Math.min(1, factor * mp);
                ad = Math.min(1, factor * md);
                if (!(ap > 1e-12) && !(ad > 1e-12)) {
                    status = SdpStatus.NUMERICAL;
                    message = "step length collapsed";
                    break;
                }
                addScaled(x0, corr.dx0, ap);
                addScaled(s0, corr.ds0, ad);
                ComplexLinalg.hermitianPart(x0);
                ComplexLinalg.hermitianPart(s0);
                for (int k = 0; k < n; k++) {
                    addScaled(xb[k], corr.dxb[k], ap);
                    addScaled(sb[k], corr.dsb[k], ad);
                    ComplexLinalg.hermitianPart(xb[k]);
                    ComplexLinalg.hermitianPart(sb[k]);
                }
                for (int i = 0; i < m; i++) {
                    y[i] += ad * corr.dy[i];
                }
            }
            if (best.x() == null) {
                return new SdpResult(SdpStatus.NUMERICAL, xi * pobj, xi * dobj, gap, infeas, iteration, null, List.of(),
                        System.nanoTime() - start, "no certified feasible point: " + message);
            }
            ZMatrixRMaj x = best.x().copy();
            CommonOps_ZDRM.scale(xi, 0, x);
            List<ZMatrixRMaj> zs = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                // back to the unwhitened dual blocks: Z_n = T_n Z̃_n T_nᴴ, so Σ tr Z_n = Σ ⟨C_n, Z̃_n⟩ = ξ Σ ⟨C̃_n, Z̃_n⟩
                ZMatrixRMaj tz = new ZMatrixRMaj(whiten[k].numRows, whiten[k].numCols);
                CommonOps_ZDRM.mult(whiten[k], best.z()[k], tz);
                ZMatrixRMaj z = new ZMatrixRMaj(whiten[k].numRows, whiten[k].numRows);
                CommonOps_ZDRM.multTransB(tz, whiten[k], z);
                zs.add(z);
            }
            return new SdpResult(status, xi * best.upper(), xi * best.lower(), best.gap(), infeas, iteration, x,
                    List.copyOf(zs), System.nanoTime() - start, message);
        }

        /**
         * Certified bounds at the current iterate. Upper: {@code X' = X / min_n λ_min(G_nᴴ X G_n)} is exactly
         * feasible, so {@code tr X'} ≥ optimum. Lower: with {@code Z_n⁺ = Z_n + max(0, −λ_min(Z_n)) I ⪰ 0} and
         * {@code ρ = λ_max(Σ G_n Z_n⁺ G_nᴴ)}, {@code Z_n⁺/max(ρ, ·)} is exactly dual feasible, so
         * {@code Σ tr Z_n⁺ / ρ} ≤ optimum. The rounding in the eigenvalues is the only uncertainty left.
         */
        Bounds certifiedBounds() {
            double minLam = Double.POSITIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                ZMatrixRMaj xg = new ZMatrixRMaj(r, gHat[k].numCols);
                CommonOps_ZDRM.mult(x0, gHat[k], xg);
                ZMatrixRMaj q = new ZMatrixRMaj(gHat[k].numCols, gHat[k].numCols);
                CommonOps_ZDRM.multTransA(gHat[k], xg, q); // ξ w_n H_nᴴ X̃ H_n: feasible iff ⪰ I
                ComplexLinalg.hermitianPart(q);
                minLam = Math.min(minLam, ComplexLinalg.minEigenvalue(q));
            }
            double upper = Double.POSITIVE_INFINITY;
            ZMatrixRMaj xf = null;
            // X is kept positive definite by the step rule; a Cholesky confirms it
            if (minLam > 0 && ComplexLinalg.cholesky(x0) != null) {
                xf = x0.copy();
                CommonOps_ZDRM.scale(1.0 / minLam, 0, xf);
                upper = ComplexLinalg.realTrace(xf);
            }
            ZMatrixRMaj[] zp = new ZMatrixRMaj[n];
            double trace = 0;
            ZMatrixRMaj lifted = new ZMatrixRMaj(r, r);
            for (int k = 0; k < n; k++) {
                zp[k] = basis[k].matrix(y, offset[k]);
                if (ComplexLinalg.cholesky(zp[k]) == null) {
                    double lmin = ComplexLinalg.minEigenvalue(zp[k]);
                    if (lmin < 0) {
                        for (int i = 0; i < zp[k].numRows; i++) {
                            zp[k].setReal(i, i, zp[k].getReal(i, i) - lmin);
                        }
                    }
                }
                trace += ComplexLinalg.innerProduct(cTilde[k], zp[k]);
                ZMatrixRMaj gz = new ZMatrixRMaj(r, g[k].numCols);
                CommonOps_ZDRM.mult(g[k], zp[k], gz);
                CommonOps_ZDRM.multAddTransB(gz, g[k], lifted);
            }
            ComplexLinalg.hermitianPart(lifted);
            // ρ = λ_max(Σ G Z⁺ Gᴴ); if I − Σ G Z⁺ Gᴴ ≻ 0 (Cholesky) then ρ < 1 and Z⁺ itself is feasible
            ZMatrixRMaj slack = CommonOps_ZDRM.identity(r);
            Run.subtract(slack, lifted);
            double rho = ComplexLinalg.cholesky(slack) != null ? 1.0 : ComplexLinalg.maxEigenvalue(lifted);
            double lower = rho > 0 ? trace / rho : 0;
            for (int k = 0; k < n; k++) {
                if (rho > 0) {
                    CommonOps_ZDRM.scale(1.0 / rho, 0, zp[k]);
                }
            }
            return new Bounds(upper, lower, xf, zp);
        }

        /** {@code G_kᴴ X G_k} (t_k × t_k, Hermitian). */
        ZMatrixRMaj gramOf(ZMatrixRMaj x, int k) {
            ZMatrixRMaj xg = new ZMatrixRMaj(r, g[k].numCols);
            CommonOps_ZDRM.mult(x, g[k], xg);
            ZMatrixRMaj out = new ZMatrixRMaj(g[k].numCols, g[k].numCols);
            CommonOps_ZDRM.multTransA(g[k], xg, out);
            return out;
        }

        /** {@code target −= scale Σ_k G_k Z_k(v) G_kᴴ}. */
        void subtractLifted(ZMatrixRMaj target, double[] v, double scale) {
            for (int k = 0; k < n; k++) {
                ZMatrixRMaj z = basis[k].matrix(v, offset[k]);
                ZMatrixRMaj gz = new ZMatrixRMaj(r, g[k].numCols);
                CommonOps_ZDRM.mult(g[k], z, gz);
                CommonOps_ZDRM.multAddTransB(-scale, 0, gz, g[k], target);
            }
        }

        /**
         * Schur complement {@code M_ij = Re tr(A_i X A_j S⁻¹)} summed over the blocks, factored by Cholesky.
         * Block 0 contributes {@code Re tr(E_i (G_kᴴ X G_l) E_j (G_lᴴ S_0⁻¹ G_k))}, block k (only for i, j of
         * device k) {@code Re tr(E_i W_k E_j S_k⁻¹)}.
         */
        LinearSolverDense<DMatrixRMaj> schurFactor(ZMatrixRMaj s0inv, ZMatrixRMaj[] sbinv) {
            double[][] mm = new double[m][m];
            ZMatrixRMaj[] xg = new ZMatrixRMaj[n];
            ZMatrixRMaj[] sg = new ZMatrixRMaj[n];
            for (int k = 0; k < n; k++) {
                xg[k] = new ZMatrixRMaj(r, g[k].numCols);
                CommonOps_ZDRM.mult(x0, g[k], xg[k]);
                sg[k] = new ZMatrixRMaj(r, g[k].numCols);
                CommonOps_ZDRM.mult(s0inv, g[k], sg[k]);
            }
            for (int k = 0; k < n; k++) {
                for (int l = k; l < n; l++) {
                    ZMatrixRMaj p = new ZMatrixRMaj(g[k].numCols, g[l].numCols);
                    CommonOps_ZDRM.multTransA(g[k], xg[l], p); // G_kᴴ X G_l
                    ZMatrixRMaj q = new ZMatrixRMaj(g[l].numCols, g[k].numCols);
                    CommonOps_ZDRM.multTransA(g[l], sg[k], q); // G_lᴴ S⁻¹ G_k
                    basis[k].addSchurBlock(basis[l], p, q, mm, offset[k], offset[l]);
                }
                basis[k].addSchurBlock(basis[k], xb[k], sbinv[k], mm, offset[k], offset[k]);
            }
            DMatrixRMaj dm = new DMatrixRMaj(m, m);
            for (int i = 0; i < m; i++) {
                for (int j = i; j < m; j++) {
                    // only the upper block triangle was filled (l ≥ k); mirror it
                    double v = (j < offsetEnd(i)) ? 0.5 * (mm[i][j] + mm[j][i]) : mm[i][j];
                    dm.set(i, j, v);
                    dm.set(j, i, v);
                }
            }
            // M is positive definite in exact arithmetic but can be badly conditioned (near rank-deficient
            // channels, widely spread gains): retry with a growing diagonal shift, then fall back to LU with
            // partial pivoting. An inexact Newton direction is fine: the method is an infeasible one.
            double maxDiag = 0;
            for (int i = 0; i < m; i++) {
                maxDiag = Math.max(maxDiag, Math.abs(dm.get(i, i)));
            }
            for (double shift : SCHUR_SHIFTS) {
                DMatrixRMaj trial = dm.copy();
                for (int i = 0; i < m; i++) {
                    trial.add(i, i, shift * maxDiag);
                }
                LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(m);
                if (solver.setA(trial)) {
                    return solver;
                }
            }
            LinearSolverDense<DMatrixRMaj> lu = LinearSolverFactory_DDRM.lu(m);
            if (lu.setA(dm.copy()) && lu.quality() > 1e-300) {
                return lu;
            }
            return null;
        }

        /** End (exclusive) of the device block containing coordinate i. */
        int offsetEnd(int i) {
            for (int k = 0; k < n; k++) {
                if (i < offset[k + 1]) {
                    return offset[k + 1];
                }
            }
            return m;
        }

        Direction direction(LinearSolverDense<DMatrixRMaj> schur, double[] rp, ZMatrixRMaj k0, ZMatrixRMaj[] kb,
                ZMatrixRMaj xrs0, ZMatrixRMaj[] xrsb, ZMatrixRMaj rd0, ZMatrixRMaj[] rdb, ZMatrixRMaj s0inv,
                ZMatrixRMaj[] sbinv) {
            // rhs = rp − A*(K − X Rd S⁻¹), A*(Y)_n = coords(G_nᴴ Y_0 G_n) − coords(Y_n)
            ZMatrixRMaj t0 = k0.copy();
            subtract(t0, xrs0);
            DMatrixRMaj rhs = new DMatrixRMaj(m, 1);
            double[] rv = rhs.data;
            System.arraycopy(rp, 0, rv, 0, m);
            for (int k = 0; k < n; k++) {
                ZMatrixRMaj tk = kb[k].copy();
                subtract(tk, xrsb[k]);
                basis[k].coords(gramOf(t0, k), rv, offset[k], -1);
                basis[k].coords(tk, rv, offset[k], 1);
            }
            DMatrixRMaj dyM = new DMatrixRMaj(m, 1);
            schur.solve(rhs, dyM);
            Direction d = new Direction();
            d.dy = dyM.data;
            // ΔS = Rd − A(Δy)
            d.ds0 = rd0.copy();
            subtractLifted(d.ds0, d.dy, 1.0);
            ComplexLinalg.hermitianPart(d.ds0);
            d.dsb = new ZMatrixRMaj[n];
            d.dxb = new ZMatrixRMaj[n];
            for (int k = 0; k < n; k++) {
                d.dsb[k] = rdb[k].copy();
                CommonOps_ZDRM.add(d.dsb[k], basis[k].matrix(d.dy, offset[k]), d.dsb[k]);
                ComplexLinalg.hermitianPart(d.dsb[k]);
            }
            // ΔX = Herm(K − X ΔS S⁻¹)
            d.dx0 = k0.copy();
            subtract(d.dx0, triple(x0, d.ds0, s0inv));
            ComplexLinalg.hermitianPart(d.dx0);
            for (int k = 0; k < n; k++) {
                d.dxb[k] = kb[k].copy();
                subtract(d.dxb[k], triple(xb[k], d.dsb[k], sbinv[k]));
                ComplexLinalg.hermitianPart(d.dxb[k]);
            }
            return d;
        }

        /**
         * Largest step keeping the primal (or dual) blocks positive semidefinite, but only as far as the iteration
         * uses it: steps are used as {@code min(1, step)} and {@code min(1, f·step)} with {@code f ≥ 0.9}, so any
         * value above {@link #STEP_CAP} acts like +∞. A block where a Cholesky shows {@code B + STEP_CAP·ΔB ≻ 0}
         * therefore needs no eigenvalue problem; the others get the exact {@code −1/λ_min(L⁻¹ ΔB L⁻ᴴ)}.
         */
        double maxStep(Direction d, boolean primal) {
            double step = primal ? cappedStep(x0, lxInv0, d.dx0) : cappedStep(s0, lsInv0, d.ds0);
            for (int k = 0; k < n; k++) {
                step = Math.min(step, primal ? cappedStep(xb[k], lxInvb[k], d.dxb[k]) : cappedStep(sb[k], lsInvb[k], d.dsb[k]));
            }
            return step;
        }

        static double cappedStep(ZMatrixRMaj b, ZMatrixRMaj li, ZMatrixRMaj db) {
            ZMatrixRMaj trial = b.copy();
            addScaled(trial, db, STEP_CAP);
            if (ComplexLinalg.cholesky(trial) != null) {
                return STEP_CAP;
            }
            return Math.min(STEP_CAP, maxStep(li, db));
        }

        /**
         * Largest α with {@code X + α ΔX ⪰ 0} given {@code L⁻¹} for {@code X = L Lᴴ}:
         * {@code −1/λ_min(L⁻¹ ΔX L⁻ᴴ)} ({@code +∞} if that is ≥ 0).
         */
        static double maxStep(ZMatrixRMaj li, ZMatrixRMaj dx) {
            ZMatrixRMaj w = lowerCongruence(li, dx);
            double lmin = ComplexLinalg.minEigenvalueTridiagonal(w);
            return lmin >= 0 ? Double.POSITIVE_INFINITY : -1.0 / lmin;
        }

        /**
         * {@code W = L D Lᴴ} for lower triangular L and Hermitian D, using the triangle of L and computing only the
         * lower triangle of W (mirrored): about 2/3 n³ complex multiply-adds instead of 2 n³ for two general products.
         */
        static ZMatrixRMaj lowerCongruence(ZMatrixRMaj lm, ZMatrixRMaj dm) {
            int k = lm.numRows;
            double[] l = lm.data;
            double[] d = dm.data;
            double[] t = new double[2 * k * k];
            // T = L D: row i of L has entries 0..i
            for (int i = 0; i < k; i++) {
                int ti = 2 * i * k;
                for (int c = 0; c <= i; c++) {
                    double ar = l[2 * (i * k + c)];
                    double ai = l[2 * (i * k + c) + 1];
                    if (ar == 0 && ai == 0) {
                        continue;
                    }
                    int dc = 2 * c * k;
                    for (int j = 0; j < k; j++) {
                        double br = d[dc + 2 * j];
                        double bi = d[dc + 2 * j + 1];
                        t[ti + 2 * j] += ar * br - ai * bi;
                        t[ti + 2 * j + 1] += ar * bi + ai * br;
                    }
                }
            }
            ZMatrixRMaj wm = new ZMatrixRMaj(k, k);
            double[] w = wm.data;
            // W[i][j] = Σ_{c ≤ j} T[i][c] conj(L[j][c]), j ≤ i
            for (int i = 0; i < k; i++) {
                int ti = 2 * i * k;
                for (int j = 0; j <= i; j++) {
                    int lj = 2 * j * k;
                    double re = 0;
                    double im = 0;
                    for (int c = 0; c <= j; c++) {
                        double ar = t[ti + 2 * c];
                        double ai = t[ti + 2 * c + 1];
                        double br = l[lj + 2 * c];
                        double bi = l[lj + 2 * c + 1];
                        re += ar * br + ai * bi;
                        im += ai * br - ar * bi;
                    }
                    w[2 * (i * k + j)] = re;
                    w[2 * (i * k + j) + 1] = i == j ? 0 : im;
                    w[2 * (j * k + i)] = re;
                    w[2 * (j * k + i) + 1] = i == j ? 0 : -im;
                }
            }
            return wm;
        }

        /** {@code L⁻¹} for {@code A = L Lᴴ}, or null if A is not positive definite. */
        static ZMatrixRMaj inverseCholesky(ZMatrixRMaj a) {
            ZMatrixRMaj l = ComplexLinalg.cholesky(a);
            return l == null ? null : ComplexLinalg.invertLower(l);
        }

        /** {@code A⁻¹ = L⁻ᴴ L⁻¹}, exactly Hermitian. */
        static ZMatrixRMaj inverseFromFactor(ZMatrixRMaj li) {
            ZMatrixRMaj inv = new ZMatrixRMaj(li.numRows, li.numRows);
            CommonOps_ZDRM.multTransA(li, li, inv);
            ComplexLinalg.hermitianPart(inv);
            return inv;
        }

        double affineComplementarity(Direction d, double ap, double ad) {
            double s = innerAfterStep(x0, d.dx0, ap, s0, d.ds0, ad);
            for (int k = 0; k < n; k++) {
                s += innerAfterStep(xb[k], d.dxb[k], ap, sb[k], d.dsb[k], ad);
            }
            return s;
        }

        static double innerAfterStep(ZMatrixRMaj x, ZMatrixRMaj dx, double ap, ZMatrixRMaj s, ZMatrixRMaj ds, double ad) {
            double v = 0;
            int len = x.getDataLength();
            for (int i = 0; i < len; i++) {
                v += (x.data[i] + ap * dx.data[i]) * (s.data[i] + ad * ds.data[i]);
            }
            return v;
        }

        static double complementarity(ZMatrixRMaj x0, ZMatrixRMaj s0, ZMatrixRMaj[] xb, ZMatrixRMaj[] sb) {
            double v = ComplexLinalg.innerProduct(x0, s0);
            for (int k = 0; k < xb.length; k++) {
                v += ComplexLinalg.innerProduct(xb[k], sb[k]);
            }
            return v;
        }

        static ZMatrixRMaj triple(ZMatrixRMaj a, ZMatrixRMaj b, ZMatrixRMaj c) {
            ZMatrixRMaj ab = new ZMatrixRMaj(a.numRows, b.numCols);
            CommonOps_ZDRM.mult(a, b, ab);
            ZMatrixRMaj out = new ZMatrixRMaj(a.numRows, c.numCols);
            CommonOps_ZDRM.mult(ab, c, out);
            return out;
        }

        static void subtract(ZMatrixRMaj target, ZMatrixRMaj b) {
            for (int i = 0; i < target.getDataLength(); i++) {
                target.data[i] -= b.data[i];
            }
        }

        static void addScaled(ZMatrixRMaj target, ZMatrixRMaj b, double s) {
            for (int i = 0; i < target.getDataLength(); i++) {
                target.data[i] += s * b.data[i];
            }
        }

        static double norm(double[] v) {
            double s = 0;
            for (double x : v) {
                s += x * x;
            }
            return Math.sqrt(s);
        }
    }

    /** Certified bounds at one iterate, with the exactly feasible X' and Z' they come from. */
    private record Bounds(double upper, double lower, ZMatrixRMaj x, ZMatrixRMaj[] z) {
        Bounds(double upper, double lower, ZMatrixRMaj x) {
            this(upper, lower, x, null);
        }

        double gap() {
            return Double.isFinite(upper) ? (upper - lower) / Math.max(Math.abs(upper), 1e-300) : Double.POSITIVE_INFINITY;
        }
    }

    /** A search direction. */
    private static final class Direction {
        double[] dy;
        ZMatrixRMaj dx0;
        ZMatrixRMaj ds0;
        ZMatrixRMaj[] dxb;
        ZMatrixRMaj[] dsb;
    }
}
