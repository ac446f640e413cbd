package org.airshard.planner.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.airshard.planner.plan.Plan;
import org.airshard.planner.plan.PlanBuilder;
import org.airshard.planner.plan.PlanFiles;
import org.airshard.planner.plan.PlanValidator;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.solver.SolverStatus;
import org.airshard.planner.topology.TopologyFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class SscaOptimizerTest {

    static TopologyFiles.Loaded load(String name) throws Exception {
        return TopologyFiles.load(Path.of("..", "sample-topologies", name));
    }

    @Test
    void projectionSatisfiesTheKktConditions() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(8);
            double[] v = new double[n], lo = new double[n], hi = new double[n];
            double sumHi = 0;
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextGaussian();
                hi[i] = 0.05 + rnd.nextDouble();
                sumHi += hi[i];
            }
            if (sumHi < 1) {
                continue;
            }
            double[] m = SimplexBoxProjection.project(v, lo, hi);
            assertEquals(1.0, java.util.Arrays.stream(m).sum(), 1e-9);
            // KKT: there is λ with m_i = clip(v_i − λ, lo_i, hi_i)
            Double lambda = null;
            for (int i = 0; i < n; i++) {
                assertTrue(m[i] >= lo[i] - 1e-12 && m[i] <= hi[i] + 1e-12);
                if (m[i] > lo[i] + 1e-9 && m[i] < hi[i] - 1e-9) {
                    double l = v[i] - m[i];
                    if (lambda != null) {
                        assertEquals(lambda, l, 1e-8);
                    }
                    lambda = l;
                }
            }
            if (lambda != null) {
                for (int i = 0; i < n; i++) {
                    if (m[i] <= lo[i] + 1e-9) {
                        assertTrue(v[i] - lambda <= lo[i] + 1e-8);
                    }
                    if (m[i] >= hi[i] - 1e-9) {
                        assertTrue(v[i] - lambda >= hi[i] - 1e-8);
                    }
                }
            }
        }
    }

    @Test
    @Tag("slow")
    void onEnergyLimitedBoardsSscaBeatsTheBaselinesOnTheSameSamples() throws Exception {
        var l = load("aircomp-energy-limited.json");
        SscaOptions o = SscaOptions.defaults(7).withIterations(150).withEvaluationSamples(32);
        List<SscaProgress> progress = new ArrayList<>();
        OptimizationReport r = AircompOptimization.run(l.topology(), l.model(), o, Cancellation.none(), progress::add);
        assertNotNull(r);
        assertEquals(r.ssca().iterations(), progress.size(), "one progress report per iteration");
        double equal = r.baselines().get(0).mse().mean();
        assertTrue(r.mseContinuous().mean() < 0.9 * equal, "SSCA " + r.mseContinuous().mean() + " vs equal " + equal);
        assertTrue(r.ssca().shares()[2] < 1.0 / 3, "load moves away from the board with the tightest budget");
        assertEquals(1.0, java.util.Arrays.stream(r.ssca().shares()).sum(), 1e-9);
        for (int i = 0; i < 3; i++) {
            assertTrue(r.ssca().shares()[i] <= r.ssca().boxes().hi()[i] + 1e-12);
        }
        // the plan it makes is legal and reproducible
        Plan p = PlanBuilder.fromOptimization(r, o, l.topology(), l.model(), "test");
        assertFalse(PlanValidator.check(p, l.topology(), l.model()).report().hasErrors());
        OptimizationReport again = AircompOptimization.run(l.topology(), l.model(), o, Cancellation.none(), x -> { });
        assertArrayEquals(r.ssca().shares(), again.ssca().shares(), 0.0, "same seed, same shares bit for bit");
        assertEquals(r.mseRounded().mean(), again.mseRounded().mean(), 0.0);
    }

    @Test
    void warmStartedSscaMatchesTheFullDesignWithinTheConfidenceInterval() throws Exception {
        var l = load("aircomp-energy-limited.json");
        SscaOptions full = SscaOptions.defaults(5).withIterations(60).withEvaluationSamples(16).withAnchorPeriod(1);
        SscaOptions warm = full.withAnchorPeriod(20);
        OptimizationReport a = AircompOptimization.run(l.topology(), l.model(), full, Cancellation.none(), x -> { });
        OptimizationReport b = AircompOptimization.run(l.topology(), l.model(), warm, Cancellation.none(), x -> { });
        assertEquals(60, a.ssca().fullDesigns());
        assertEquals(3, b.ssca().fullDesigns(), "iterations 0, 20, 40");
        double diff = Math.abs(a.mseContinuous().mean() - b.mseContinuous().mean());
        double ci = Math.min(a.mseContinuous().ci95(), b.mseContinuous().ci95());
        assertTrue(diff <= ci, "warm " + b.mseContinuous() + " vs full " + a.mseContinuous());
        assertFalse(java.util.Arrays.equals(a.ssca().shares(), b.ssca().shares()), "the period changes the run");
        OptimizationReport again = AircompOptimization.run(l.topology(), l.model(), warm, Cancellation.none(), x -> { });
        assertArrayEquals(b.ssca().shares(), again.ssca().shares(), 0.0, "same seed and period, same shares bit for bit");
        Plan p = PlanBuilder.fromOptimization(b, warm, l.topology(), l.model(), "test");
        assertEquals(20, p.provenance().solver().get("anchorPeriod").asInt());
        assertEquals(3, p.provenance().solver().get("fullShortTermDesigns").asInt());
        assertEquals(SscaOptimizer.WARM_POLISH_TOLERANCE, p.provenance().solver().get("warmPolishTolerance").asDouble(), 0.0);
    }

    @Test
    void withFewIterationsOptimizeIsNeverWorseThanTheEqualSplit() throws Exception {
        var l = load("aircomp-energy-limited.json");
        for (long seed = 1; seed <= 3; seed++) {
            SscaOptions o = SscaOptions.defaults(seed).withIterations(8).withEvaluationSamples(16);
            OptimizationReport r = AircompOptimization.run(l.topology(), l.model(), o, Cancellation.none(), x -> { });
            MseEstimate equal = r.baselines().get(0).mse();
            assertEquals("equal", r.baselines().get(0).name());
            assertTrue(r.mseRounded().mean() <= equal.mean(), "seed " + seed + ": rounded " + r.mseRounded() + " vs equal " + equal);
            assertTrue(r.mseContinuous().mean() <= equal.mean(), "seed " + seed + ": continuous " + r.mseContinuous() + " vs equal " + equal);
            var sel = r.selection();
            assertEquals("ssca", sel.candidates().get(0).name());
            assertTrue(sel.candidates().stream().anyMatch(c -> c.name().equals("equal")));
            for (var c : sel.candidates()) {
                assertTrue(r.mseRounded().mean() <= c.mseRounded().mean(), "returned worse than candidate " + c.name());
            }
            if (!sel.selected().equals("ssca")) {
                assertTrue(r.ssca().note().contains("safeguard"), r.ssca().note());
                assertFalse(java.util.Arrays.equals(sel.sscaShares(), r.ssca().shares()));
            }
        }
        // without the smaller early steps (τ_0 = 0) the 8-iteration iterate is far worse than the equal split: the
        // safeguard alone must then return a baseline
        SscaOptions jump = SscaOptions.defaults(1).withIterations(8).withEvaluationSamples(16).withStepOffset(0);
        OptimizationReport r = AircompOptimization.run(l.topology(), l.model(), jump, Cancellation.none(), x -> { });
        assertTrue(r.selection().candidates().get(0).mseRounded().mean() > r.baselines().get(0).mse().mean(),
                "the overshoot this guards against");
        assertFalse(r.selection().selected().equals("ssca"));
        assertTrue(r.mseRounded().mean() <= r.baselines().get(0).mse().mean());
    }

    @Test
    void whenThePowerCapBindsEverywhereTheSharesBalanceCompute() throws Exception {
        var l = load("home-lab.json");
        SscaOptions o = SscaOptions.defaults(1).withIterations(5);
        SscaResult r = new SscaOptimizer(l.topology(), l.model()).optimize(o, Cancellation.none(), p -> { });
        assertFalse(r.note().isEmpty());
        double[] balanced = SimplexBoxProjection.project(Baselines.computeBalanced(l.topology(), l.model()),
                r.boxes().lo(), r.boxes().hi());
        assertArrayEquals(balanced, r.shares(), 1e-12);
    }

    @Test
    void cancellationAndInfeasibleBoxesAreReported() throws Exception {
        var l = load("aircomp-energy-limited.json");
        Cancellation c = new Cancellation();
        c.cancel();
        SscaResult r = new SscaOptimizer(l.topology(), l.model()).optimize(SscaOptions.defaults(1), c, p -> { });
        assertEquals(SolverStatus.CANCELLED, r.status());
        assertEquals(1.0, java.util.Arrays.stream(r.shares()).sum(), 1e-9, "the start point is returned");
        var tight = l.topology().withDevices(l.topology().devices().stream()
                .map(d -> d.withEnergyBudgetJPerLayer(d.energyBudgetJPerLayer() / 3)).toList());
        SscaResult inf = new SscaOptimizer(tight, l.model()).optimize(SscaOptions.defaults(1), Cancellation.none(), p -> { });
        assertEquals(SolverStatus.INFEASIBLE, inf.status());
        assertTrue(inf.note().contains("allow at most"), inf.note());
    }

    @Test
    void baselineSchemesFollowTheirFormulas() throws Exception {
        // digital: L · 2N · Δ²/12 with Δ = 8/256
        double step = 8.0 / 256;
        assertEquals(4 * 2 * 8 * step * step / 12, SchemeMse.digital(8, 4), 1e-15);
        var l = load("aircomp-energy-limited.json");
        Evaluation e = new Evaluation(l.topology(), l.model(), 1, 4);
        double[] m = Baselines.equal(l.topology());
        assertTrue(e.uncodedFdma(m).mean() > 0);
        // more noise, proportionally more uncoded-FDMA error
        var noisy = l.topology().withServer(l.topology().server().withNoisePowerDbm(l.topology().server().noisePowerDbm() + 10));
        Evaluation e2 = new Evaluation(noisy, l.model(), 1, 4);
        assertEquals(10.0, e2.uncodedFdma(m).mean() / e.uncodedFdma(m).mean(), 1e-6);
    }

    @Test
    void planRoundTripKeepsTheOptimizerDetails(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        var l = load("aircomp-energy-limited.json");
        SscaOptions o = SscaOptions.defaults(3).withIterations(20).withEvaluationSamples(4);
        OptimizationReport r = AircompOptimization.run(l.topology(), l.model(), o, Cancellation.none(), x -> { });
        Plan p = PlanBuilder.fromOptimization(r, o, l.topology(), l.model(), "test");
        Path f = dir.resolve("tp.json");
        PlanFiles.write(p, f);
        Plan back = PlanFiles.read(f);
        assertEquals(r.mseRounded().mean(), back.tensor().details().get("expectedMse").asDouble(), 0.0);
        var check = PlanValidator.check(back, l.topology(), l.model());
        assertFalse(check.report().hasErrors(), check.report().toString());
        assertEquals(r.mseRounded().mean(), check.predicted().mse(), 0.0);
    }
}
