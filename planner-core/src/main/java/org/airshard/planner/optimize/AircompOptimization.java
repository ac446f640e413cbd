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

/**
 * The whole {@code optimize} pipeline: SSCA, the safeguard, rounding, evaluation of the result and the baselines.
 * Safeguard (docs/model.md, "Few iterations"): with few iterations the SSCA iterate can be worse than a baseline, so
 * the iterate, the SSCA start (compute-balanced shares in the boxes), the equal and the compute-proportional split
 * (those inside the boxes and affordable) are compared by the E[MSE] of their rounded shares (what runs) on the same
 * evaluation samples, and the lowest is returned; the SSCA iterate unless a baseline is lower by more than
 * {@value #SAFEGUARD_MARGIN} relative. When a baseline wins the result's note
 * says so and {@link OptimizationReport#selection()} keeps the iterate and every candidate's E[MSE]. The pick is made
 * on the evaluation samples themselves, so the reported E[MSE] of the winner is optimistic by at most the spread of
 * the candidates' estimates (all within their 95 % half-widths of each other when the pick matters little).
 */
public final class AircompOptimization {

    /**
     * A baseline replaces the SSCA iterate only when its E[MSE] is lower by more than this, relative: on a plateau of
     * E[MSE] (every transmit-power cap binding) shares far apart differ only by rounding noise.
     */
    public static final double SAFEGUARD_MARGIN = 1e-6;

    private AircompOptimization() {
    }

    /** Runs SSCA then evaluates; returns null when cancelled during the evaluation. */
    public static OptimizationReport run(Topology t, ModelSpec m, SscaOptions o, Cancellation cancel,
                                         ProgressListener<SscaProgress> listener) throws InputException {
        SscaResult ssca = new SscaOptimizer(t, m).optimize(o, cancel, listener);
        if (ssca.status() == SolverStatus.INFEASIBLE || ssca.status() == SolverStatus.NUMERICAL) {
            return new OptimizationReport(ssca, null, null, null, List.of(), List.of(), o.seed(), null);
        }
        Evaluation eval = new Evaluation(t, m, o.seed(), o.evaluationSamples());
        // safeguard: the SSCA iterate against the in-box baselines, by E[MSE] of the rounded shares on the same samples
        double[][] cand = {ssca.shares(), SimplexBoxProjection.project(Baselines.computeBalanced(t, m), ssca.boxes().lo(),
                ssca.boxes().hi()), Baselines.equal(t), Baselines.computeProportional(t)};
        String[] candNames = {"ssca", "start", "equal", "compute-proportional"};
        List<OptimizationReport.Candidate> compared = new ArrayList<>();
        int pick = 0;
        MseEstimate pickMse = null;
        for (int i = 0; i < cand.length && !cancel.isCancelled(); i++) {
            if (i > 0 && (!inBoxes(cand[i], ssca.boxes()) || !feasible(t, m, cand[i]))) {
                continue;
            }
            MseEstimate e = eval.aircomp(TensorShareRounding.round(cand[i], m).roundedShares(), cancel);
            if (e == null) {
                break;
            }
            compared.add(new OptimizationReport.Candidate(candNames[i], cand[i].clone(), e));
            if (pickMse == null || e.mean() < pickMse.mean() * (1 - SAFEGUARD_MARGIN)) {
                pick = i;
                pickMse = e;
            }
        }
        if (cancel.isCancelled()) {
            return null;
        }
        OptimizationReport.Selection selection = new OptimizationReport.Selection(candNames[pick], ssca.shares().clone(),
                List.copyOf(compared));
        if (pick != 0) {
            ssca = ssca.withShares(cand[pick], String.format(java.util.Locale.ROOT,
                    "safeguard: returned the %s shares, E[MSE] %.4g against %.4g for the SSCA iterate after %d iterations"
                            + " (rounded shares, same %d evaluation samples)", candNames[pick], pickMse.mean(),
                    compared.get(0).mseRounded().mean(), ssca.iterations(), pickMse.samples()));
        }
        TensorShareRounding.Rounded rounded = TensorShareRounding.round(ssca.shares(), m);
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
        return new OptimizationReport(ssca, rounded, cont, round, baselines, schemes, o.seed() ^ Evaluation.STREAM, selection);
    }

    /** Whether shares lie in the boxes (within rounding). */
    static boolean inBoxes(double[] shares, ShareBoxes boxes) {
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] < boxes.lo()[i] - 1e-12 || shares[i] > boxes.hi()[i] + 1e-12) {
                return false;
            }
        }
        return true;
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
