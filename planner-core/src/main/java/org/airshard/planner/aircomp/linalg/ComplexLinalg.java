package org.airshard.planner.aircomp.linalg;

import org.ejml.data.ZMatrixRMaj;

/**
 * Small dense complex linear algebra the AirComp optimizer needs and EJML 0.46 does not offer for complex
 * matrices: Cholesky with a PD test, inverse of a Hermitian positive definite matrix, and a Hermitian
 * eigendecomposition (cyclic Jacobi). All matrices are EJML {@link ZMatrixRMaj} (interleaved re/im, row
 * major). Inputs are never modified unless a method says so.
 *
 * <p>Notation: {@code Aᴴ} is the conjugate transpose, {@code ⟨A,B⟩ = Re tr(Aᴴ B)} the real Frobenius inner
 * product.
 */
public final class ComplexLinalg {

    private ComplexLinalg() {
    }

    /**
     * Cholesky factor of a Hermitian positive definite matrix: {@code A = L Lᴴ}, {@code L} lower triangular
     * with a positive real diagonal. Reads only the lower triangle of {@code A}.
     *
     * @return {@code L}, or {@code null} if {@code A} is not (numerically) positive definite or holds NaN
     */
    public static ZMatrixRMaj cholesky(ZMatrixRMaj a) {
        int n = a.numRows;
        if (a.numCols != n) {
            throw new IllegalArgumentException("square matrix required, got " + a.numRows + "x" + a.numCols);
        }
        double[] A = a.data;
        ZMatrixRMaj lm = new ZMatrixRMaj(n, n);
        double[] l = lm.data;
        for (int j = 0; j < n; j++) {
            int jr = 2 * j * n;
            double d = A[jr + 2 * j];
            for (int k = 0; k < j; k++) {
                double re = l[jr + 2 * k];
                double im = l[jr + 2 * k + 1];
                d -= re * re + im * im;
            }
            if (!(d > 0) || Double.isInfinite(d)) {
                return null;
            }
            double ljj = Math.sqrt(d);
            l[jr + 2 * j] = ljj;
            double inv = 1.0 / ljj;
            for (int i = j + 1; i < n; i++) {
                int ir = 2 * i * n;
                double re = A[ir + 2 * j];
                double im = A[ir + 2 * j + 1];
                for (int k = 0; k < j; k++) {
                    double ar = l[ir + 2 * k];
                    double ai = l[ir + 2 * k + 1];
                    double br = l[jr + 2 * k];
                    double bi = l[jr + 2 * k + 1];
                    // L_ik * conj(L_jk)
                    re -= ar * br + ai * bi;
                    im -= ai * br - ar * bi;
                }
                l[ir + 2 * j] = re * inv;
                l[ir + 2 * j + 1] = im * inv;
            }
        }
        return lm;
    }

    /** Inverse of a lower triangular matrix with a nonzero real diagonal (as returned by {@link #cholesky}). */
    public static ZMatrixRMaj invertLower(ZMatrixRMaj lm) {
        int n = lm.numRows;
        double[] l = lm.data;
        ZMatrixRMaj out = new ZMatrixRMaj(n, n);
        double[] x = out.data;
        for (int j = 0; j < n; j++) {
            // column j of L^{-1}: solve L x = e_j by forward substitution, x_i = 0 for i < j
            x[2 * (j * n + j)] = 1.0 / l[2 * (j * n + j)];
            for (int i = j + 1; i < n; i++) {
                int ir = 2 * i * n;
                double re = 0;
                double im = 0;
                for (int k = j; k < i; k++) {
                    double ar = l[ir + 2 * k];
                    double ai = l[ir + 2 * k + 1];
                    double br = x[2 * (k * n + j)];
                    double bi = x[2 * (k * n + j) + 1];
                    re -= ar * br - ai * bi;
                    im -= ar * bi + ai * br;
                }
                double d = 1.0 / l[ir + 2 * i];
                x[2 * (i * n + j)] = re * d;
                x[2 * (i * n + j) + 1] = im * d;
            }
        }
        return out;
    }

