package org.airshard.planner.aircomp.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.airshard.planner.aircomp.RandomProblems;
import org.ejml.data.ZMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Statuses, limits, listener and closed-form cases of {@link SdrSolver}. */
class SdrSolverBehaviourTest {

    static List<ZMatrixRMaj> channels(long seed, int n, int nr, int nt) {
        Random rng = new Random(seed);
        List<ZMatrixRMaj> hs = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            hs.add(RandomProblems.gaussian(rng, nr, nt));
        }
        return hs;
    }

    static double[] ones(int n) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1.0);
        return w;
    }

    @Test
    void singleDeviceSingleAntennaHasClosedForm() {
        // min tr X s.t. w hᴴ X h ≥ 1  →  X = h hᴴ / (w ‖h‖⁴), value 1 / (w ‖h‖²)
        List<ZMatrixRMaj> hs = channels(1, 1, 6, 1);
        double norm2 = 0;
        for (double v : hs.get(0).data) {
            norm2 += v * v;
        }
        SdpResult r = SdrSolver.solve(hs, new double[] {0.25}, SdpOptions.DEFAULT);
        assertEquals(SdpStatus.OPTIMAL, r.status());
        assertEquals(1 / (0.25 * norm2), r.value(), 1e-7 * r.value());
        assertTrue(r.value() >= r.dualValue());
    }

    @Test
    void orthogonalChannelsSeparate() {
        // H_1 = e_1, H_2 = e_2 (N_r = 3): X = diag(1/w_1, 1/w_2, 0), value 1/w_1 + 1/w_2
        ZMatrixRMaj h1 = new ZMatrixRMaj(3, 1);
        h1.set(0, 0, 1, 0);
        ZMatrixRMaj h2 = new ZMatrixRMaj(3, 1);
        h2.set(1, 0, 0, 2); // |h| = 2
        SdpResult r = SdrSolver.solve(List.of(h1, h2), new double[] {0.5, 1.0}, SdpOptions.DEFAULT);
        assertEquals(SdpStatus.OPTIMAL, r.status());
        assertEquals(2.0 + 0.25, r.value(), 1e-7 * 2.25);
    }

    @Test
    void iterationLimitListenerAndBestPoint() {
        List<ZMatrixRMaj> hs = channels(2, 4, 8, 2);
        AtomicInteger calls = new AtomicInteger();
        SdpResult r = SdrSolver.solve(hs, ones(4), SdpOptions.DEFAULT.withMaxIterations(3),
                (it, p, d, g, f) -> calls.incrementAndGet(), () -> false);
        assertEquals(SdpStatus.ITERATION_LIMIT, r.status());
        assertEquals(3, r.iterations());
        assertEquals(3, calls.get());
        assertNotNull(r.x(), "the best point so far is returned");
        assertTrue(r.value() >= r.dualValue(), "certified bounds stay ordered");
    }

    @Test
    void cancelFlagAndInterrupt() {
        List<ZMatrixRMaj> hs = channels(3, 3, 6, 2);
        AtomicInteger polls = new AtomicInteger();
        SdpResult r = SdrSolver.solve(hs, ones(3), SdpOptions.DEFAULT, SdpProgressListener.NONE,
                () -> polls.incrementAndGet() > 2);
        assertEquals(SdpStatus.CANCELLED, r.status());
        assertEquals(2, r.iterations());
        Thread.currentThread().interrupt();
        try {
            assertEquals(SdpStatus.CANCELLED, SdrSolver.solve(hs, ones(3), SdpOptions.DEFAULT).status());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void timeLimit() {
        List<ZMatrixRMaj> hs = channels(4, 8, 24, 4);
        SdpResult r = SdrSolver.solve(hs, ones(8), SdpOptions.DEFAULT.withTimeLimitMillis(1));
        assertTrue(r.status() == SdpStatus.TIME_LIMIT || r.status() == SdpStatus.OPTIMAL, r.status().name());
    }

    @Test
    void rankDeficientChannelIsInfeasible() {
        ZMatrixRMaj h = new ZMatrixRMaj(4, 2);
        h.set(0, 0, 1, 0);
        h.set(0, 1, 2, 0); // rank 1 with N_t = 2: Hᴴ X H ⪰ I impossible
        SdpResult r = SdrSolver.solve(List.of(h), ones(1), SdpOptions.DEFAULT);
        assertEquals(SdpStatus.INFEASIBLE, r.status());
        assertNull(r.x());
    }

    @Test
    void unequalAntennaCountsAreSupported() {
        Random rng = new Random(5);
        List<ZMatrixRMaj> hs = List.of(RandomProblems.gaussian(rng, 8, 1), RandomProblems.gaussian(rng, 8, 3),
                RandomProblems.gaussian(rng, 8, 2));
        SdpResult r = SdrSolver.solve(hs, new double[] {0.3, 1.0, 2.0}, SdpOptions.DEFAULT);
        assertEquals(SdpStatus.OPTIMAL, r.status());
        assertTrue((r.value() - r.dualValue()) / r.value() <= SdpOptions.DEFAULT.gapTolerance(), r.toString());
    }
}
