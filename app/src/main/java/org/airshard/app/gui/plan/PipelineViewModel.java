package org.airshard.app.gui.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.airshard.app.gui.common.TaskRunner;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.planner.latency.PipelineEstimate;
import org.airshard.planner.latency.RadioRates;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.pipeline.PartitionResult;
import org.airshard.planner.pipeline.PipelinePartitioner;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.solver.SolverStatus;
import org.airshard.planner.topology.Topology;

/**
 * Runs the pipeline partitioner on the editor's topology in the background (cancellable) and exposes the
 * result for the plan panel and the canvas: ring order, each member's layer range, tokens/s against the
 * baselines. A result stays visible after the topology changes but is marked stale.
 */
public final class PipelineViewModel {

    /** One ring member as shown in the table and on the canvas. */
    public record Member(int position, String deviceId, int firstLayer, int lastLayerExclusive, double stageMs,
                         double hopMs) {
        public int layers() {
            return lastLayerExclusive - firstLayer;
        }

        /** e.g. {@code L0–4} (inclusive last layer), or {@code L3} for one layer. */
        public String rangeLabel() {
            int last = lastLayerExclusive - 1;
            return last == firstLayer ? "L" + firstLayer : "L" + firstLayer + "\u2013" + last;
        }
    }

    private final TopologyEditorViewModel editor;
    private final TaskRunner tasks;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyBooleanWrapper stale = new ReadOnlyBooleanWrapper(this, "stale");
    private final ReadOnlyObjectWrapper<PartitionResult> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ReadOnlyObjectWrapper<List<Member>> members = new ReadOnlyObjectWrapper<>(this, "members", List.of());
    private final ReadOnlyObjectWrapper<Map<String, String>> rangesByDevice =
            new ReadOnlyObjectWrapper<>(this, "rangesByDevice", Map.of());
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary",
            "Run the partitioner to split the model's layers over a ring of devices.");
    private Topology resultFor;
    private ModelSpec resultModel;
    private Cancellation cancellation;
    private TaskRunner.Cancellable task;

    public PipelineViewModel(TopologyEditorViewModel editor, TaskRunner tasks) {
        this.editor = Objects.requireNonNull(editor);
        this.tasks = Objects.requireNonNull(tasks);
        editor.topologyProperty().addListener((o, a, t) -> stale.set(result.get() != null && t != resultFor));
        editor.documentGenerationProperty().addListener((o, a, b) -> clear());
    }

    /** The runner this ViewModel uses (sibling panels share it). */
    public TaskRunner taskRunner() {
        return tasks;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty staleProperty() {
        return stale.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<PartitionResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<Member>> membersProperty() {
        return members.getReadOnlyProperty();
    }

    /** Device id → layer range label, for the canvas. Empty when there is no (current) plan. */
    public ReadOnlyObjectProperty<Map<String, String>> rangesByDeviceProperty() {
        return rangesByDevice.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Starts the partitioner for the current topology with S = the topology's sequences setting. */
    public void run() {
        if (running.get()) {
            return;
        }
        ModelSpec model = editor.modelProperty().get();
        if (editor.report().hasErrors() || model == null) {
            summary.set("Fix the topology's errors first (see Problems).");
            return;
        }
        Topology t = editor.topology();
        int s = Math.max(1, t.settings().sequences());
        Cancellation c = new Cancellation();
        cancellation = c;
        running.set(true);
        summary.set("Partitioning " + model.layers() + " layers over " + t.devices().size() + " devices\u2026");
        task = tasks.submit("pipeline partition", () -> new PipelinePartitioner(t, model, new RadioRates(t))
                .partition(PipelinePartitioner.Options.of(s), c), r -> {
                    running.set(false);
                    resultModel = model;
                    show(t, r);
                }, err -> {
                    running.set(false);
                    summary.set(c.isCancelled() ? "Cancelled." : "Partitioner failed: " + err.getMessage());
                });
    }

    /** Stops a running search; the partitioner returns its best ring so far (status CANCELLED). */
    public void cancel() {
        if (cancellation != null) {
            cancellation.cancel();
        }
        if (running.get() && task != null && task.isDone()) {
            running.set(false);
        }
    }

    /** Whether there is a ring to save as a plan file. */
    public boolean canSavePlan() {
        return result.get() != null && result.get().best() != null;
    }

    /**
     * Saves the current result as an {@code airshard.plan/1} file (for {@code airshard run --plan}); the
     * file is chosen with {@code dialogs} and written atomically in the background.
     */
    public void savePlan(org.airshard.app.gui.common.Dialogs dialogs) {
        if (!canSavePlan()) {
            summary.set("Run the partitioner first: there is no plan to save.");
            return;
        }
        PartitionResult r = result.get();
        Topology t = resultFor;
        ModelSpec m = resultModel;
        java.nio.file.Path dir = editor.file() == null ? null : editor.file().toAbsolutePath().getParent();
        dialogs.chooseSaveFile(dir, "plan.json").ifPresent(target -> tasks.submit("save plan", () -> {
            org.airshard.planner.plan.PlanFiles.write(
                    org.airshard.planner.plan.PlanBuilder.fromPartition(r, t, m, "airshard-gui"), target);
            return target;
        }, saved -> editor.setStatus("Saved plan " + saved), err -> dialogs.showError("Cannot save plan",
                String.valueOf(err.getMessage()))));
    }

    public void clear() {
        if (cancellation != null) {
            cancellation.cancel();
        }
        result.set(null);
        members.set(List.of());
        rangesByDevice.set(Map.of());
        stale.set(false);
        summary.set("Run the partitioner to split the model's layers over a ring of devices.");
    }

    private void show(Topology t, PartitionResult r) {
        resultFor = t;
        result.set(r);
        stale.set(editor.topology() != t);
        List<Member> ms = new ArrayList<>();
        Map<String, String> ranges = new LinkedHashMap<>();
        PipelineEstimate e = r.best();
        if (e != null) {
            int first = 0;
            for (int k = 0; k < e.ring().size(); k++) {
                int n = e.layerCounts().get(k);
                Member m = new Member(k + 1, e.ring().get(k), first, first + n, e.stageS().get(k) * 1e3,
                        e.hopS().get(k) * 1e3);
                ms.add(m);
                ranges.put(m.deviceId(), "#" + m.position() + " " + m.rangeLabel());
                first += n;
            }
        }
        members.set(List.copyOf(ms));
        rangesByDevice.set(Map.copyOf(ranges));
        summary.set(describe(r));
    }

    static String describe(PartitionResult r) {
        if (r.status() == SolverStatus.INFEASIBLE || r.best() == null) {
            return "No ring fits: " + String.join("; ", r.notes());
        }
        double best = r.bestBaselineTokensPerSecond();
        String vs = best > 0 ? String.format(Locale.ROOT, " (best baseline %.1f, \u00d7%.2f)", best,
                r.tokensPerSecond() / best) : " (no baseline fits)";
        String status = switch (r.status()) {
            case OPTIMAL -> r.exhaustiveRingSearch() ? "optimal" : "heuristic ring, exact ranges";
            case CANCELLED -> "cancelled, best so far";
            case TIME_LIMIT -> "time limit, best so far";
            default -> r.status().name().toLowerCase(Locale.ROOT);
        };
        return String.format(Locale.ROOT, "%.1f tokens/s at S = %d%s \u00b7 ring of %d \u00b7 %s \u00b7 %d rings in %d ms",
                r.tokensPerSecond(), r.sequences(), vs, r.best().ring().size(), status, r.ringsEvaluated(),
                r.solveMillis());
    }
}