    /**
     * Inverse of a Hermitian positive definite matrix, {@code A⁻¹ = L⁻ᴴ L⁻¹}; the result is exactly
     * Hermitian.
     *
     * @return the inverse, or {@code null} if {@code A} is not positive definite
     */
    public static ZMatrixRMaj inverseHpd(ZMatrixRMaj a) {
        ZMatrixRMaj l = cholesky(a);
        if (l == null) {
            return null;
        }
        ZMatrixRMaj li = invertLower(l);
        ZMatrixRMaj inv = new ZMatrixRMaj(a.numRows, a.numRows);
        org.ejml.dense.row.CommonOps_ZDRM.multTransA(li, li, inv);
        hermitianPart(inv);
        return inv;
    }

    /**
     * {@code tr(A⁻¹)} of a Hermitian positive definite matrix ({@code = ‖L⁻¹‖_F²}).
     *
     * @return the trace, or {@code +∞} if {@code A} is not positive definite
     */
    public static double traceOfInverse(ZMatrixRMaj a) {
        ZMatrixRMaj l = cholesky(a);
        if (l == null) {
            return Double.POSITIVE_INFINITY;
        }
        return frobeniusSquared(invertLower(l));
    }

    /** {@code ‖A‖_F²}. */
    public static double frobeniusSquared(ZMatrixRMaj a) {
        double s = 0;
        double[] d = a.data;
        int len = a.getDataLength();
        for (int i = 0; i < len; i++) {
            s += d[i] * d[i];
        }
        return s;
    }

    /** {@code ⟨A,B⟩ = Re tr(Aᴴ B)}; equals {@code Re tr(A B)} when {@code A} is Hermitian. */
    public static double innerProduct(ZMatrixRMaj a, ZMatrixRMaj b) {
        double s = 0;
        int len = a.getDataLength();
        for (int i = 0; i < len; i++) {
            s += a.data[i] * b.data[i];
        }
        return s;
    }

    /** Replaces a square {@code A} by its Hermitian part {@code (A + Aᴴ)/2} in place. */
    public static void hermitianPart(ZMatrixRMaj a) {
        int n = a.numRows;
        double[] d = a.data;
        for (int i = 0; i < n; i++) {
            d[2 * (i * n + i) + 1] = 0;
            for (int j = i + 1; j < n; j++) {
                int ij = 2 * (i * n + j);
                int ji = 2 * (j * n + i);
                double re = 0.5 * (d[ij] + d[ji]);
                double im = 0.5 * (d[ij + 1] - d[ji + 1]);
                d[ij] = re;
                d[ij + 1] = im;
                d[ji] = re;
                d[ji + 1] = -im;
            }
        }
    }

    /** {@code Re tr(A)}. */
    public static double realTrace(ZMatrixRMaj a) {
        double s = 0;
        int n = Math.min(a.numRows, a.numCols);
        for (int i = 0; i < n; i++) {
            s += a.data[2 * (i * a.numCols + i)];
        }
        return s;
    }

    /**
     * Smallest eigenvalue of a Hermitian matrix (reads the whole matrix; call {@link #hermitianPart} first if
     * it is only Hermitian up to rounding).
     */
    public static double minEigenvalue(ZMatrixRMaj a) {
        double[] ev = eigenvalues(a);
        return ev[ev.length - 1];
    }

    /** Largest eigenvalue of a Hermitian matrix. */
    public static double maxEigenvalue(ZMatrixRMaj a) {
        return eigenvalues(a)[0];
    }

