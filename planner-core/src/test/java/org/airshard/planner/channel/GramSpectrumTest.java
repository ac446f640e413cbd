package org.airshard.planner.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;
import org.junit.jupiter.api.Test;

class GramSpectrumTest {

    @Test
    void eigenvaluesOfAKnownGramMatrix() {
        // H = U·diag(3, 1)·V with unitary columns: HᴴH has eigenvalues 9 and 1
        ZMatrixRMaj h = new ZMatrixRMaj(3, 2);
        double s = Math.sqrt(0.5);
        h.set(0, 0, 3 * s, 0);
        h.set(1, 0, 0, 3 * s);
        h.set(2, 1, 0, 1);
        double[] l = GramSpectrum.eigenvaluesDescending(h);
        assertEquals(9, l[0], 1e-12);
        assertEquals(1, l[1], 1e-12);
    }

    @Test
    void traceAndDeterminantMatchOnRandomChannels() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int t = 0; t < 50; t++) {
            int nr = 2 + rnd.nextInt(8), nt = 1 + rnd.nextInt(Math.min(nr, 4));
            ZMatrixRMaj h = new ZMatrixRMaj(nr, nt);
            for (int i = 0; i < nr; i++) {
                for (int j = 0; j < nt; j++) {
                    h.set(i, j, rnd.nextGaussian(), rnd.nextGaussian());
                }
            }
            double[] l = GramSpectrum.eigenvaluesDescending(h);
            double frob = 0;
            for (double v : h.data) {
                frob += v * v;
            }
            double sum = 0;
            for (int i = 0; i < nt; i++) {
                sum += l[i];
                if (i > 0) {
                    assertEquals(true, l[i] <= l[i - 1] + 1e-12);
                }
            }
            assertEquals(frob, sum, 1e-9 * frob, "tr(HᴴH) = ‖H‖_F²");
            ZMatrixRMaj hH = new ZMatrixRMaj(nt, nr);
            ZMatrixRMaj g = new ZMatrixRMaj(nt, nt);
            CommonOps_ZDRM.transposeConjugate(h, hH);
            CommonOps_ZDRM.mult(hH, h, g);
            double prod = 1;
            for (double v : l) {
                prod *= v;
            }
            assertEquals(CommonOps_ZDRM.det(g).real, prod, 1e-8 * Math.abs(prod));
        }
    }
}
