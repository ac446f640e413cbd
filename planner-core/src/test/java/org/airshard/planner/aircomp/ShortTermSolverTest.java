package org.airshard.planner.aircomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.airshard.planner.aircomp.linalg.ComplexLinalg;
import org.airshard.planner.aircomp.sdp.SdpStatus;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Contract of {@link ShortTermSolver}: zero-forcing, exact budgets, monotone steps, fallback, cancellation. */
class ShortTermSolverTest {

    /** ‖Aᴴ H_n B_n − I‖_F allowed, relative to ‖I‖_F = √L. */
    static final double ZF_TOLERANCE = 1e-8;
    /** Budget slack: energy ≤ E_n (1 + this), and the binding device ≥ E_n (1 − this). */
    static final double BUDGET_TOLERANCE = 1e-9;

    static final ShortTermOptions FAST = ShortTermOptions.DEFAULT.withRandomizationSamples(200);

    static Stream<Fixtures.Instance> instances() {
        return Fixtures.all().stream();
    }

    static void assertValidDesign(AircompProblem p, ShortTermResult r) {
        int l = p.streams();
        assertEquals(p.receiveAntennas(), r.a().numRows);
        assertEquals(l, r.a().numCols);
        double maxRatio = 0;
        for (int n = 0; n < p.devices().size(); n++) {
            AircompDevice d = p.devices().get(n);
            ZMatrixRMaj b = r.b().get(n);
            assertEquals(d.transmitAntennas(), b.numRows);
            ZMatrixRMaj ah = new ZMatrixRMaj(l, d.transmitAntennas());
            CommonOps_ZDRM.multTransA(r.a(), d.channel(), ah);
            ZMatrixRMaj e = new ZMatrixRMaj(l, l);
            CommonOps_ZDRM.mult(ah, b, e);
            for (int i = 0; i < l; i++) {
                e.setReal(i, i, e.getReal(i, i) - 1);
            }
            double err = Math.sqrt(ComplexLinalg.frobeniusSquared(e) / l);
            assertTrue(err <= ZF_TOLERANCE, "zero-forcing residual " + err + " for " + d.id());
            double energy = ZeroForcing.transmitEnergy(p, b);
            assertEquals(energy, r.transmitEnergy()[n], 1e-12 * energy);
            double ratio = energy / d.transmitBudget();
            assertTrue(ratio <= 1 + BUDGET_TOLERANCE, d.id() + " over budget by " + (ratio - 1));
            maxRatio = Math.max(maxRatio, ratio);
        }
        assertTrue(maxRatio >= 1 - BUDGET_TOLERANCE, "no budget is tight: max ratio " + maxRatio);
        double bindingRatio = r.transmitEnergy()[r.bindingDevice()] / p.devices().get(r.bindingDevice()).transmitBudget();
        assertEquals(maxRatio, bindingRatio, 1e-15);
        assertEquals(p.noisePower() * r.alpha(), r.mse(), 1e-15 * r.mse());
        assertEquals(r.mse(), ZeroForcing.mse(p, r.a(), r.b()), 1e-9 * r.mse());
        assertEquals(r.alpha(), ComplexLinalg.frobeniusSquared(r.a()), 1e-9 * r.alpha());
        // the final α may exceed the scored one by rounding only (the budget guard rescales by ≤ a few ulps)
        assertTrue(r.alpha() <= r.alphaRandomized() * (1 + 1e-12), "polish made α worse");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("instances")
    void fixturesGiveValidMonotoneDesigns(Fixtures.Instance inst) {
        AircompProblem p = inst.problem();
        ShortTermResult r = ShortTermSolver.solve(p, FAST);
        assertEquals("OPTIMAL", r.status());
        assertEquals(SdpStatus.OPTIMAL, r.sdpStatus());
        assertFalse(r.fallback());
        assertEquals(inst.sdpValue(), r.sdpValue(), 1e-6 * inst.sdpValue());
        assertValidDesign(p, r);
        assertTrue(r.alphaRandomized() <= r.alphaPrincipal());
        if (p.streams() == 1) {
            // single-stream, single-antenna devices: τ_n = 1/λ exactly, so the SDR is a true lower bound on α
            assertTrue(r.sdpValue() <= r.alpha() * (1 + 1e-7), r.sdpValue() + " > " + r.alpha());
        }
    }

    @Test
    void polishNeverIncreasesAlphaAndIsDeterministic() {
        for (long seed = 1; seed <= 4; seed++) {
            AircompProblem p = RandomProblems.problem(seed, 8, 2, 2, 2, 2, 2);
            ShortTermResult without = ShortTermSolver.solve(p, FAST.withPolish(false).withSeed(seed));
            ShortTermResult with = ShortTermSolver.solve(p, FAST.withSeed(seed));
            assertEquals(without.alphaRandomized(), with.alphaRandomized(), 0.0, "randomization is seeded");
            assertEquals(without.alphaRandomized(), without.alpha(), 1e-12 * without.alpha(), "no polish, no change");
            assertTrue(with.alpha() <= without.alpha(), "polish increased α");
            ShortTermResult again = ShortTermSolver.solve(p, FAST.withSeed(seed));
            assertEquals(with.alpha(), again.alpha(), 0.0, "same seed, same result");
            assertValidDesign(p, with);
        }
    }

    @Test
    void warmStartIsNeverWorseThanItsStartAndUsuallyBetter() {
        int improved = 0;
        for (long seed = 1; seed <= 6; seed++) {
            AircompProblem previous = RandomProblems.problem(seed, 8, 2, 2, 2, 2, 2);
            AircompProblem next = RandomProblems.problem(seed + 100, 8, 2, 2, 2, 2, 2);
            ZMatrixRMaj start = ShortTermSolver.solve(previous, FAST.withSeed(seed)).a();
            ZMatrixRMaj untouched = start.copy();
            double startAlpha = ZeroForcing.alphaStar(next, start);
            ShortTermResult r = ShortTermSolver.polishFrom(next, start, FAST.withPolishIterations(30).withPolishTolerance(1e-6),
                    () -> false);
            assertEquals(ShortTermSolver.WARM_START, r.status());
            assertFalse(r.fallback());
            assertNull(r.sdpStatus());
            assertTrue(Double.isNaN(r.sdpValue()));
            assertEquals(startAlpha, r.alphaRandomized(), 1e-12 * startAlpha, "scored at the start on the new channels");
            assertTrue(r.alpha() <= startAlpha * (1 + 1e-12), "warm start made α worse: " + r.alpha() + " > " + startAlpha);
            assertValidDesign(next, r);
            assertTrue(org.ejml.dense.row.MatrixFeatures_ZDRM.isIdentical(untouched, start, 0), "start was modified");
            if (r.alpha() < 0.99 * startAlpha) {
                improved++;
            }
            ShortTermResult again = ShortTermSolver.polishFrom(next, start, FAST.withPolishIterations(30).withPolishTolerance(1e-6),
                    () -> false);
            assertEquals(r.alpha(), again.alpha(), 0.0, "deterministic");
            // without the polish the start's own design comes back
            ShortTermResult bare = ShortTermSolver.polishFrom(next, start, FAST.withPolish(false), () -> false);
            assertEquals(startAlpha, bare.alpha(), 1e-12 * startAlpha);
        }
        assertTrue(improved >= 4, "the polish improved the start on only " + improved + " of 6 new samples");
    }

    @Test
    void warmStartFallsBackToTheFullDesignWhenItCannot() {
        AircompProblem p = RandomProblems.problem(12, 8, 2, 2, 2, 2);
        ShortTermResult wrongShape = ShortTermSolver.polishFrom(p, new ZMatrixRMaj(3, 2), FAST, () -> false);
        assertEquals("OPTIMAL", wrongShape.status());
        ShortTermResult zero = ShortTermSolver.polishFrom(p, new ZMatrixRMaj(8, 2), FAST, () -> false);
        assertEquals("OPTIMAL", zero.status(), "a zero start has no finite α*: full design");
        assertValidDesign(p, zero);
        ShortTermResult cancelled = ShortTermSolver.polishFrom(p, zero.a(), FAST, () -> true);
        assertEquals("CANCELLED", cancelled.status());
        assertValidDesign(p, cancelled);
    }

    @Test
    void fallbackWhenFewerStreamsThanAntennas() {
        AircompProblem p = RandomProblems.problem(7, 6, 1, 2, 3, 2);
        ShortTermResult r = ShortTermSolver.solve(p, FAST);
        assertTrue(r.fallback());
        assertEquals("FALLBACK", r.status());
        assertNull(r.sdpStatus());
        assertTrue(Double.isNaN(r.sdpValue()));
        assertTrue(Double.isNaN(r.alphaPrincipal()));
        assertTrue(r.fallbackReason().contains("N_t"));
        assertValidDesign(p, r);
    }

    @Test
    void fallbackWithUnequalAntennaCounts() {
        AircompProblem p = RandomProblems.problem(8, 8, 2, 2, 4, 3);
        ShortTermResult r = ShortTermSolver.solve(p, FAST);
        assertTrue(r.fallback());
        assertValidDesign(p, r);
    }

    @Test
    void cancelledBeforeStartStillReturnsAValidDesign() {
        AircompProblem p = RandomProblems.problem(9, 8, 2, 2, 2, 2);
        ShortTermResult r = ShortTermSolver.solve(p, FAST, (i, a, b, c, d) -> { }, () -> true);
        assertEquals("CANCELLED", r.status());
        assertNotNull(r.a());
        assertValidDesign(p, r);
    }

    @Test
    void interruptedThreadCancels() {
        AircompProblem p = RandomProblems.problem(10, 8, 2, 2, 2, 2);
        Thread.currentThread().interrupt();
        try {
            ShortTermResult r = ShortTermSolver.solve(p, FAST);
            assertEquals("CANCELLED", r.status());
            assertValidDesign(p, r);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void timeLimitIsHonoured() {
        AircompProblem p = RandomProblems.problem(11, 16, 2, 2, 2, 2, 2, 2, 2, 2, 2);
        long t0 = System.nanoTime();
        ShortTermResult r = ShortTermSolver.solve(p, ShortTermOptions.DEFAULT.withRandomizationSamples(1_000_000)
                .withTimeLimitMillis(300));
        double ms = (System.nanoTime() - t0) / 1e6;
        assertTrue(ms < 2000, "took " + ms + " ms");
        assertValidDesign(p, r);
    }
}
