package org.airshard.app.gui.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import org.airshard.app.gui.common.TaskRunner;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.optimize.AircompOptimization;
import org.airshard.planner.optimize.MseEstimate;
import org.airshard.planner.optimize.OptimizationReport;
import org.airshard.planner.optimize.SscaOptions;
import org.airshard.planner.optimize.SscaProgress;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.solver.SolverStatus;
import org.airshard.planner.topology.Topology;

/**
 * AirComp optimisation (SSCA over the tensor-parallel shares, then rounding and evaluation against the
 * baselines, as {@code airshard optimize}) in the background with live progress: the running E[MSE] of each
 * SSCA iteration is published to the UI thread at most once per pending UI update, so a fast solver never
 * floods it. Cancel stops the solver, which returns its best shares so far.
 */
public final class OptimizerViewModel {

    /** One convergence point. */
    public record Point(int iteration, double runningMse) {
    }

    /**
     * A finished optimisation with what it ran on: what the plan editor, the beamformer view and the energy
     * view start from.
     */
    public record Run(Topology topology, ModelSpec model, SscaOptions options, OptimizationReport report) {
    }

    /** One device's share of each layer: continuous SSCA result and rounded to whole KV groups / columns. */
    public record Share(String deviceId, double continuous, double rounded) {
    }

    private final TopologyEditorViewModel editor;
    private final TaskRunner tasks;
    private final IntegerProperty iterations = new SimpleIntegerProperty(this, "iterations", 500);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyBooleanWrapper stale = new ReadOnlyBooleanWrapper(this, "stale");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyObjectWrapper<List<Point>> convergence = new ReadOnlyObjectWrapper<>(this, "convergence", List.of());
    private final ReadOnlyObjectWrapper<List<Share>> shares = new ReadOnlyObjectWrapper<>(this, "shares", List.of());
    private final ReadOnlyObjectWrapper<OptimizationReport> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", IDLE);
    private final ReadOnlyObjectWrapper<Run> lastRun = new ReadOnlyObjectWrapper<>(this, "lastRun");
    private Cancellation cancellation;
    private Topology optimised;

    private static final String IDLE = "Optimise the tensor-parallel shares for AirComp all-reduce (SSCA).";

    public OptimizerViewModel(TopologyEditorViewModel editor, TaskRunner tasks) {
        this.editor = Objects.requireNonNull(editor);
        this.tasks = Objects.requireNonNull(tasks);
        editor.topologyProperty().addListener((o, a, t) -> stale.set(result.get() != null && t != optimised));
        editor.documentGenerationProperty().addListener((o, a, b) -> {
            if (cancellation != null) {
                cancellation.cancel();
            }
            result.set(null);
            lastRun.set(null);
            shares.set(List.of());
            convergence.set(List.of());
            progress.set(0);
            stale.set(false);
            summary.set(IDLE);
        });
    }

    public IntegerProperty iterationsProperty() {
        return iterations;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty staleProperty() {
        return stale.getReadOnlyProperty();
    }

    /** 0..1 over the SSCA iterations. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<Point>> convergenceProperty() {
        return convergence.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<Share>> sharesProperty() {
        return shares.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<OptimizationReport> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The last finished optimisation with rounded shares (null before one, after a new document, when infeasible). */
    public ReadOnlyObjectProperty<Run> lastRunProperty() {
        return lastRun.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public void run() {
        if (running.get()) {
            return;
        }
        ModelSpec m = editor.modelProperty().get();
        if (editor.report().hasErrors() || m == null) {
            summary.set("Fix the topology's errors first (see Problems).");
            return;
        }
        Topology t = editor.topology();
        int n = Math.max(1, iterations.get());
        SscaOptions o = SscaOptions.defaults(1).withIterations(n);
        Cancellation c = new Cancellation();
        cancellation = c;
        running.set(true);
        progress.set(0);
        convergence.set(List.of());
        summary.set("SSCA: " + n + " iterations on " + t.devices().size() + " devices\u2026");
        List<Point> buffer = new ArrayList<>();
        boolean[] posted = new boolean[1];
        tasks.submit("aircomp optimisation", () -> AircompOptimization.run(t, m, o, c, (SscaProgress p) -> {
            synchronized (buffer) {
                buffer.add(new Point(p.iteration() + 1, p.runningMse()));
                if (posted[0]) {
                    return;
                }
                posted[0] = true;
            }
            tasks.runOnUi(() -> {
                List<Point> copy;
                synchronized (buffer) {
                    posted[0] = false;
                    copy = List.copyOf(buffer);
                }
                if (cancellation == c) {
                    convergence.set(copy);
                    progress.set(copy.isEmpty() ? 0 : Math.min(1, copy.get(copy.size() - 1).iteration() / (double) n));
                }
            });
        }), r -> {
            running.set(false);
            if (cancellation != c) {
                return;
            }
            synchronized (buffer) {
                convergence.set(List.copyOf(buffer));
            }
            show(t, r);
            lastRun.set(r == null || r.rounded() == null ? null : new Run(t, m, o, r));
        }, err -> {
            running.set(false);
            summary.set(c.isCancelled() ? "Cancelled." : "Optimisation failed: " + err.getMessage());
        });
    }

    public void cancel() {
        if (cancellation != null) {
            cancellation.cancel();
        }
    }

    private void show(Topology t, OptimizationReport r) {
        if (r == null) {
            summary.set("Cancelled during the evaluation; no result.");
            return;
        }
        optimised = t;
        result.set(r);
        stale.set(editor.topology() != t);
        progress.set(1);
        if (r.rounded() == null) {
            shares.set(List.of());
            summary.set("No feasible shares (" + r.ssca().status() + "): " + r.ssca().note());
            return;
        }
        List<Share> s = new ArrayList<>();
        for (int i = 0; i < t.devices().size(); i++) {
            s.add(new Share(t.devices().get(i).id(), r.ssca().shares()[i], r.rounded().roundedShares()[i]));
        }
        shares.set(List.copyOf(s));
        summary.set(describe(r));
    }

    static String describe(OptimizationReport r) {
        StringBuilder sb = new StringBuilder();
        String status = r.ssca().status() == SolverStatus.CANCELLED ? "cancelled, best so far"
                : r.ssca().status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        sb.append(String.format(Locale.ROOT, "SSCA %s after %d iterations (%d ms) \u00b7 E[MSE] %s rounded, %s continuous",
                status, r.ssca().iterations(), r.ssca().millis(), mse(r.mseRounded()), mse(r.mseContinuous())));
        sb.append("\nbaselines (AirComp):");
        for (OptimizationReport.BaselineMse b : r.baselines()) {
            sb.append(String.format(Locale.ROOT, "  %s %s", b.name(),
                    b.mse() == null ? "infeasible (energy)" : "E[MSE] " + mse(b.mse())));
        }
        sb.append("\nper token at the rounded shares:");
        for (OptimizationReport.SchemeResult s : r.schemes()) {
            sb.append(String.format(Locale.ROOT, "  %s %.3g ms", s.latency().scheme().displayName(),
                    s.latency().perTokenS() * 1e3));
        }
        if (!r.ssca().note().isEmpty()) {
            sb.append("\nnote: ").append(r.ssca().note());
        }
        return sb.toString();
    }

    private static String mse(MseEstimate e) {
        return e == null ? "-" : String.format(Locale.ROOT, "%.3g \u00b1 %.2g", e.mean(), e.ci95());
    }
}
