package org.airshard.app.gui.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.airshard.app.gui.common.TaskRunner;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.planner.analysis.TopologyAnalysis;
import org.airshard.planner.latency.PipelineEstimate;
import org.airshard.planner.latency.TensorParallelEstimate;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.Topology;

/**
 * Per-token latency of the current topology before any optimisation (the same analysis as
 * {@code airshard analyze}): tensor parallelism with equal shares under each all-reduce scheme (AirComp,
 * digital 8-bit OFDMA, uncoded FDMA) and a pipeline ring in file order, each broken into compute,
 * communication, broadcast and server time. Runs in the background; marked stale after edits.
 */
public final class AnalysisViewModel {

    /**
     * One bar of the comparison, times in milliseconds per generated token.
     *
     * @param name            scheme or baseline name
     * @param computeMs       device compute (slowest device per block, or Σ pipeline stages)
     * @param communicationMs uplink all-reduces, or Σ pipeline hops
     * @param broadcastMs     downlink broadcasts (tensor parallel only)
     * @param serverMs        server-side work (tensor parallel only)
     * @param totalMs         end-to-end per-token latency of one sequence
     * @param tokensPerSecond throughput (pipeline: with S sequences in flight)
     */
    public record Row(String name, double computeMs, double communicationMs, double broadcastMs, double serverMs,
                      double totalMs, double tokensPerSecond) {
    }

    private final TopologyEditorViewModel editor;
    private final TaskRunner tasks;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyBooleanWrapper stale = new ReadOnlyBooleanWrapper(this, "stale");
    private final ReadOnlyObjectWrapper<List<Row>> rows = new ReadOnlyObjectWrapper<>(this, "rows", List.of());
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary",
            "Analyze to compare per-token latency of the all-reduce schemes and a pipeline ring.");
    private Topology analysed;

    public AnalysisViewModel(TopologyEditorViewModel editor, TaskRunner tasks) {
        this.editor = Objects.requireNonNull(editor);
        this.tasks = Objects.requireNonNull(tasks);
        editor.topologyProperty().addListener((o, a, t) -> stale.set(!rows.get().isEmpty() && t != analysed));
        editor.documentGenerationProperty().addListener((o, a, b) -> {
            rows.set(List.of());
            stale.set(false);
            summary.set("Analyze to compare per-token latency of the all-reduce schemes and a pipeline ring.");
        });
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty staleProperty() {
        return stale.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<Row>> rowsProperty() {
        return rows.getReadOnlyProperty();
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
        running.set(true);
        summary.set("Analysing\u2026");
        tasks.submit("analyse", () -> TopologyAnalysis.of(t, m), a -> {
            running.set(false);
            analysed = t;
            rows.set(rowsOf(a));
            stale.set(editor.topology() != t);
            summary.set(describe(a, rows.get()));
        }, err -> {
            running.set(false);
            summary.set("Analysis failed: " + err.getMessage());
        });
    }

    static List<Row> rowsOf(TopologyAnalysis a) {
        List<Row> out = new ArrayList<>();
        for (TensorParallelEstimate e : a.tensor()) {
            String name = switch (e.scheme()) {
                case AIRCOMP -> "TP AirComp";
                case DIGITAL_OFDMA -> "TP digital 8-bit";
                case UNCODED_FDMA -> "TP uncoded FDMA";
            };
            out.add(new Row(name, e.computeS() * 1e3, e.allReduceS() * 1e3,
                    e.broadcastS() * 1e3, e.serverS() * 1e3, e.perTokenS() * 1e3, e.tokensPerSecond()));
        }
        PipelineEstimate p = a.pipeline();
        if (p != null) {
            double stages = p.stageS().stream().mapToDouble(Double::doubleValue).sum();
            double hops = p.hopS().stream().mapToDouble(Double::doubleValue).sum();
            out.add(new Row("Pipeline ring", stages * 1e3, hops * 1e3, 0, 0, p.ringS() * 1e3,
                    p.tokensPerSecond(a.sequences())));
        }
        return List.copyOf(out);
    }

    static String describe(TopologyAnalysis a, List<Row> rows) {
        Row best = rows.stream().min((x, y) -> Double.compare(x.totalMs(), y.totalMs())).orElse(null);
        if (best == null) {
            return "Nothing to compare.";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%s on %d devices \u00b7 lowest per-token latency: %s, %.3g ms\ntokens/s:", a.model().displayName(),
                a.links().size(), best.name(), best.totalMs()));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "  %s %.1f", r.name(), r.tokensPerSecond()));
        }
        sb.append(String.format(Locale.ROOT, "  (pipeline: S = %d in flight, file order, equal split)", a.sequences()));
        return sb.toString();
    }
}
