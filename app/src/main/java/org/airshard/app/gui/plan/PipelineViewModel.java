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

    /** Tokens/s of one partition as a function of S, the number of sequences in flight. */
    public record Curve(String name, List<double[]> points, boolean fits) {
    }

    /**
     * One ring member's memory against its board.
     *
     * @param deviceId      board id
     * @param neededBytes   weights of its layers (+ embedding and head for the starter) and KV caches of S sequences
     * @param usableBytes   the board's memory less the headroom
     * @param capacityBytes the board's memory
     */
    public record MemoryBar(String deviceId, double neededBytes, double usableBytes, double capacityBytes) {
        public boolean fits() {
            return neededBytes <= usableBytes;
        }
    }

    /** Largest S drawn in the tokens/s chart. */
    static final int MAX_CURVE_SEQUENCES = 64;

    private final TopologyEditorViewModel editor;
    private final TaskRunner tasks;
    private final org.airshard.app.gui.common.UndoHistory<org.airshard.planner.plan.Plan> history =
            new org.airshard.app.gui.common.UndoHistory<>(200);
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");
    private final ReadOnlyObjectWrapper<List<Curve>> curves = new ReadOnlyObjectWrapper<>(this, "curves", List.of());
    private final ReadOnlyObjectWrapper<List<MemoryBar>> memory = new ReadOnlyObjectWrapper<>(this, "memory", List.of());
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
    private final ReadOnlyObjectWrapper<org.airshard.planner.plan.Plan> plan = new ReadOnlyObjectWrapper<>(this, "plan");
    private final ReadOnlyObjectWrapper<List<org.airshard.planner.topology.ValidationIssue>> planIssues =
            new ReadOnlyObjectWrapper<>(this, "planIssues", List.of());
    private final ReadOnlyBooleanWrapper edited = new ReadOnlyBooleanWrapper(this, "edited");
    private final ReadOnlyObjectWrapper<Map<String, String>> boardProblems =
            new ReadOnlyObjectWrapper<>(this, "boardProblems", Map.of());
    private long checkGeneration;
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

    /** Tokens/s vs S: the partitioner's ring, each baseline, and the edited plan when it is legal. */
    public ReadOnlyObjectProperty<List<Curve>> curvesProperty() {
        return curves.getReadOnlyProperty();
    }

    /** Memory per ring member of the shown plan against its board. */
    public ReadOnlyObjectProperty<List<MemoryBar>> memoryProperty() {
        return memory.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }

    /** Undoes the last plan edit (boundary move or reset). */
    public void undo() {
        drag = null;
        history.undo().ifPresent(this::showEdited);
        updateUndo();
    }

    public void redo() {
        drag = null;
        history.redo().ifPresent(this::showEdited);
        updateUndo();
    }

    private void updateUndo() {
        canUndo.set(history.canUndo());
        canRedo.set(history.canRedo());
    }

    private org.airshard.planner.plan.Plan partitionerPlan;

    /** Whether {@code p} has the partitioner's ranges (a re-checked copy of its plan counts). */
    private boolean isPartitioners(org.airshard.planner.plan.Plan p) {
        return p != null && partitionerPlan != null && p.pipeline() != null && partitionerPlan.pipeline() != null
                && p.pipeline().stages().equals(partitionerPlan.pipeline().stages());
    }

    private void showEdited(org.airshard.planner.plan.Plan p) {
        this.edited.set(!isPartitioners(p));
        showPlan(p, null);
        recheck(p);
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The plan shown: the partitioner's, or a hand-edited version of it. */
    public ReadOnlyObjectProperty<org.airshard.planner.plan.Plan> planProperty() {
        return plan.getReadOnlyProperty();
    }

    /** What the plan validator says about the shown plan (rules broken, naming the board). */
    public ReadOnlyObjectProperty<List<org.airshard.planner.topology.ValidationIssue>> planIssuesProperty() {
        return planIssues.getReadOnlyProperty();
    }

    /**
     * Board id → the validator's messages (rules broken) about that board in the shown plan, one per line;
     * boards without a broken rule are absent. Updated when a (background) plan check comes back.
     */
    public ReadOnlyObjectProperty<Map<String, String>> boardProblemsProperty() {
        return boardProblems.getReadOnlyProperty();
    }

    /** Whether the shown plan was edited by hand since the partitioner produced it. */
    public ReadOnlyBooleanProperty editedProperty() {
        return edited.getReadOnlyProperty();
    }

    /**
     * Hand edit: ring member {@code position} (1-based) takes {@code delta} layers from its successor (or,
     * for the last member, from its predecessor); negative gives layers away. The edited plan is re-checked
     * by {@code PlanValidator} in the background: predictions update, and a broken rule is reported on the
     * offending board (e.g. memory) instead of being refused.
     */
    public void changeLayers(int position, int delta) {
        org.airshard.planner.plan.Plan p = plan.get();
        if (p == null || p.pipeline() == null || delta == 0) {
            return;
        }
        List<org.airshard.planner.plan.Plan.Stage> st = new ArrayList<>(p.pipeline().stages());
        int k = position - 1;
        int n = st.size();
        if (k < 0 || k >= n || n < 2) {
            return;
        }
        int a = k < n - 1 ? k : k - 1; // the boundary between stage a and a + 1 moves
        int move = k < n - 1 ? delta : -delta;
        var left = st.get(a);
        var right = st.get(a + 1);
        int boundary = Math.max(left.layerStart(), Math.min(right.layerEnd(), left.layerEnd() + move));
        if (boundary == left.layerEnd()) {
            return;
        }
        st.set(a, new org.airshard.planner.plan.Plan.Stage(left.device(), left.layerStart(), boundary));
        st.set(a + 1, new org.airshard.planner.plan.Plan.Stage(right.device(), boundary, right.layerEnd()));
        org.airshard.planner.plan.Plan edited = new org.airshard.planner.plan.Plan(p.mode(), p.topology(), p.modelId(),
                p.layers(), new org.airshard.planner.plan.Plan.PipelinePart(p.pipeline().sequences(), st), p.tensor(),
                null, p.baselines(), p.provenance());
        history.record(plan.get().pipeline().stages().get(k).device() + (delta > 0 ? " takes " : " gives ")
                + Math.abs(delta) + (Math.abs(delta) == 1 ? " layer" : " layers"), plan.get(), edited, null);
        updateUndo();
        showEdited(edited);
    }

    /** State of one boundary drag: which boundary, the plan when it started. */
    private record Drag(int boundary, org.airshard.planner.plan.Plan start) {
    }

    private Drag drag;

    /**
     * Smallest number of layers stage {@code k} may hold: the starter (k = 0) may hold none (it still runs
     * the embedding and the head, as {@code PlanValidator} allows); every secondary needs one.
     */
    static int minLayers(int k) {
        return k == 0 ? 0 : 1;
    }

    /** Number of boundaries that can be dragged: between ring member k and k + 1, k = 0 … n − 2. */
    public int boundaryCount() {
        org.airshard.planner.plan.Plan p = plan.get();
        return p == null || p.pipeline() == null ? 0 : Math.max(0, p.pipeline().stages().size() - 1);
    }

    /** The layer index where boundary {@code b} is (first layer of member b + 1), or -1. */
    public int boundaryLayer(int b) {
        org.airshard.planner.plan.Plan p = plan.get();
        if (p == null || p.pipeline() == null || b < 0 || b >= p.pipeline().stages().size() - 1) {
            return -1;
        }
        return p.pipeline().stages().get(b).layerEnd();
    }

    /**
     * Starts dragging boundary {@code b} (between ring members b and b + 1, 0-based). Moves until
     * {@link #endBoundaryDrag()} re-check and re-predict live; the whole drag is one undo step.
     */
    public boolean beginBoundaryDrag(int b) {
        if (running.get() || b < 0 || b >= boundaryCount()) {
            return false;
        }
        drag = new Drag(b, plan.get());
        return true;
    }

    /** Whether a boundary drag is in progress. */
    public boolean dragging() {
        return drag != null;
    }

    /**
     * Moves the dragged boundary to {@code layerPosition} (fractional, in layers from the model's first
     * layer): snapped to the nearest whole layer and clamped so both neighbours keep their minimum
     * ({@link #minLayers(int)}). Returns the snapped boundary. No-op when it does not change.
     */
    public int dragBoundaryTo(double layerPosition) {
        if (drag == null || plan.get() == null) {
            return -1;
        }
        int b = drag.boundary();
        org.airshard.planner.plan.Plan p = plan.get();
        List<org.airshard.planner.plan.Plan.Stage> st = new ArrayList<>(p.pipeline().stages());
        var left = st.get(b);
        var right = st.get(b + 1);
        int lo = left.layerStart() + minLayers(b);
        int hi = right.layerEnd() - minLayers(b + 1);
        int snapped = Double.isNaN(layerPosition) ? left.layerEnd()
                : (int) Math.max(lo, Math.min(hi, Math.round(layerPosition)));
        if (snapped == left.layerEnd()) {
            return snapped;
        }
        st.set(b, new org.airshard.planner.plan.Plan.Stage(left.device(), left.layerStart(), snapped));
        st.set(b + 1, new org.airshard.planner.plan.Plan.Stage(right.device(), snapped, right.layerEnd()));
        showEdited(withStages(p, st));
        return snapped;
    }

    /** Ends the drag: records one undo step from the plan before the drag to the plan now (if it moved). */
    public void endBoundaryDrag() {
        Drag d = drag;
        drag = null;
        if (d == null || plan.get() == null || d.start() == null) {
            return;
        }
        int from = d.start().pipeline().stages().get(d.boundary()).layerEnd();
        int to = boundaryLayer(d.boundary());
        if (from == to) {
            return;
        }
        var stages = plan.get().pipeline().stages();
        history.record("move boundary " + stages.get(d.boundary()).device() + " | " + stages.get(d.boundary() + 1).device()
                + " to layer " + to, d.start(), plan.get(), null);
        updateUndo();
    }

    /** Abandons the drag and goes back to the plan it started from (no undo step). */
    public void cancelBoundaryDrag() {
        Drag d = drag;
        drag = null;
        if (d != null && d.start() != null && plan.get() != d.start()) {
            showEdited(d.start());
        }
    }

    private static org.airshard.planner.plan.Plan withStages(org.airshard.planner.plan.Plan p,
                                                             List<org.airshard.planner.plan.Plan.Stage> st) {
        return new org.airshard.planner.plan.Plan(p.mode(), p.topology(), p.modelId(), p.layers(),
                new org.airshard.planner.plan.Plan.PipelinePart(p.pipeline().sequences(), List.copyOf(st)), p.tensor(),
                null, p.baselines(), p.provenance());
    }

    /** Back to the partitioner's plan (undoable). */
    public void resetEdits() {
        if (partitionerPlan != null && !isPartitioners(plan.get())) {
            history.record("reset plan edits", plan.get(), partitionerPlan, null);
            updateUndo();
            showEdited(partitionerPlan);
        }
    }

    private void recheck(org.airshard.planner.plan.Plan p) {
        Topology t = resultFor;
        ModelSpec m = resultModel;
        long gen = ++checkGeneration;
        tasks.submit("check plan", () -> org.airshard.planner.plan.PlanValidator.check(p, t, m), c -> {
            if (gen != checkGeneration) {
                return;
            }
            planIssues.set(c.report().issues());
            Map<String, String> byBoard = new LinkedHashMap<>();
            for (var i : c.report().issues()) {
                if (i.isError() && !i.subjectId().isEmpty()) {
                    byBoard.merge(i.subjectId(), i.message(), (x, y) -> x + "\n" + y);
                }
            }
            boardProblems.set(Map.copyOf(byBoard));
            org.airshard.planner.plan.Plan withPrediction = c.predicted() == null ? p
                    : new org.airshard.planner.plan.Plan(p.mode(), p.topology(), p.modelId(), p.layers(), p.pipeline(),
                            p.tensor(), c.predicted(), p.baselines(), p.provenance());
            showPlan(withPrediction, c.report());
        }, err -> planIssues.set(List.of(org.airshard.planner.topology.ValidationIssue.error("$", "plan check failed: "
                + err.getMessage(), ""))));
    }

    /** Table rows, canvas tags and summary from a plan (predictions may be absent while checking or invalid). */
    private void showPlan(org.airshard.planner.plan.Plan p, org.airshard.planner.topology.ValidationReport report) {
        plan.set(p);
        List<Member> ms = new ArrayList<>();
        Map<String, String> ranges = new LinkedHashMap<>();
        var stages = p.pipeline().stages();
        for (int k = 0; k < stages.size(); k++) {
            var s = stages.get(k);
            double stage = Double.NaN, hop = Double.NaN;
            if (p.predicted() != null) {
                for (var dp : p.predicted().perDevice()) {
                    if (dp.device().equals(s.device())) {
                        stage = dp.computeMs();
                        hop = dp.hopMs();
                    }
                }
            }
            Member m = new Member(k + 1, s.device(), s.layerStart(), s.layerEnd(), stage, hop);
            ms.add(m);
            boolean broken = report != null && !report.about(s.device()).stream()
                    .filter(org.airshard.planner.topology.ValidationIssue::isError).toList().isEmpty();
            ranges.put(s.device(), (broken ? "\u2716 " : "") + "#" + m.position() + " "
                    + (m.layers() > 0 ? m.rangeLabel() : "no layers"));
        }
        members.set(List.copyOf(ms));
        rangesByDevice.set(Map.copyOf(ranges));
        memory.set(memoryOf(p, resultFor, resultModel));
        if (report != null && !report.hasErrors() && !isPartitioners(p) && resultFor != null && resultModel != null) {
            List<Curve> cs = new ArrayList<>(curvesOf(result.get()));
            cs.add(0, curve("edited plan", new org.airshard.planner.latency.PipelineLatency(resultFor, resultModel,
                    new RadioRates(resultFor)).estimate(stages.stream().map(org.airshard.planner.plan.Plan.Stage::device).toList(),
                    stages.stream().map(org.airshard.planner.plan.Plan.Stage::layerCount).toList()), true, result.get().sequences()));
            curves.set(List.copyOf(cs));
        } else if (isPartitioners(p)) {
            curves.set(curvesOf(result.get()));
        }
        if (edited.get()) {
            if (report == null) {
                summary.set("Checking the edited plan\u2026");
            } else if (report.hasErrors()) {
                summary.set("Edited plan breaks " + report.errors().size() + (report.errors().size() == 1 ? " rule" : " rules")
                        + ": " + report.errors().get(0).message());
            } else if (p.predicted() != null) {
                summary.set(String.format(Locale.ROOT, "Edited plan: %.1f tokens/s at S = %d (partitioner: %.1f)",
                        p.predicted().tokensPerSecond(), p.pipeline().sequences(), result.get().tokensPerSecond()));
            }
        }
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
        return plan.get() != null;
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
        org.airshard.planner.plan.Plan p = plan.get();
        if (planIssues.get().stream().anyMatch(org.airshard.planner.topology.ValidationIssue::isError)
                || p.predicted() == null) {
            summary.set("The edited plan breaks a rule (or is still being checked); fix it before saving.");
            return;
        }
        java.nio.file.Path dir = editor.file() == null ? null : editor.file().toAbsolutePath().getParent();
        dialogs.chooseSaveFile(dir, "plan.json").ifPresent(target -> tasks.submit("save plan", () -> {
            org.airshard.planner.plan.PlanFiles.write(p, target);
            return target;
        }, saved -> editor.setStatus("Saved plan " + saved), err -> dialogs.showError("Cannot save plan",
                String.valueOf(err.getMessage()))));
    }

    public void clear() {
        if (cancellation != null) {
            cancellation.cancel();
        }
        result.set(null);
        plan.set(null);
        partitionerPlan = null;
        history.clear();
        updateUndo();
        curves.set(List.of());
        memory.set(List.of());
        planIssues.set(List.of());
        boardProblems.set(Map.of());
        drag = null;
        edited.set(false);
        members.set(List.of());
        rangesByDevice.set(Map.of());
        stale.set(false);
        summary.set("Run the partitioner to split the model's layers over a ring of devices.");
    }

    private void show(Topology t, PartitionResult r) {
        resultFor = t;
        result.set(r);
        edited.set(false);
        planIssues.set(List.of());
        boardProblems.set(Map.of());
        drag = null;
        checkGeneration++;
        partitionerPlan = r.best() != null && resultModel != null
                ? org.airshard.planner.plan.PlanBuilder.fromPartition(r, t, resultModel, "airshard-gui") : null;
        plan.set(partitionerPlan);
        history.clear();
        updateUndo();
        curves.set(curvesOf(r));
        memory.set(partitionerPlan == null ? List.of() : memoryOf(partitionerPlan, t, resultModel));
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

    /** Tokens/s vs S for the chosen ring and each baseline, S = 1 … max(8, 2 × knee) (at most 64). */
    static List<Curve> curvesOf(PartitionResult r) {
        if (r == null || r.best() == null) {
            return List.of();
        }
        List<Curve> out = new ArrayList<>();
        out.add(curve("AirShard ring", r.best(), true, r.sequences()));
        for (org.airshard.planner.pipeline.Baseline b : r.baselines()) {
            if (b.estimate() != null) {
                out.add(curve(b.name() + (b.fits() ? "" : " (does not fit)"), b.estimate(), b.fits(), r.sequences()));
            }
        }
        return List.copyOf(out);
    }

    static int curveLength(PipelineEstimate e, int sequences) {
        return Math.min(MAX_CURVE_SEQUENCES, Math.max(Math.max(8, sequences), 2 * e.kneeSequences()));
    }

    private static Curve curve(String name, PipelineEstimate e, boolean fits, int sequences) {
        List<double[]> pts = new ArrayList<>();
        for (int s = 1; s <= curveLength(e, sequences); s++) {
            pts.add(new double[] {s, e.tokensPerSecond(s)});
        }
        return new Curve(name, List.copyOf(pts), fits);
    }

    /** Memory of each stage of {@code p} (weights + KV caches of its S) against its board. */
    static List<MemoryBar> memoryOf(org.airshard.planner.plan.Plan p, Topology t, ModelSpec m) {
        if (p == null || p.pipeline() == null || t == null || m == null) {
            return List.of();
        }
        List<MemoryBar> out = new ArrayList<>();
        var stages = p.pipeline().stages();
        for (int k = 0; k < stages.size(); k++) {
            var s = stages.get(k);
            var d = t.device(s.device()).orElse(null);
            if (d == null) {
                continue;
            }
            double need = org.airshard.planner.latency.MemoryModel.pipelineBytes(m, Math.max(0, s.layerCount()), k == 0,
                    p.pipeline().sequences());
            out.add(new MemoryBar(d.id(), need, d.memoryBytes() * (1 - t.settings().memoryHeadroomFraction()), d.memoryBytes()));
        }
        return List.copyOf(out);
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
