package org.airshard.app.gui.tensor;

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
import org.airshard.app.gui.common.UndoHistory;
import org.airshard.app.gui.plan.OptimizerViewModel;
import org.airshard.planner.energy.AircompBudget;
import org.airshard.planner.latency.MemoryModel;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.optimize.Evaluation;
import org.airshard.planner.optimize.MseEstimate;
import org.airshard.planner.plan.Plan;
import org.airshard.planner.plan.PlanBuilder;
import org.airshard.planner.plan.PlanValidator;
import org.airshard.planner.plan.TensorShareRounding;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.ValidationIssue;
import org.airshard.planner.topology.ValidationReport;

/**
 * Hand editing of a tensor-parallel plan (the optimiser's rounded shares). An edit changes one board's share
 * (the other boards are rescaled proportionally and everything is rounded to whole KV groups and MLP columns,
 * so the sums stay legal) or sets one board's KV groups or MLP columns directly (which may break the sums).
 * Every edit is re-checked by {@link PlanValidator} in the background: predictions (tokens/s, ms per token,
 * per-board memory and compute) update live, and a broken rule is attached to the offending board
 * ({@link Row#errors()}, {@link #deviceTagsProperty()}) rather than refused. After a legal edit the AirComp
 * E[MSE] of the new shares is re-evaluated on the optimiser's evaluation samples (cancelled by the next
 * edit). Edits are undoable.
 */
public final class TensorPlanViewModel {

    /**
     * One board of the plan.
     *
     * @param deviceId     board id
     * @param share        continuous share m_n as edited
     * @param kvGroups     whole KV groups held
     * @param ffnColumns   MLP columns held
     * @param roundedShare parameter share actually held (from the groups and columns)
     * @param memoryBytes  memory the share needs (weights + KV caches)
     * @param usableBytes  the board's memory less the headroom
     * @param computeJ     compute energy per layer per token, J
     * @param budgetJ      P_n^max, J per layer per token
     * @param errors       rules this board breaks (empty when fine)
     */
    public record Row(String deviceId, double share, int kvGroups, int ffnColumns, double roundedShare,
                      double memoryBytes, double usableBytes, double computeJ, double budgetJ, List<String> errors) {
        public boolean broken() {
            return !errors.isEmpty();
        }
    }

    /** Samples used to re-evaluate E[MSE] after an edit (fewer than the optimiser's: it must feel live). */
    public static final int LIVE_MSE_SAMPLES = 12;

    private final TaskRunner tasks;
    private final UndoHistory<Plan> history = new UndoHistory<>(200);
    private final ReadOnlyObjectWrapper<Plan> plan = new ReadOnlyObjectWrapper<>(this, "plan");
    private final ReadOnlyObjectWrapper<List<Row>> rows = new ReadOnlyObjectWrapper<>(this, "rows", List.of());
    private final ReadOnlyObjectWrapper<List<ValidationIssue>> issues = new ReadOnlyObjectWrapper<>(this, "issues", List.of());
    private final ReadOnlyObjectWrapper<Map<String, String>> deviceTags = new ReadOnlyObjectWrapper<>(this, "deviceTags", Map.of());
    private final ReadOnlyObjectWrapper<MseEstimate> liveMse = new ReadOnlyObjectWrapper<>(this, "liveMse");
    private final ReadOnlyBooleanWrapper edited = new ReadOnlyBooleanWrapper(this, "edited");
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", IDLE);
    private OptimizerViewModel.Run run;
    private Plan original;
    private long generation;
    private Cancellation mseCancel;

    static final String IDLE = "Run the optimiser; its rounded shares can then be edited here.";

    public TensorPlanViewModel(TaskRunner tasks) {
        this.tasks = Objects.requireNonNull(tasks);
    }

