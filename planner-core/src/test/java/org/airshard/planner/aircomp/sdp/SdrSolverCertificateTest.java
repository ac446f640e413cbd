package org.airshard.planner.aircomp.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.airshard.planner.aircomp.linalg.ComplexLinalg;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every result carries an optimality certificate that this test re-checks independently of the solver: X
 * primal feasible, the Z_n dual feasible, value = tr X, dualValue = Σ tr Z_n, so the true optimum lies between them.
 * Inputs are deliberately hard: 40 dB spread of path gains and weights, nearly rank-deficient channels
 * (two columns 1e-3 apart), N·N_t far above N_r.
 */
class SdrSolverCertificateTest {

    /** Slack allowed in the re-checked constraints (rounding in the check itself). */
    static final double CHECK_TOLERANCE = 1e-9;
    /** Multiple of ε·λ_max added to the slack: the accuracy of λ_min of a computed Hermitian matrix. */
    static final double ROUNDING_FACTOR = 64;

    @Test
    void hardRandomInstancesAreCertified() {
        certify(20261122, 20);
    }

    @Test
    @Tag("slow")
    void manyHardRandomInstancesAreCertified() {
        certify(7, 150);
    }

    static void certify(long seed, int trials) {
        Random rng = new Random(seed);
        int optimal = 0;
        for (int trial = 0; trial < trials; trial++) {
            int n = 1 + rng.nextInt(12);
            int nr = 2 + rng.nextInt(30);
            int nt = 1 + rng.nextInt(Math.min(4, nr));
            List<ZMatrixRMaj> hs = new ArrayList<>();
            double[] w = new double[n];
            for (int k = 0; k < n; k++) {
                ZMatrixRMaj h = new ZMatrixRMaj(nr, nt);
                double gain = Math.pow(10, -4 * rng.nextDouble());
                for (int i = 0; i < h.getDataLength(); i++) {
                    h.data[i] = Math.sqrt(gain / 2) * rng.nextGaussian();
                }
                if (nt > 1 && rng.nextInt(4) == 0) {
                    for (int i = 0; i < nr; i++) {
                        h.set(i, 1, h.getReal(i, 0) + 1e-3 * h.getReal(i, 1), h.getImag(i, 0) + 1e-3 * h.getImag(i, 1));
                    }
                }
                hs.add(h);
                w[k] = Math.pow(10, -2 * rng.nextDouble()) / 1000;
            }
            SdpResult r = SdrSolver.solve(hs, w, SdpOptions.DEFAULT);
            String where = "trial " + trial + " (N " + n + ", N_r " + nr + ", N_t " + nt + "): " + r.status() + " " + r.message();
            assertTrue(r.status() == SdpStatus.OPTIMAL || r.status() == SdpStatus.NUMERICAL, where);
            if (r.status() == SdpStatus.OPTIMAL) {
                optimal++;
            }
            checkCertificate(hs, w, r, where);
            assertTrue(r.relativeGap() <= (r.status() == SdpStatus.OPTIMAL ? SdpOptions.DEFAULT.gapTolerance() : 1e-6),
                    where + " gap " + r.relativeGap());
        }
        assertTrue(optimal >= 0.95 * trials, optimal + " of " + trials + " OPTIMAL");
    }

    static void checkCertificate(List<ZMatrixRMaj> hs, double[] w, SdpResult r, String where) {
        ZMatrixRMaj x = r.x();
        int nr = x.numRows;
        assertEquals(r.value(), ComplexLinalg.realTrace(x), 1e-12 * r.value(), where);
        assertTrue(ComplexLinalg.minEigenvalue(x) >= -CHECK_TOLERANCE * r.value(), where + ": X not PSD");
        ZMatrixRMaj lifted = new ZMatrixRMaj(nr, nr);
        double dual = 0;
        for (int k = 0; k < hs.size(); k++) {
            ZMatrixRMaj h = hs.get(k);
            ZMatrixRMaj xh = new ZMatrixRMaj(nr, h.numCols);
            CommonOps_ZDRM.mult(x, h, xh);
            ZMatrixRMaj q = new ZMatrixRMaj(h.numCols, h.numCols);
            CommonOps_ZDRM.multTransA(h, xh, q);
            CommonOps_ZDRM.scale(w[k], 0, q);
            double qmin = ComplexLinalg.minEigenvalue(q);
            double qmax = ComplexLinalg.maxEigenvalue(q);
            // an eigenvalue of the stored q is only known to about ε·λ_max: allow that much
            double slack = CHECK_TOLERANCE + ROUNDING_FACTOR * Math.ulp(1.0) * qmax;
            assertTrue(qmin >= 1 - slack, where + ": primal constraint " + k + " λ_min " + qmin + " λ_max " + qmax);
            ZMatrixRMaj z = r.z().get(k);
            double zmin = ComplexLinalg.minEigenvalue(z);
            assertTrue(zmin >= -CHECK_TOLERANCE * Math.max(1, ComplexLinalg.realTrace(z)), where + ": Z_" + k + " not PSD");
            dual += ComplexLinalg.realTrace(z);
            ZMatrixRMaj hz = new ZMatrixRMaj(nr, h.numCols);
            CommonOps_ZDRM.mult(h, z, hz);
            CommonOps_ZDRM.multAddTransB(w[k], 0, hz, h, lifted);
        }
        assertTrue(ComplexLinalg.maxEigenvalue(lifted) <= 1 + CHECK_TOLERANCE, where + ": dual constraint");
        assertEquals(r.dualValue(), dual, 1e-9 * Math.abs(dual), where);
        assertTrue(r.dualValue() <= r.value() * (1 + 1e-12), where);
    }
}
