package org.airshard.planner.aircomp.sdp;

import org.ejml.data.ZMatrixRMaj;

/**
 * An orthonormal basis {@code E_1 … E_{t²}} of the real vector space of t × t Hermitian matrices under
 * {@code ⟨A,B⟩ = Re tr(A B)}: first the t diagonal units {@code e_k e_kᵀ}, then for every k &lt; l the pair
 * {@code (e_k e_lᵀ + e_l e_kᵀ)/√2} and {@code i (e_k e_lᵀ − e_l e_kᵀ)/√2}. Coordinates of a Hermitian
 * {@code Z} are {@code y_p = ⟨E_p, Z⟩}, and {@code Z = Σ_p y_p E_p}.
 */
final class HermitianBasis {

    static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);

    final int t;
    final int size;
    /** For basis element p: up to two entries (a, b) with complex coefficient (cr, ci), i.e. E_p = Σ c e_a e_bᵀ. */
    final int[] termCount;
    final int[][] rowA;
    final int[][] colB;
    final double[][] coefRe;
    final double[][] coefIm;
    /** Whether basis element p is a diagonal unit (those have tr E_p = 1, all others trace 0). */
    final boolean[] diagonal;

    HermitianBasis(int t) {
        this.t = t;
        this.size = t * t;
        termCount = new int[size];
        rowA = new int[size][2];
        colB = new int[size][2];
        coefRe = new double[size][2];
        coefIm = new double[size][2];
        diagonal = new boolean[size];
        int p = 0;
        for (int k = 0; k < t; k++, p++) {
            termCount[p] = 1;
            rowA[p][0] = k;
            colB[p][0] = k;
            coefRe[p][0] = 1;
            diagonal[p] = true;
        }
        for (int k = 0; k < t; k++) {
            for (int l = k + 1; l < t; l++) {
                termCount[p] = 2;
                rowA[p] = new int[] {k, l};
                colB[p] = new int[] {l, k};
                coefRe[p] = new double[] {INV_SQRT2, INV_SQRT2};
                coefIm[p] = new double[] {0, 0};
                p++;
                termCount[p] = 2;
                rowA[p] = new int[] {k, l};
                colB[p] = new int[] {l, k};
                coefRe[p] = new double[] {0, 0};
                coefIm[p] = new double[] {INV_SQRT2, -INV_SQRT2};
                p++;
            }
        }
    }

    /** Writes {@code Re tr(E_p W)} for every p into {@code out[offset + p]} (W any t × t complex matrix). */
    void coords(ZMatrixRMaj w, double[] out, int offset, double scale) {
        double[] d = w.data;
        int p = 0;
        for (int k = 0; k < t; k++, p++) {
            out[offset + p] += scale * d[2 * (k * t + k)];
        }
        for (int k = 0; k < t; k++) {
            for (int l = k + 1; l < t; l++) {
                int kl = 2 * (k * t + l);
                int lk = 2 * (l * t + k);
                out[offset + p] += scale * (d[kl] + d[lk]) * INV_SQRT2;
                p++;
                out[offset + p] += scale * (d[kl + 1] - d[lk + 1]) * INV_SQRT2;
                p++;
            }
        }
    }

    /** {@code Σ_p y[offset + p] E_p} as a t × t Hermitian matrix. */
    ZMatrixRMaj matrix(double[] y, int offset) {
        ZMatrixRMaj z = new ZMatrixRMaj(t, t);
        int p = 0;
        for (int k = 0; k < t; k++, p++) {
            z.set(k, k, y[offset + p], 0);
        }
        for (int k = 0; k < t; k++) {
            for (int l = k + 1; l < t; l++) {
                double re = y[offset + p] * INV_SQRT2;
                double im = y[offset + p + 1] * INV_SQRT2;
                z.set(k, l, re, im);
                z.set(l, k, re, -im);
                p += 2;
            }
        }
        return z;
    }

    /**
     * Adds {@code scale · Re tr(E_i P E_j Q)} to {@code m[rowOffset + i][colOffset + j]} for all i (basis of
     * {@code this}, size of P's rows) and j (basis {@code other}), where P is t × s and Q is s × t.
     */
    void addSchurBlock(HermitianBasis other, ZMatrixRMaj pm, ZMatrixRMaj qm, double[][] m, int rowOffset, int colOffset) {
        int s = other.t;
        double[] pd = pm.data;
        double[] qd = qm.data;
        ZMatrixRMaj w = new ZMatrixRMaj(t, t);
        double[] wd = w.data;
        double[] col = new double[size];
        for (int j = 0; j < other.size; j++) {
            java.util.Arrays.fill(wd, 0);
            for (int term = 0; term < other.termCount[j]; term++) {
                int a = other.rowA[j][term];
                int b = other.colB[j][term];
                double cr = other.coefRe[j][term];
                double ci = other.coefIm[j][term];
                // W += c · P[:, a] Q[b, :]
                for (int u = 0; u < t; u++) {
                    double pr = pd[2 * (u * s + a)];
                    double pi = pd[2 * (u * s + a) + 1];
                    double xr = cr * pr - ci * pi;
                    double xi = cr * pi + ci * pr;
                    int wrow = 2 * u * t;
                    int qrow = 2 * b * t;
                    for (int v = 0; v < t; v++) {
                        double qr = qd[qrow + 2 * v];
                        double qi = qd[qrow + 2 * v + 1];
                        wd[wrow + 2 * v] += xr * qr - xi * qi;
                        wd[wrow + 2 * v + 1] += xr * qi + xi * qr;
                    }
                }
            }
            java.util.Arrays.fill(col, 0);
            coords(w, col, 0, 1.0);
            for (int i = 0; i < size; i++) {
                m[rowOffset + i][colOffset + j] += col[i];
            }
        }
    }
}
