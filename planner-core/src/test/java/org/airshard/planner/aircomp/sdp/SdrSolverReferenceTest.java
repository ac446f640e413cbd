package org.airshard.planner.aircomp.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.airshard.planner.aircomp.AircompDevice;
import org.airshard.planner.aircomp.AircompProblem;
import org.airshard.planner.aircomp.Fixtures;
import org.airshard.planner.aircomp.linalg.ComplexLinalg;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.CommonOps_ZDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The SDP solver against CVXOPT on the committed reference instances. */
class SdrSolverReferenceTest {

    /** Required agreement with the reference solver (relative). */
    static final double REFERENCE_TOLERANCE = 1e-6;
    /** Constraint residual allowed at the returned X (relative to I). */
    static final double CONSTRAINT_TOLERANCE = 1e-7;

    static Stream<Fixtures.Instance> instances() {
        return Fixtures.all().stream();
    }

    static List<ZMatrixRMaj> channels(AircompProblem p) {
        List<ZMatrixRMaj> hs = new ArrayList<>();
        for (AircompDevice d : p.devices()) {
            hs.add(d.channel());
        }
        return hs;
    }

    static double[] weights(AircompProblem p) {
        double[] w = new double[p.devices().size()];
        for (int n = 0; n < w.length; n++) {
            w[n] = p.devices().get(n).transmitBudget() / p.payloadSymbols();
        }
        return w;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("instances")
    void matchesCvxopt(Fixtures.Instance inst) {
        AircompProblem p = inst.problem();
        SdpResult r = SdrSolver.solve(channels(p), weights(p), SdpOptions.DEFAULT);
        assertEquals(SdpStatus.OPTIMAL, r.status(), () -> inst.name() + " " + r);
        double rel = Math.abs(r.value() - inst.sdpValue()) / Math.abs(inst.sdpValue());
        assertTrue(rel <= REFERENCE_TOLERANCE, () -> inst.name() + ": value " + r.value() + " vs CVXOPT "
                + inst.sdpValue() + " (relative " + rel + ")");
        // X is PSD and (nearly) feasible: w_n H_nᴴ X H_n − I ⪰ −tol·I
        assertTrue(ComplexLinalg.minEigenvalue(r.x()) > -CONSTRAINT_TOLERANCE * ComplexLinalg.realTrace(r.x()));
        double[] w = weights(p);
        for (int n = 0; n < w.length; n++) {
            ZMatrixRMaj h = p.devices().get(n).channel();
            ZMatrixRMaj xh = new ZMatrixRMaj(h.numRows, h.numCols);
            CommonOps_ZDRM.mult(r.x(), h, xh);
            ZMatrixRMaj q = new ZMatrixRMaj(h.numCols, h.numCols);
            CommonOps_ZDRM.multTransA(h, xh, q);
            CommonOps_ZDRM.scale(w[n], 0, q);
            assertTrue(ComplexLinalg.minEigenvalue(q) >= 1 - CONSTRAINT_TOLERANCE, inst.name() + " device " + n);
        }
        assertEquals(r.value(), ComplexLinalg.realTrace(r.x()), 1e-12 * r.value());
    }
}
