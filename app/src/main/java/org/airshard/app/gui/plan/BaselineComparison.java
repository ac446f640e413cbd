package org.airshard.app.gui.plan;

import java.util.ArrayList;
import java.util.List;
import org.airshard.planner.latency.AllReduceScheme;
import org.airshard.planner.latency.RadioRates;
import org.airshard.planner.latency.TensorParallelEstimate;
import org.airshard.planner.latency.TensorParallelLatency;
import org.airshard.planner.optimize.MseEstimate;
import org.airshard.planner.optimize.OptimizationReport;

/**
 * What the optimiser's baseline charts show, computed from a finished run (no JavaFX): the all-reduce
 * E[MSE] of the optimised shares against the equal and compute-proportional splits and against digital
 * 8-bit OFDMA and uncoded FDMA aggregation, and per-token latency for every (shares × scheme) pair.
 */
public final class BaselineComparison {

    private BaselineComparison() {
    }

    /**
     * One E[MSE] bar.
     *
     * @param name  shares and scheme
     * @param mse   the estimate, null when the split is infeasible (a board cannot afford its compute energy)
     */
    public record MseBar(String name, MseEstimate mse) {
        public boolean feasible() {
            return mse != null;
        }
    }

    /** Share splits compared: the optimised (rounded) shares, then the report's baselines. */
    public static List<String> splits(OptimizationReport r) {
        List<String> out = new ArrayList<>();
        out.add("SSCA");
        for (OptimizationReport.BaselineMse b : r.baselines()) {
            out.add(b.name());
        }
        return out;
    }

    /**
     * E[MSE] bars: SSCA rounded and continuous with AirComp, each baseline split with AirComp, then the SSCA
     * rounded shares with the digital and uncoded-FDMA schemes.
     */
    public static List<MseBar> mseBars(OptimizationReport r) {
        List<MseBar> out = new ArrayList<>();
        out.add(new MseBar("SSCA \u00b7 AirComp", r.mseRounded()));
        out.add(new MseBar("SSCA continuous \u00b7 AirComp", r.mseContinuous()));
        for (OptimizationReport.BaselineMse b : r.baselines()) {
            out.add(new MseBar(b.name() + " \u00b7 AirComp", b.mse()));
        }
        for (OptimizationReport.SchemeResult s : r.schemes()) {
            if (s.latency().scheme() != AllReduceScheme.AIRCOMP) {
                out.add(new MseBar("SSCA \u00b7 " + s.latency().scheme().displayName(), s.mse()));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Per-token latency, one row per (split × scheme): rows grouped by scheme, splits in {@link #splits} order.
     * Times in ms per generated token, as {@link AnalysisViewModel.Row}.
     */
    public static List<AnalysisViewModel.Row> latencyRows(OptimizerViewModel.Run run) {
        OptimizationReport r = run.report();
        TensorParallelLatency lat = new TensorParallelLatency(run.topology(), run.model(), new RadioRates(run.topology()));
        List<double[]> shares = new ArrayList<>();
        shares.add(r.rounded().roundedShares());
        for (OptimizationReport.BaselineMse b : r.baselines()) {
            shares.add(b.shares());
        }
        List<String> names = splits(r);
        List<AnalysisViewModel.Row> out = new ArrayList<>();
        for (AllReduceScheme scheme : AllReduceScheme.values()) {
            for (int i = 0; i < shares.size(); i++) {
                TensorParallelEstimate e = lat.estimate(shares.get(i), scheme);
                out.add(new AnalysisViewModel.Row(names.get(i) + " \u00b7 " + scheme.displayName(), e.computeS() * 1e3,
                        e.allReduceS() * 1e3, e.broadcastS() * 1e3, e.serverS() * 1e3, e.perTokenS() * 1e3,
                        e.tokensPerSecond()));
            }
        }
        return List.copyOf(out);
    }

    /** Whether E[MSE] values span more than two decades (the chart then uses a log scale). */
    public static boolean needsLogScale(List<MseBar> bars) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (MseBar b : bars) {
            if (b.feasible() && b.mse().mean() > 0) {
                lo = Math.min(lo, b.mse().mean());
                hi = Math.max(hi, b.mse().mean());
            }
        }
        return hi > 0 && hi / lo > 100;
    }
}