    /** Starts editing the plan of a finished optimisation (null clears). The undo history starts empty. */
    public void load(OptimizerViewModel.Run r) {
        run = r;
        history.clear();
        cancelMse();
        generation++;
        if (r == null || r.report().rounded() == null) {
            original = null;
            plan.set(null);
            rows.set(List.of());
            issues.set(List.of());
            deviceTags.set(Map.of());
            liveMse.set(null);
            edited.set(false);
            summary.set(IDLE);
        } else {
            original = PlanBuilder.fromOptimization(r.report(), r.options(), r.topology(), r.model(), "airshard-gui");
            liveMse.set(r.report().mseRounded());
            apply(original, false);
        }
        updateUndo();
    }

    public ReadOnlyObjectProperty<Plan> planProperty() {
        return plan.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<Row>> rowsProperty() {
        return rows.getReadOnlyProperty();
    }

    /** Every finding of the last check (errors and warnings, boards named in {@code subject}). */
    public ReadOnlyObjectProperty<List<ValidationIssue>> issuesProperty() {
        return issues.getReadOnlyProperty();
    }

    /** Board id → short tag for the canvas; boards breaking a rule get {@code ✖ rule}. */
    public ReadOnlyObjectProperty<Map<String, String>> deviceTagsProperty() {
        return deviceTags.getReadOnlyProperty();
    }

    /** AirComp E[MSE] of the shown shares (null while re-evaluating or when the plan is illegal). */
    public ReadOnlyObjectProperty<MseEstimate> liveMseProperty() {
        return liveMse.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty editedProperty() {
        return edited.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /**
     * Board {@code deviceId} gets continuous share {@code share} (clamped to [0, 1]); the other boards keep
     * their proportions of the rest; all shares are rounded to whole KV groups and MLP columns.
     */
    public void setShare(String deviceId, double share) {
        Plan p = plan.get();
        if (p == null) {
            return;
        }
        List<Plan.Share> ss = p.tensor().shares();
        int k = indexOf(ss, deviceId);
        if (k < 0) {
            return;
        }
        double target = Math.max(0, Math.min(1, share));
        double rest = 0;
        for (int i = 0; i < ss.size(); i++) {
            if (i != k) {
                rest += Math.max(0, ss.get(i).share());
            }
        }
        double[] m = new double[ss.size()];
        for (int i = 0; i < m.length; i++) {
            if (i == k) {
                m[i] = target;
            } else {
                m[i] = rest > 0 ? Math.max(0, ss.get(i).share()) / rest * (1 - target) : (1 - target) / (m.length - 1);
            }
        }
        TensorShareRounding.Rounded r = TensorShareRounding.round(m, run.model());
        List<Plan.Share> out = new ArrayList<>();
        for (int i = 0; i < m.length; i++) {
            out.add(new Plan.Share(ss.get(i).device(), m[i], r.kvGroups()[i], r.ffnColumns()[i]));
        }
        edit(String.format(Locale.ROOT, "share of %s = %.3f", deviceId, target), withShares(p, out));
    }

    /** Sets board {@code deviceId}'s KV groups as typed; the other boards are not changed (sums may break). */
    public void setKvGroups(String deviceId, int groups) {
        editCounts(deviceId, Math.max(0, groups), null);
    }

    /** Sets board {@code deviceId}'s MLP columns as typed; the other boards are not changed (sums may break). */
    public void setFfnColumns(String deviceId, int columns) {
        editCounts(deviceId, null, Math.max(0, columns));
    }

    private void editCounts(String deviceId, Integer groups, Integer columns) {
        Plan p = plan.get();
        if (p == null) {
            return;
        }
        List<Plan.Share> ss = new ArrayList<>(p.tensor().shares());
        int k = indexOf(ss, deviceId);
        if (k < 0) {
            return;
        }
        Plan.Share s = ss.get(k);
        int g = groups == null ? s.kvGroups() : groups;
        int c = columns == null ? s.ffnColumns() : columns;
        if (g == s.kvGroups() && c == s.ffnColumns()) {
            return;
        }
        ss.set(k, new Plan.Share(s.device(), TensorShareRounding.roundedShare(run.model(), g, c), g, c));
        edit(groups != null ? "KV groups of " + deviceId + " = " + g : "MLP columns of " + deviceId + " = " + c,
                withShares(p, ss));
    }

    /** Whether the shown plan can be saved: legal and checked. */
    public boolean canSave() {
        Plan p = plan.get();
        return p != null && p.predicted() != null && issues.get().stream().noneMatch(ValidationIssue::isError);
    }

    /**
     * Saves the shown (possibly edited) plan as an {@code airshard.plan/1} file for {@code airshard run --plan};
     * the file is chosen with {@code dialogs} (starting in {@code dir}) and written atomically in the background.
     * {@code saved} receives the path.
     */
    public void savePlan(org.airshard.app.gui.common.Dialogs dialogs, java.nio.file.Path dir,
                         java.util.function.Consumer<java.nio.file.Path> saved) {
        if (!canSave()) {
            summary.set("The plan breaks a rule (or is still being checked); fix it before saving.");
            return;
        }
        Plan p = plan.get();
        dialogs.chooseSaveFile(dir, "tensor-plan.json").ifPresent(target -> tasks.submit("save tensor plan", () -> {
            org.airshard.planner.plan.PlanFiles.write(p, target);
            return target;
        }, saved::accept, err -> dialogs.showError("Cannot save plan", String.valueOf(err.getMessage()))));
    }

    /** Back to the optimiser's shares (undoable). */
    public void resetEdits() {
        if (original != null && plan.get() != original) {
            edit("reset to the optimiser's shares", original);
        }
    }

    public void undo() {
        history.undo().ifPresent(p -> apply(p, true));
        updateUndo();
    }

    public void redo() {
        history.redo().ifPresent(p -> apply(p, true));
        updateUndo();
    }

    /** Label of the step undo would revert. */
    public String undoLabel() {
        return history.undoLabel();
    }

    private void edit(String label, Plan next) {
        Plan before = plan.get();
        history.record(label, before, next, null);
        apply(next, true);
        updateUndo();
    }

    private void updateUndo() {
        canUndo.set(history.canUndo());
        canRedo.set(history.canRedo());
    }

    private static Plan withShares(Plan p, List<Plan.Share> shares) {
        Plan.TensorPart tp = p.tensor();
        return new Plan(p.mode(), p.topology(), p.modelId(), p.layers(), null,
                new Plan.TensorPart(tp.aggregator(), tp.streams(), shares, tp.details()), null, p.baselines(), p.provenance());
    }

    private static int indexOf(List<Plan.Share> ss, String deviceId) {
        for (int i = 0; i < ss.size(); i++) {
            if (ss.get(i).device().equals(deviceId)) {
                return i;
            }
        }
        return -1;
    }

    /** Shows {@code p} at once (rows without predictions), then checks it in the background. */
    private void apply(Plan p, boolean isEdit) {
        long gen = ++generation;
        cancelMse();
        edited.set(p != original);
        plan.set(p);
        rows.set(rowsOf(p, run.topology(), run.model(), null));
        if (isEdit) {
            liveMse.set(null);
            summary.set("Checking the edited plan\u2026");
        }
        Topology t = run.topology();
        ModelSpec m = run.model();
        tasks.submit("check tensor plan", () -> PlanValidator.check(p, t, m), c -> {
            if (gen != generation) {
                return;
            }
            Plan checked = c.predicted() == null ? p : new Plan(p.mode(), p.topology(), p.modelId(), p.layers(), null,
                    p.tensor(), c.predicted(), p.baselines(), p.provenance());
            plan.set(checked);
            issues.set(c.report().issues());
            rows.set(rowsOf(checked, t, m, c.report()));
            deviceTags.set(tagsOf(rows.get()));
            summary.set(describe(checked, c.report()));
            if (p != original && c.predicted() != null) {
                reEvaluateMse(checked, gen);
            } else if (p == original) {
                liveMse.set(run.report().mseRounded());
            }
        }, err -> {
            if (gen == generation) {
                issues.set(List.of(ValidationIssue.error("$", "plan check failed: " + err.getMessage(), "")));
                summary.set("Plan check failed: " + err.getMessage());
            }
        });
    }

    private void reEvaluateMse(Plan p, long gen) {
        Topology t = run.topology();
        ModelSpec m = run.model();
        long seed = run.options().seed();
        double[] shares = roundedShares(p, t, m);
        Cancellation c = new Cancellation();
        mseCancel = c;
        tasks.submit("re-evaluate E[MSE]", () -> new Evaluation(t, m, seed, LIVE_MSE_SAMPLES).aircomp(shares, c), e -> {
            if (gen == generation && e != null) {
                liveMse.set(e);
                summary.set(describe(plan.get(), null) + String.format(Locale.ROOT, " \u00b7 E[MSE] %.3g \u00b1 %.2g (%d samples)",
                        e.mean(), e.ci95(), e.samples()));
            }
        }, err -> {
        });
    }

    private void cancelMse() {
        if (mseCancel != null) {
            mseCancel.cancel();
            mseCancel = null;
        }
    }

    /** Parameter share each device holds under {@code p} (from its KV groups and MLP columns), topology order. */
    public static double[] heldShares(Plan p, Topology t, ModelSpec m) {
        return roundedShares(p, t, m);
    }

    static double[] roundedShares(Plan p, Topology t, ModelSpec m) {
        double[] out = new double[t.devices().size()];
        for (Plan.Share s : p.tensor().shares()) {
            for (int i = 0; i < out.length; i++) {
                if (t.devices().get(i).id().equals(s.device())) {
                    out[i] = TensorShareRounding.roundedShare(m, s.kvGroups(), s.ffnColumns());
                }
            }
        }
        return out;
    }

    static List<Row> rowsOf(Plan p, Topology t, ModelSpec m, ValidationReport report) {
        List<Row> out = new ArrayList<>();
        for (Plan.Share s : p.tensor().shares()) {
            Device d = t.device(s.device()).orElse(null);
            double rounded = TensorShareRounding.roundedShare(m, s.kvGroups(), s.ffnColumns());
            double need = MemoryModel.tensorParallelBytes(m, rounded, t.settings().sequences());
            double usable = d == null ? 0 : d.memoryBytes() * (1 - t.settings().memoryHeadroomFraction());
            double computeJ = d == null ? 0 : AircompBudget.computeEnergyJ(d, m, rounded);
            double budgetJ = d == null ? 0 : d.energyBudgetJPerLayer();
            List<String> errors = report == null ? List.of() : report.about(s.device()).stream()
                    .filter(ValidationIssue::isError).map(ValidationIssue::message).toList();
            out.add(new Row(s.device(), s.share(), s.kvGroups(), s.ffnColumns(), rounded, need, usable, computeJ, budgetJ,
                    errors));
        }
        return List.copyOf(out);
    }

    /** {@code ✖ memory}, {@code ✖ energy}, … for boards that break a rule; the share for the others. */
    static Map<String, String> tagsOf(List<Row> rows) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.broken()) {
                out.put(r.deviceId(), "\u2716 " + ruleOf(r.errors().get(0)));
            } else {
                out.put(r.deviceId(), String.format(Locale.ROOT, "TP %.0f%%", r.roundedShare() * 100));
            }
        }
        return Map.copyOf(out);
    }

    /** The rule's name: the text before the first colon when it is one word, else "rule". */
    static String ruleOf(String message) {
        int colon = message.indexOf(':');
        if (colon > 0 && colon < 16 && message.substring(0, colon).matches("[a-z ]+")) {
            return message.substring(0, colon);
        }
        return message.contains("streams need") ? "antennas" : "rule";
    }

    static String describe(Plan p, ValidationReport report) {
        if (report != null && report.hasErrors()) {
            return "Edited plan breaks " + report.errors().size() + (report.errors().size() == 1 ? " rule" : " rules")
                    + ": " + report.errors().get(0).message();
        }
        if (p.predicted() == null) {
            return "Checking\u2026";
        }
        return String.format(Locale.ROOT, "%.1f tokens/s \u00b7 %.3g ms per token (AirComp, rounded shares)",
                p.predicted().tokensPerSecond(), p.predicted().msPerToken());
    }
}
