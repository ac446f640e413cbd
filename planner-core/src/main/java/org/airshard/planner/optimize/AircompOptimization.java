package org.airshard.planner.optimize;

import java.util.ArrayList;
import java.util.List;
import org.airshard.planner.io.InputException;
import org.airshard.planner.latency.AllReduceScheme;
import org.airshard.planner.latency.RadioRates;
import org.airshard.planner.latency.TensorParallelLatency;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.plan.TensorShareRounding;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.solver.ProgressListener;
import org.airshard.planner.solver.SolverStatus;
import org.airshard.planner.topology.Topology;

/** The whole {@code optimize} pipeline: SSCA, rounding, evaluation of the result and the baselines. */
public final class AircompOptimization {

    private AircompOptimization() {
    }

    /** Runs SSCA then evaluates; returns null when cancelled during the evaluation. */
    public static OptimizationReport run(Topology t, ModelSpec m, SscaOptions o, Cancellation cancel,
                                         ProgressListener<SscaProgress> listener) throws InputException {
        SscaResult ssca = new SscaOptimizer(t, m).optimize(o, cancel, listener);
        if (ssca.status() == SolverStatus.INFEASIBLE || ssca.status() == SolverStatus.NUMERICAL) {
            return new OptimizationReport(ssca, null, null, null, List.of(), List.of(), o.seed());
        }
        TensorShareRounding.Rounded rounded = TensorShareRounding.round(ssca.shares(), m);
        Evaluation eval = new Evaluation(t, m, o.seed(), o.evaluationSamples());
        MseEstimate cont = eval.aircomp(ssca.shares(), cancel);
        MseEstimate round = eval.aircomp(rounded.roundedShares(), cancel);
        TensorParallelLatency lat = new TensorParallelLatency(t, m, new RadioRates(t));
        List<OptimizationReport.BaselineMse> baselines = new ArrayList<>();
        double[][] base = {Baselines.equal(t), Baselines.computeProportional(t)};
        String[] names = {"equal", "compute-proportional"};
        for (int i = 0; i < base.length; i++) {
            MseEstimate e = feasible(t, m, base[i]) ? eval.aircomp(base[i], cancel) : null;
            baselines.add(new OptimizationReport.BaselineMse(names[i], base[i], e, lat.estimate(base[i], AllReduceScheme.AIRCOMP)));
        }
        if (cancel.isCancelled()) {
            return null;
        }
        List<OptimizationReport.SchemeResult> schemes = new ArrayList<>();
        double[] run = rounded.roundedShares();
        schemes.add(new OptimizationReport.SchemeResult(lat.estimate(run, AllReduceScheme.AIRCOMP), round));
        schemes.add(new OptimizationReport.SchemeResult(lat.estimate(run, AllReduceScheme.DIGITAL_OFDMA), eval.digital()));
        schemes.add(new OptimizationReport.SchemeResult(lat.estimate(run, AllReduceScheme.UNCODED_FDMA), eval.uncodedFdma(run)));
        return new OptimizationReport(ssca, rounded, cont, round, baselines, schemes, o.seed() ^ Evaluation.STREAM);
    }

    /** Whether every device can afford its share's compute energy (E_n > 0). */
    static boolean feasible(Topology t, ModelSpec m, double[] shares) {
        AircompProblemBuilder b = new AircompProblemBuilder(t, m);
        for (int i = 0; i < shares.length; i++) {
            if (b.allowance(i, shares[i]) <= 0) {
                return false;
            }
        }
        return true;
    }
}