    /**
     * Smallest eigenvalue of the Hermitian part of {@code a}, without eigenvectors: Householder reduction to a
     * Hermitian tridiagonal matrix in complex arithmetic (about (8/3)n³ real flops, a quarter of the real 2n × 2n
     * embedding's reduction), whose off-diagonal moduli give a real symmetric tridiagonal matrix with the same
     * eigenvalues, then Sturm-sequence bisection for the smallest one only. Backward stable like
     * {@link #minEigenvalue}: the error is a small multiple of {@code ε‖a‖}.
     */
    public static double minEigenvalueTridiagonal(ZMatrixRMaj a) {
        int n = a.numRows;
        if (n <= 2) {
            return minEigenvalue(a);
        }
        double[] re = new double[n * n];
        double[] im = new double[n * n];
        double[] ad = a.data;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int ij = 2 * (i * n + j);
                int ji = 2 * (j * n + i);
                re[i * n + j] = 0.5 * (ad[ij] + ad[ji]);
                im[i * n + j] = 0.5 * (ad[ij + 1] - ad[ji + 1]);
            }
        }
        double[] d = new double[n];
        double[] e2 = new double[n]; // squared off-diagonal moduli, e2[k] couples k and k + 1
        double[] vr = new double[n];
        double[] vi = new double[n];
        double[] pr = new double[n];
        double[] pi = new double[n];
        for (int k = 0; k < n - 2; k++) {
            d[k] = re[k * n + k];
            // x = A[k+1.., k]
            double norm2 = 0;
            for (int i = k + 1; i < n; i++) {
                norm2 += re[i * n + k] * re[i * n + k] + im[i * n + k] * im[i * n + k];
            }
            double tail = norm2 - (re[(k + 1) * n + k] * re[(k + 1) * n + k] + im[(k + 1) * n + k] * im[(k + 1) * n + k]);
            if (tail == 0) {
                e2[k] = norm2; // already tridiagonal in this column
                continue;
            }
            double xnorm = Math.sqrt(norm2);
            double x0r = re[(k + 1) * n + k];
            double x0i = im[(k + 1) * n + k];
            double x0abs = Math.hypot(x0r, x0i);
            double phr = x0abs == 0 ? 1 : x0r / x0abs;
            double phi = x0abs == 0 ? 0 : x0i / x0abs;
            // alpha = −e^{i arg x0} ‖x‖; v = x − alpha e_1 (first entry x0 + e^{i arg x0}‖x‖: no cancellation)
            for (int i = k + 1; i < n; i++) {
                vr[i] = re[i * n + k];
                vi[i] = im[i * n + k];
            }
            vr[k + 1] += phr * xnorm;
            vi[k + 1] += phi * xnorm;
            double vn2 = 0;
            for (int i = k + 1; i < n; i++) {
                vn2 += vr[i] * vr[i] + vi[i] * vi[i];
            }
            double vs = 1.0 / Math.sqrt(vn2);
            for (int i = k + 1; i < n; i++) {
                vr[i] *= vs;
                vi[i] *= vs;
            }
            e2[k] = norm2;
            // trailing block B = A[k+1.., k+1..]: p = B v, c = vᴴ p (real), w = p − c v, B −= 2 (v wᴴ + w vᴴ)
            double c = 0;
            for (int i = k + 1; i < n; i++) {
                double sr = 0;
                double si = 0;
                int row = i * n;
                for (int j = k + 1; j < n; j++) {
                    double br = re[row + j];
                    double bi = im[row + j];
                    sr += br * vr[j] - bi * vi[j];
                    si += br * vi[j] + bi * vr[j];
                }
                pr[i] = sr;
                pi[i] = si;
                c += vr[i] * sr + vi[i] * si;
            }
            for (int i = k + 1; i < n; i++) {
                pr[i] -= c * vr[i];
                pi[i] -= c * vi[i];
            }
            for (int i = k + 1; i < n; i++) {
                int row = i * n;
                double ar = vr[i];
                double ai = vi[i];
                double wr = pr[i];
                double wi = pi[i];
                for (int j = k + 1; j < n; j++) {
                    // v_i conj(w_j) + w_i conj(v_j)
                    double tr = ar * pr[j] + ai * pi[j] + wr * vr[j] + wi * vi[j];
                    double ti = ai * pr[j] - ar * pi[j] + wi * vr[j] - wr * vi[j];
                    re[row + j] -= 2 * tr;
                    im[row + j] -= 2 * ti;
                }
            }
        }
        d[n - 2] = re[(n - 2) * n + n - 2];
        d[n - 1] = re[(n - 1) * n + n - 1];
        double lr = re[(n - 1) * n + n - 2];
        double li = im[(n - 1) * n + n - 2];
        e2[n - 2] = lr * lr + li * li;
        // Gershgorin bracket, then bisection on the Sturm count
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double scale = 0;
        for (int i = 0; i < n; i++) {
            double r = (i > 0 ? Math.sqrt(e2[i - 1]) : 0) + (i < n - 1 ? Math.sqrt(e2[i]) : 0);
            lo = Math.min(lo, d[i] - r);
            hi = Math.max(hi, d[i] + r);
            scale = Math.max(scale, Math.abs(d[i]) + r);
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            return Double.NaN;
        }
        double tiny = Double.MIN_NORMAL + 1e-300 * scale;
        for (int it = 0; it < 200 && hi - lo > 2.5e-16 * Math.max(Math.abs(lo), Math.abs(hi)) + tiny; it++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            // count of eigenvalues < mid
            int count = 0;
            double q = d[0] - mid;
            if (q < 0) {
                count++;
            }
            for (int i = 1; i < n; i++) {
                if (q == 0) {
                    q = 1e-300 + 2.2e-16 * scale;
                }
                q = d[i] - mid - e2[i - 1] / q;
                if (q < 0) {
                    count++;
                }
            }
            if (count >= 1) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /**
     * Eigenvalues (descending) of a Hermitian matrix, without vectors: EJML's symmetric QR algorithm on the real
     * embedding {@code [[Re A, −Im A], [Im A, Re A]]} (2n × 2n, every eigenvalue of A twice), much faster than
     * Jacobi sweeps for n above a few. Uses the Hermitian part of {@code a}.
     */
    public static double[] eigenvalues(ZMatrixRMaj a) {
        int n = a.numRows;
        if (n <= 2) {
            return eigen(a, false).values();
        }
        org.ejml.data.DMatrixRMaj e = new org.ejml.data.DMatrixRMaj(2 * n, 2 * n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int ij = 2 * (i * n + j);
                int ji = 2 * (j * n + i);
                double re = 0.5 * (a.data[ij] + a.data[ji]);
                double im = 0.5 * (a.data[ij + 1] - a.data[ji + 1]);
                e.unsafe_set(i, j, re);
                e.unsafe_set(i + n, j + n, re);
                e.unsafe_set(i, j + n, -im);
                e.unsafe_set(i + n, j, im);
            }
        }
        org.ejml.interfaces.decomposition.EigenDecomposition_F64<org.ejml.data.DMatrixRMaj> dec =
                org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(2 * n, false, true);
        if (!dec.decompose(e)) {
            return eigen(a, false).values();
        }
        double[] all = new double[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            all[i] = dec.getEigenvalue(i).real;
        }
        java.util.Arrays.sort(all);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            // pairs are adjacent after sorting; take the mean of each pair, descending
            out[i] = 0.5 * (all[2 * n - 1 - 2 * i] + all[2 * n - 2 - 2 * i]);
        }
        return out;
    }

    /**
     * Eigendecomposition {@code A = U Λ Uᴴ} of a Hermitian matrix by cyclic complex Jacobi rotations.
     *
     * @param vectors whether to accumulate {@code U}
     */
    public static HermitianEigen eigen(ZMatrixRMaj a, boolean vectors) {
        int n = a.numRows;
        double[] re = new double[n * n];
        double[] im = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                // use the Hermitian part so that small asymmetries from rounding do not matter
                int ij = 2 * (i * n + j);
                int ji = 2 * (j * n + i);
                re[i * n + j] = 0.5 * (a.data[ij] + a.data[ji]);
                im[i * n + j] = 0.5 * (a.data[ij + 1] - a.data[ji + 1]);
            }
        }
        double[] vr = null;
        double[] vi = null;
        if (vectors) {
            vr = new double[n * n];
            vi = new double[n * n];
            for (int i = 0; i < n; i++) {
                vr[i * n + i] = 1;
            }
        }
        double total = 0;
        for (int i = 0; i < n * n; i++) {
            total += re[i] * re[i] + im[i] * im[i];
        }
        for (int sweep = 0; sweep < 60; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += re[p * n + q] * re[p * n + q] + im[p * n + q] * im[p * n + q];
                }
            }
            if (off <= 1e-32 * total || off == 0) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double br = re[p * n + q];
                    double bi = im[p * n + q];
                    double b = Math.hypot(br, bi);
                    if (b == 0 || b <= 1e-300) {
                        continue;
                    }
                    // phase: multiply column q by e^{-i phi} and row q by e^{+i phi} so that a_pq becomes |a_pq|
                    double cr = br / b;
                    double ci = -bi / b; // e^{-i phi}
                    for (int k = 0; k < n; k++) {
                        int kq = k * n + q;
                        double xr = re[kq];
                        double xi = im[kq];
                        re[kq] = xr * cr - xi * ci;
                        im[kq] = xr * ci + xi * cr;
                    }
                    for (int k = 0; k < n; k++) {
                        int qk = q * n + k;
                        double xr = re[qk];
                        double xi = im[qk];
                        re[qk] = xr * cr + xi * ci;
                        im[qk] = xi * cr - xr * ci;
                    }
                    if (vectors) {
                        for (int k = 0; k < n; k++) {
                            int kq = k * n + q;
                            double xr = vr[kq];
                            double xi = vi[kq];
                            vr[kq] = xr * cr - xi * ci;
                            vi[kq] = xr * ci + xi * cr;
                        }
                    }
                    double app = re[p * n + p];
                    double aqq = re[q * n + q];
                    double theta = 0.5 * Math.atan2(2 * b, aqq - app);
                    double c = Math.cos(theta);
                    double s = Math.sin(theta);
                    // A <- R^T A R with R = [[c, s], [-s, c]] in the (p, q) plane
                    for (int k = 0; k < n; k++) {
                        int kp = k * n + p;
                        int kq = k * n + q;
                        double xr = re[kp];
                        double xi = im[kp];
                        double yr = re[kq];
                        double yi = im[kq];
                        re[kp] = c * xr - s * yr;
                        im[kp] = c * xi - s * yi;
                        re[kq] = s * xr + c * yr;
                        im[kq] = s * xi + c * yi;
                    }
                    for (int k = 0; k < n; k++) {
                        int pk = p * n + k;
                        int qk = q * n + k;
                        double xr = re[pk];
                        double xi = im[pk];
                        double yr = re[qk];
                        double yi = im[qk];
                        re[pk] = c * xr - s * yr;
                        im[pk] = c * xi - s * yi;
                        re[qk] = s * xr + c * yr;
                        im[qk] = s * xi + c * yi;
                    }
                    re[p * n + q] = 0;
                    im[p * n + q] = 0;
                    re[q * n + p] = 0;
                    im[q * n + p] = 0;
                    im[p * n + p] = 0;
                    im[q * n + q] = 0;
                    if (vectors) {
                        for (int k = 0; k < n; k++) {
                            int kp = k * n + p;
                            int kq = k * n + q;
                            double xr = vr[kp];
                            double xi = vi[kp];
                            double yr = vr[kq];
                            double yi = vi[kq];
                            vr[kp] = c * xr - s * yr;
                            vi[kp] = c * xi - s * yi;
                            vr[kq] = s * xr + c * yr;
                            vi[kq] = s * xi + c * yi;
                        }
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = re[i * n + i];
        }
        // sort descending
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
        double[] sorted = new double[n];
        ZMatrixRMaj u = vectors ? new ZMatrixRMaj(n, n) : null;
        for (int c = 0; c < n; c++) {
            int src = order[c];
            sorted[c] = values[src];
            if (vectors) {
                for (int k = 0; k < n; k++) {
                    u.set(k, c, vr[k * n + src], vi[k * n + src]);
                }
            }
        }
        return new HermitianEigen(sorted, u);
    }

    /**
     * Matrix powers {@code U diag(λ^p) Uᴴ} of a Hermitian positive definite matrix from its eigendecomposition
     * (with vectors), one result per exponent.
     */
    public static ZMatrixRMaj[] hermitianFunctions(HermitianEigen e, double[] powers) {
        int n = e.values().length;
        ZMatrixRMaj u = e.vectors();
        ZMatrixRMaj[] out = new ZMatrixRMaj[powers.length];
        for (int q = 0; q < powers.length; q++) {
            ZMatrixRMaj ul = new ZMatrixRMaj(n, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double f = Math.pow(e.values()[j], powers[q]);
                    ul.set(i, j, u.getReal(i, j) * f, u.getImag(i, j) * f);
                }
            }
            out[q] = new ZMatrixRMaj(n, n);
            org.ejml.dense.row.CommonOps_ZDRM.multTransB(ul, u, out[q]);
            hermitianPart(out[q]);
        }
        return out;
    }

    /**
     * Eigenvalues (descending) and, if requested, the unitary matrix of eigenvectors (columns, same order).
     *
     * @param values  λ_1 ≥ … ≥ λ_n
     * @param vectors {@code U} with {@code A = U diag(λ) Uᴴ}, or {@code null}
     */
    public record HermitianEigen(double[] values, ZMatrixRMaj vectors) {
    }
}
