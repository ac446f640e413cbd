package org.airshard.planner.aircomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.airshard.planner.aircomp.linalg.ComplexLinalg;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;
import org.junit.jupiter.api.Test;

/** The definitions of spec/aircomp.md §4.1–4.2 checked on seeded random inputs. */
class ZeroForcingTest {

    static final double TOL = 1e-10;

    @Test
    void precoderInvertsTheEffectiveChannel() {
        Random rng = new Random(42);
        for (int trial = 0; trial < 20; trial++) {
            int l = 1 + rng.nextInt(4);
            int nt = l + rng.nextInt(3);
            int nr = l + rng.nextInt(8);
            ZMatrixRMaj a = RandomProblems.gaussian(rng, nr, l);
            ZMatrixRMaj h = RandomProblems.gaussian(rng, nr, nt);
            ZMatrixRMaj b = ZeroForcing.precoder(a, h);
            ZMatrixRMaj ah = new ZMatrixRMaj(l, nt);
            CommonOps_ZDRM.multTransA(a, h, ah);
            ZMatrixRMaj e = new ZMatrixRMaj(l, l);
            CommonOps_ZDRM.mult(ah, b, e);
            for (int i = 0; i < l; i++) {
                e.setReal(i, i, e.getReal(i, i) - 1);
            }
            assertTrue(Math.sqrt(ComplexLinalg.frobeniusSquared(e)) < TOL);
            // ‖B‖_F² = tr((Aᴴ H Hᴴ A)⁻¹) = τ(A)
            double tau = ZeroForcing.tau(a, h);
            assertEquals(tau, ComplexLinalg.frobeniusSquared(b), TOL * tau);
        }
    }

    @Test
    void alphaStarIsTheSmallestFeasibleScaleAndScaleInvariant() throws Exception {
        AircompProblem p = RandomProblems.problem(3, 6, 2, 2, 3, 2);
        Random rng = new Random(5);
        ZMatrixRMaj g = RandomProblems.gaussian(rng, 6, 2);
        double alpha = ZeroForcing.alphaStar(p, g);
        ZMatrixRMaj g3 = g.copy();
        CommonOps_ZDRM.scale(3, 0, g3);
        assertEquals(alpha, ZeroForcing.alphaStar(p, g3), 1e-12 * alpha);
        // A = √α Ĝ: every budget met, the binding one exactly
        ZMatrixRMaj a = g.copy();
        CommonOps_ZDRM.scale(Math.sqrt(alpha / ComplexLinalg.frobeniusSquared(g)), 0, a);
        int binding = ZeroForcing.bindingDevice(p, g);
        List<ZMatrixRMaj> bs = new ArrayList<>();
        for (int n = 0; n < p.devices().size(); n++) {
            ZMatrixRMaj b = ZeroForcing.precoder(a, p.devices().get(n).channel());
            bs.add(b);
            double ratio = ZeroForcing.transmitEnergy(p, b) / p.devices().get(n).transmitBudget();
            if (n == binding) {
                assertEquals(1.0, ratio, 1e-12);
            } else {
                assertTrue(ratio < 1);
            }
        }
        assertEquals(p.noisePower() * alpha, ZeroForcing.mse(p, a, bs), 1e-10 * p.noisePower() * alpha);
    }

    @Test
    void rankDeficientDirectionGivesInfinityOrThrows() {
        AircompProblem p = RandomProblems.problem(4, 4, 2, 2, 2);
        ZMatrixRMaj g = new ZMatrixRMaj(4, 2);
        g.set(0, 0, 1, 0);
        g.set(0, 1, 1, 0); // two equal columns: Gᴴ H is rank 1
        assertEquals(Double.POSITIVE_INFINITY, ZeroForcing.alphaStar(p, g));
        assertThrows(IllegalArgumentException.class, () -> ZeroForcing.precoder(g, p.devices().get(0).channel()));
    }
}
