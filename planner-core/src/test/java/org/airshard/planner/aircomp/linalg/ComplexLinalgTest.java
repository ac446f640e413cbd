package org.airshard.planner.aircomp.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.airshard.planner.aircomp.RandomProblems;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;
import org.junit.jupiter.api.Test;

class ComplexLinalgTest {

    static final double TOL = 1e-11;

    static ZMatrixRMaj randomHermitian(Random rng, int n, boolean pd) {
        ZMatrixRMaj g = RandomProblems.gaussian(rng, n, pd ? n + 2 : n);
        ZMatrixRMaj a = new ZMatrixRMaj(n, n);
        if (pd) {
            CommonOps_ZDRM.multTransB(g, g, a);
        } else {
            CommonOps_ZDRM.add(g, CommonOps_ZDRM.transposeConjugate(g, null), a);
        }
        ComplexLinalg.hermitianPart(a);
        return a;
    }

    static double maxAbsDiff(ZMatrixRMaj a, ZMatrixRMaj b) {
        double m = 0;
        for (int i = 0; i < a.getDataLength(); i++) {
            m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
        }
        return m;
    }

    @Test
    void eigenReconstructsAndIsUnitary() {
        Random rng = new Random(1);
        for (int n : new int[] {1, 2, 5, 16, 33}) {
            ZMatrixRMaj a = randomHermitian(rng, n, false);
            ComplexLinalg.HermitianEigen e = ComplexLinalg.eigen(a, true);
            ZMatrixRMaj u = e.vectors();
            ZMatrixRMaj ul = u.copy();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    ul.set(i, j, u.getReal(i, j) * e.values()[j], u.getImag(i, j) * e.values()[j]);
                }
                if (i > 0) {
                    assertTrue(e.values()[i] <= e.values()[i - 1], "descending");
                }
            }
            ZMatrixRMaj rec = new ZMatrixRMaj(n, n);
            CommonOps_ZDRM.multTransB(ul, u, rec);
            assertTrue(maxAbsDiff(rec, a) < TOL * n, "A = U Λ Uᴴ");
            ZMatrixRMaj uhu = new ZMatrixRMaj(n, n);
            CommonOps_ZDRM.multTransA(u, u, uhu);
            assertTrue(maxAbsDiff(uhu, CommonOps_ZDRM.identity(n)) < TOL * n, "Uᴴ U = I");
        }
    }

    @Test
    void eigenvaluesOnlyPathAgreesWithJacobi() {
        Random rng = new Random(4);
        for (int n : new int[] {1, 2, 3, 7, 20, 32}) {
            ZMatrixRMaj a = randomHermitian(rng, n, false);
            double[] jacobi = ComplexLinalg.eigen(a, false).values();
            double[] fast = ComplexLinalg.eigenvalues(a);
            double scale = Math.max(Math.abs(jacobi[0]), Math.abs(jacobi[n - 1]));
            for (int i = 0; i < n; i++) {
                assertEquals(jacobi[i], fast[i], 1e-12 * scale * n, "n = " + n + ", i = " + i);
            }
            assertEquals(jacobi[n - 1], ComplexLinalg.minEigenvalue(a), 1e-12 * scale * n);
            assertEquals(jacobi[0], ComplexLinalg.maxEigenvalue(a), 1e-12 * scale * n);
        }
    }

    @Test
    void degenerateEigenvaluesAreHandled() {
        // rank-2 PSD 8×8: a six-fold zero eigenvalue
        Random rng = new Random(2);
        ZMatrixRMaj g = RandomProblems.gaussian(rng, 8, 2);
        ZMatrixRMaj a = new ZMatrixRMaj(8, 8);
        CommonOps_ZDRM.multTransB(g, g, a);
        ComplexLinalg.HermitianEigen e = ComplexLinalg.eigen(a, true);
        assertTrue(e.values()[1] > 0.1);
        assertEquals(0.0, e.values()[2], 1e-12);
        ZMatrixRMaj uhu = new ZMatrixRMaj(8, 8);
        CommonOps_ZDRM.multTransA(e.vectors(), e.vectors(), uhu);
        assertTrue(maxAbsDiff(uhu, CommonOps_ZDRM.identity(8)) < 1e-12);
    }

    @Test
    void choleskyInverseAndTraceOfInverse() {
        Random rng = new Random(3);
        for (int n : new int[] {1, 3, 10}) {
            ZMatrixRMaj a = randomHermitian(rng, n, true);
            ZMatrixRMaj l = ComplexLinalg.cholesky(a);
            ZMatrixRMaj llh = new ZMatrixRMaj(n, n);
            CommonOps_ZDRM.multTransB(l, l, llh);
            assertTrue(maxAbsDiff(llh, a) < TOL * n);
            ZMatrixRMaj inv = ComplexLinalg.inverseHpd(a);
            ZMatrixRMaj prod = new ZMatrixRMaj(n, n);
            CommonOps_ZDRM.mult(a, inv, prod);
            assertTrue(maxAbsDiff(prod, CommonOps_ZDRM.identity(n)) < 1e-9);
            assertEquals(ComplexLinalg.realTrace(inv), ComplexLinalg.traceOfInverse(a), 1e-10 * ComplexLinalg.realTrace(inv));
        }
        ZMatrixRMaj indefinite = CommonOps_ZDRM.identity(3);
        indefinite.setReal(2, 2, -1);
        assertNull(ComplexLinalg.cholesky(indefinite));
        assertEquals(Double.POSITIVE_INFINITY, ComplexLinalg.traceOfInverse(indefinite));
        assertEquals(-1.0, ComplexLinalg.minEigenvalue(indefinite), 1e-15);
    }

    @Test
    void tridiagonalMinEigenvalueMatchesTheFullEigenvalueProblem() {
        Random rng = new Random(7);
        for (int n : new int[] {1, 2, 3, 4, 5, 8, 16, 20, 33}) {
            for (int rep = 0; rep < 5; rep++) {
                ZMatrixRMaj a = randomHermitian(rng, n, rep % 2 == 0);
                if (rep == 4) {
                    // widely spread spectrum: B D Bᴴ with eigenvalues 1e-9 .. 1e3, one negative
                    ZMatrixRMaj q = ComplexLinalg.eigen(randomHermitian(rng, n, false), true).vectors();
                    ZMatrixRMaj dq = new ZMatrixRMaj(n, n);
                    for (int i = 0; i < n; i++) {
                        double lam = i == n - 1 ? -1e-6 : Math.pow(10, -9 + 12.0 * i / Math.max(1, n - 1));
                        for (int k = 0; k < n; k++) {
                            dq.set(k, i, q.getReal(k, i) * lam, q.getImag(k, i) * lam);
                        }
                    }
                    CommonOps_ZDRM.multTransB(dq, q, a);
                }
                double ref = ComplexLinalg.minEigenvalue(a);
                double norm = Math.sqrt(ComplexLinalg.frobeniusSquared(a));
                assertEquals(ref, ComplexLinalg.minEigenvalueTridiagonal(a), 1e-13 * norm, "n = " + n + ", rep " + rep);
            }
        }
        // already tridiagonal and diagonal inputs
        ZMatrixRMaj diag = CommonOps_ZDRM.identity(6);
        diag.setReal(3, 3, -2.5);
        assertEquals(-2.5, ComplexLinalg.minEigenvalueTridiagonal(diag), 1e-15);
    }
}
