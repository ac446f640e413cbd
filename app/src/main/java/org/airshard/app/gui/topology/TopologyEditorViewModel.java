package org.airshard.app.gui.topology;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;
import org.airshard.app.gui.common.TaskRunner;
import org.airshard.app.gui.common.UndoHistory;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.DeviceKind;
import org.airshard.planner.topology.Position;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyValidator;
import org.airshard.planner.topology.ValidationIssue;
import org.airshard.planner.topology.ValidationReport;

/**
 * State and behaviour of the topology editor: the document (an immutable {@link Topology} snapshot), its
 * file and dirty state, the selection, undo/redo of every edit, the clipboard, and validation by the
 * same {@link TopologyValidator} the CLI uses (run through the {@link TaskRunner}, so a checkpoint read
 * never blocks the UI). No {@code javafx.scene} here: the canvas, property sheet and problems list are
 * thin views over this class.
 */
public final class TopologyEditorViewModel {

    /** Grid used when snapping is on, metres. */
    public static final double GRID_M = 0.5;
    /** Offset of pasted copies, metres. */
    public static final double PASTE_OFFSET_M = 1.0;
    private static final int UNDO_CAPACITY = 500;
    private static final Pattern INDEXED = Pattern.compile("^\\$\\.(devices|links)\\[(\\d+)]");

    private final TaskRunner tasks;
    private final UndoHistory<Topology> history = new UndoHistory<>(UNDO_CAPACITY);

    private final ReadOnlyObjectWrapper<Topology> topology = new ReadOnlyObjectWrapper<>(this, "topology");
    private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>(this, "file");
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "AirShard");
    private final ObjectProperty<Selection> selection = new SimpleObjectProperty<>(this, "selection", Selection.EMPTY);
    private final ReadOnlyObjectWrapper<ValidationReport> report =
            new ReadOnlyObjectWrapper<>(this, "report", new ValidationReport(List.of()));
    private final ReadOnlyObjectWrapper<ModelSpec> model = new ReadOnlyObjectWrapper<>(this, "model");
    private final ReadOnlyObjectWrapper<List<PropertyRow>> propertyRows =
            new ReadOnlyObjectWrapper<>(this, "propertyRows", List.of());
    private final ObservableMap<String, String> fieldErrors = FXCollections.observableHashMap();
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");
    private final ReadOnlyStringWrapper undoLabel = new ReadOnlyStringWrapper(this, "undoLabel", "");
    private final ReadOnlyStringWrapper redoLabel = new ReadOnlyStringWrapper(this, "redoLabel", "");
    private final ReadOnlyBooleanWrapper canPaste = new ReadOnlyBooleanWrapper(this, "canPaste");
    private final BooleanProperty snapToGrid = new SimpleBooleanProperty(this, "snapToGrid", true);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final javafx.beans.property.ReadOnlyIntegerWrapper documentGeneration =
            new javafx.beans.property.ReadOnlyIntegerWrapper(this, "documentGeneration");

    private Topology savedTopology;
    private ValidationReport readerReport = new ValidationReport(List.of());
    private Topology readerReportFor;
    private TopologyEdits.Clip clipboard = new TopologyEdits.Clip(List.of(), List.of());
    private int pasteCount;
    private long validationGeneration;
    private boolean validationRunning;
    private boolean validationPending;

    public TopologyEditorViewModel(TaskRunner tasks) {
        this.tasks = Objects.requireNonNull(tasks);
        selection.addListener((o, a, b) -> {
            if (!Objects.equals(EditTarget.of(a), EditTarget.of(b))) {
                fieldErrors.clear();
            }
            refreshRows();
        });
        load(TopologyEdits.newTopology(), null, new ValidationReport(List.of()));
    }

    // ---------------------------------------------------------------- properties

    public ReadOnlyObjectProperty<Topology> topologyProperty() {
        return topology.getReadOnlyProperty();
    }

    public Topology topology() {
        return topology.get();
    }

    public ReadOnlyObjectProperty<Path> fileProperty() {
        return file.getReadOnlyProperty();
    }

    public Path file() {
        return file.get();
    }

    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    public boolean isDirty() {
        return dirty.get();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ObjectProperty<Selection> selectionProperty() {
        return selection;
    }

    public Selection selection() {
        return selection.get();
    }

    public ReadOnlyObjectProperty<ValidationReport> reportProperty() {
        return report.getReadOnlyProperty();
    }

    public ValidationReport report() {
        return report.get();
    }

    /** The resolved model, or null while it cannot be resolved. */
    public ReadOnlyObjectProperty<ModelSpec> modelProperty() {
        return model.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<PropertyRow>> propertyRowsProperty() {
        return propertyRows.getReadOnlyProperty();
    }

    public List<PropertyRow> propertyRows() {
        return propertyRows.get();
    }

    /** Messages for values the sheet refused (key → message), for the current target only. */
    public ObservableMap<String, String> fieldErrors() {
        return fieldErrors;
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty undoLabelProperty() {
        return undoLabel.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty redoLabelProperty() {
        return redoLabel.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canPasteProperty() {
        return canPaste.getReadOnlyProperty();
    }

    public BooleanProperty snapToGridProperty() {
        return snapToGrid;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public void setStatus(String message) {
        status.set(message);
    }

    /** Incremented each time a different document is loaded (views re-fit, reset scroll, ...). */
    public javafx.beans.property.ReadOnlyIntegerProperty documentGenerationProperty() {
        return documentGeneration.getReadOnlyProperty();
    }

    public EditTarget target() {
        return EditTarget.of(selection.get());
    }

    // ---------------------------------------------------------------- document lifecycle

    /**
     * Replaces the document: clears undo history and selection; the loaded state counts as saved.
     *
     * @param t            the topology
     * @param source       its file, or null (new document, sample, recovered autosave)
     * @param readerReport findings of the file reader (shown until the first edit)
     */
    public void load(Topology t, Path source, ValidationReport readerReport) {
        history.clear();
        clipboard = new TopologyEdits.Clip(List.of(), List.of());
        pasteCount = 0;
        this.readerReport = readerReport == null ? new ValidationReport(List.of()) : readerReport;
        this.readerReportFor = t;
        savedTopology = t;
        file.set(source);
        selection.set(Selection.EMPTY);
        documentGeneration.set(documentGeneration.get() + 1);
        setTopology(t);
        updateHistoryState();
    }

    /** Like {@link #load} but the document counts as unsaved (recovered work). */
    public void loadUnsaved(Topology t, Path source) {
        load(t, source, null);
        savedTopology = null;
        updateDirty();
    }

    /** Records that {@code written} was saved to {@code target}; edits made meanwhile stay dirty. */
    public void markSaved(Topology written, Path target) {
        savedTopology = written;
        file.set(target);
        updateDirty();
    }

    // ---------------------------------------------------------------- edits

    /**
     * Applies an edit and records it for undo. Returns false when it changed nothing.
     *
     * @param mergeKey edits with the same non-null key merge into one undo step (one drag)
     */
    public boolean edit(String label, UnaryOperator<Topology> op, Object mergeKey) {
        Topology before = topology.get();
        Topology after = op.apply(before);
        if (after == null || after == before || after.equals(before)) {
            return false;
        }
        history.record(label, before, after, mergeKey);
        setTopology(after);
        updateHistoryState();
        return true;
    }

    /** Places a new device of {@code kind} at {@code at} (snapped when snapping is on) and selects it. */
    public String addDevice(DeviceKind kind, Position at) {
        Topology t = topology.get();
        String id = TopologyEdits.freshId(t, TopologyEdits.idBase(kind), Set.of());
        long sameKind = t.devices().stream().filter(d -> d.kind() == kind).count();
        Device d = Device.ofKind(id, kind.displayName() + " #" + (sameKind + 1), kind, snap(at));
        edit("Add " + kind.displayName(), x -> TopologyEdits.addDevice(x, d), null);
        selection.set(Selection.ofNode(id));
        return id;
    }

    /** Moves the selected nodes by (dx, dy) metres. */
    public void moveSelection(double dxM, double dyM, Object mergeKey) {
        moveNodes(selection.get().nodes(), dxM, dyM, mergeKey);
    }

    public void moveNodes(Set<String> ids, double dxM, double dyM, Object mergeKey) {
        if (ids.isEmpty()) {
            return;
        }
        String label = ids.size() == 1 ? "Move " + ids.iterator().next() : "Move " + ids.size() + " nodes";
        edit(label, t -> TopologyEdits.move(t, ids, dxM, dyM), mergeKey);
    }

    /**
     * Drags the selection so that node {@code anchorId} ends at {@code anchorTarget} (snapped when snapping
     * is on); every other selected node keeps its offset to the anchor.
     */
    public void dragSelectionTo(String anchorId, Position anchorTarget, Object mergeKey) {
        Position now = TopologyEdits.positionOf(topology.get(), anchorId);
        if (now == null) {
            return;
        }
        Position target = snap(anchorTarget);
        Set<String> ids = new LinkedHashSet<>(selection.get().nodes());
        ids.add(anchorId);
        moveNodes(ids, target.xM() - now.xM(), target.yM() - now.yM(), mergeKey);
    }

    public Position snap(Position p) {
        if (!snapToGrid.get()) {
            return p;
        }
        return new Position(TopologyEdits.snap(p.xM(), GRID_M), TopologyEdits.snap(p.yM(), GRID_M));
    }

    /** Deletes the selected devices and links (the server stays). */
    public void deleteSelection() {
        Selection s = selection.get();
        Set<String> nodes = new LinkedHashSet<>(s.nodes());
        nodes.remove(topology.get().server().id());
        if (nodes.isEmpty() && s.links().isEmpty()) {
            if (s.nodes().contains(topology.get().server().id())) {
                status.set("The edge server cannot be deleted");
            }
            return;
        }
        int n = nodes.size() + s.links().size();
        String label = n == 1 ? "Delete " + (nodes.isEmpty() ? "link" : nodes.iterator().next()) : "Delete " + n + " items";
        if (edit(label, t -> TopologyEdits.delete(t, nodes, s.links()), null)) {
            selection.set(Selection.EMPTY);
        }
    }

    /** Copies the selected devices (and links among them). */
    public void copySelection() {
        TopologyEdits.Clip c = TopologyEdits.copy(topology.get(), selection.get().nodes());
        if (!c.isEmpty()) {
            clipboard = c;
            pasteCount = 0;
            canPaste.set(true);
            status.set("Copied " + c.devices().size() + (c.devices().size() == 1 ? " device" : " devices"));
        }
    }

    public void cutSelection() {
        copySelection();
        deleteSelection();
    }

    /** Pastes the clipboard with fresh ids, offset a little more each time, and selects the copies. */
    public void paste() {
        if (clipboard.isEmpty()) {
            return;
        }
        pasteCount++;
        double off = PASTE_OFFSET_M * pasteCount;
        TopologyEdits.Pasted[] out = new TopologyEdits.Pasted[1];
        int n = clipboard.devices().size();
        edit(n == 1 ? "Paste device" : "Paste " + n + " devices", t -> {
            out[0] = TopologyEdits.paste(t, clipboard, off, off);
            return out[0].topology();
        }, null);
        if (out[0] != null) {
            selection.set(Selection.ofNodes(new LinkedHashSet<>(out[0].newIds())));
        }
    }

    public void duplicateSelection() {
        TopologyEdits.Clip saved = clipboard;
        int savedCount = pasteCount;
        copySelection();
        paste();
        clipboard = saved;
        pasteCount = savedCount;
        canPaste.set(!saved.isEmpty());
    }

    /** Adds a digital link with default rate and latency between two nodes and selects it. */
    public boolean addLink(String a, String b) {
        if (a.equals(b)) {
            return false;
        }
        if (topology.get().link(a, b).isPresent()) {
            selection.set(Selection.ofLink(new LinkKey(a, b)));
            status.set("A link between " + a + " and " + b + " already exists");
            return false;
        }
        boolean done = edit("Link " + a + " \u2194 " + b, t -> TopologyEdits.addLink(t, a, b), null);
        if (done) {
            selection.set(Selection.ofLink(new LinkKey(a, b)));
        }
        return done;
    }

    /**
     * Applies a value typed in the property sheet for the current target.
     *
     * @return the refusal message, or empty when the value was applied (validator findings on the new
     * value then show up in {@link #report()})
     */
    public Optional<String> setProperty(String key, String text) {
        EditTarget target = target();
        Topology before = topology.get();
        Topology after;
        try {
            after = TopologyProperties.apply(before, target, key, text);
        } catch (IllegalArgumentException e) {
            fieldErrors.put(key, e.getMessage());
            refreshRows();
            return Optional.of(e.getMessage());
        }
        fieldErrors.remove(key);
        String label = "Edit " + rowLabel(key);
        edit(label, t -> after, null);
        // An id change renames the selected node: follow it.
        if ("id".equals(key) && target instanceof EditTarget.Node node && after != before) {
            String newId = text.trim();
            if (!newId.equals(node.id())) {
                selection.set(Selection.ofNode(newId));
            }
        }
        refreshRows();
        return Optional.empty();
    }

    private String rowLabel(String key) {
        return propertyRows.get().stream().filter(r -> r.key().equals(key)).map(r -> r.label().toLowerCase(Locale.ROOT))
                .findFirst().orElse(key);
    }

    public void undo() {
        history.undo().ifPresent(t -> {
            setTopology(t);
            pruneSelection();
            status.set("Undone");
        });
        updateHistoryState();
    }

    public void redo() {
        history.redo().ifPresent(t -> {
            setTopology(t);
            pruneSelection();
            status.set("Redone");
        });
        updateHistoryState();
    }

    // ---------------------------------------------------------------- selection

    public void select(Selection s) {
        selection.set(s);
    }

    /** Click on a node: select only it, or toggle it when {@code additive}. */
    public void clickNode(String id, boolean additive) {
        selection.set(additive ? selection.get().toggle(id) : Selection.ofNode(id));
    }

    public void clickLink(LinkKey k, boolean additive) {
        selection.set(additive ? selection.get().toggle(k) : Selection.ofLink(k));
    }

    public void clearSelection() {
        selection.set(Selection.EMPTY);
    }

    public void selectAll() {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(topology.get().server().id());
        topology.get().devices().forEach(d -> ids.add(d.id()));
        selection.set(Selection.ofNodes(ids));
    }

    /** Rubber-band selection: nodes inside the rectangle (metres), added to the selection when additive. */
    public void selectInRect(double x0, double y0, double x1, double y1, boolean additive) {
        double minX = Math.min(x0, x1), maxX = Math.max(x0, x1), minY = Math.min(y0, y1), maxY = Math.max(y0, y1);
        Set<String> ids = new LinkedHashSet<>();
        Topology t = topology.get();
        if (inside(t.server().position(), minX, minY, maxX, maxY)) {
            ids.add(t.server().id());
        }
        for (Device d : t.devices()) {
            if (inside(d.position(), minX, minY, maxX, maxY)) {
                ids.add(d.id());
            }
        }
        Selection s = Selection.ofNodes(ids);
        selection.set(additive ? selection.get().union(s) : s);
    }

    private static boolean inside(Position p, double minX, double minY, double maxX, double maxY) {
        return p.xM() >= minX && p.xM() <= maxX && p.yM() >= minY && p.yM() <= maxY;
    }

    /**
     * Selects what a validation finding is about: the device or link its JSON path names, else the node
     * its subject id names, else the topology itself (model, channel, settings).
     */
    public void selectIssue(ValidationIssue issue) {
        Topology t = topology.get();
        Matcher m = INDEXED.matcher(issue.path());
        if (m.find()) {
            int i = Integer.parseInt(m.group(2));
            if (m.group(1).equals("devices") && i < t.devices().size()) {
                selection.set(Selection.ofNode(t.devices().get(i).id()));
                return;
            }
            if (m.group(1).equals("links") && i < t.links().size()) {
                selection.set(Selection.ofLink(LinkKey.of(t.links().get(i))));
                return;
            }
        }
        if (issue.path().startsWith("$.server")) {
            selection.set(Selection.ofNode(t.server().id()));
            return;
        }
        if (!issue.subjectId().isEmpty() && TopologyEdits.nodeIds(t).contains(issue.subjectId())) {
            selection.set(Selection.ofNode(issue.subjectId()));
            return;
        }
        selection.set(Selection.EMPTY);
    }

    /** Findings the property sheet shows next to {@code row}. */
    public List<ValidationIssue> issuesFor(PropertyRow row) {
        return report.get().issues().stream().filter(i -> row.isAbout(i.path())).toList();
    }

    /** Findings about the current target that no row shows (e.g. the whole device or model). */
    public List<ValidationIssue> generalIssuesForTarget() {
        EditTarget target = target();
        List<PropertyRow> rows = propertyRows.get();
        List<ValidationIssue> out = new ArrayList<>();
        for (ValidationIssue i : report.get().issues()) {
            if (rows.stream().anyMatch(r -> r.isAbout(i.path()))) {
                continue;
            }
            boolean about = false;
            if (target instanceof EditTarget.Node n) {
                about = i.subjectId().equals(n.id()) || pathNames(i.path(), n.id());
            } else if (target instanceof EditTarget.Document) {
                about = i.path().startsWith("$.model") || i.path().startsWith("$.settings")
                        || i.path().startsWith("$.channel") || i.path().equals("$") || i.path().equals("$.devices");
            }
            if (about) {
                out.add(i);
            }
        }
        return out;
    }

    private boolean pathNames(String path, String nodeId) {
        Topology t = topology.get();
        if (t.server().id().equals(nodeId)) {
            return path.startsWith("$.server");
        }
        int idx = TopologyProperties.indexOf(t, nodeId);
        return idx >= 0 && (path.equals("$.devices[" + idx + "]") || path.startsWith("$.devices[" + idx + "]."));
    }

    /** Average uplink SNR of a device in dB (NaN when positions are not finite). */
    public double uplinkSnrDb(Device d) {
        return org.airshard.planner.channel.LinkBudget.uplinkSnrDb(topology.get(), d);
    }

    // ---------------------------------------------------------------- internals

    private void setTopology(Topology t) {
        topology.set(t);
        updateDirty();
        refreshRows();
        validate(t);
    }

    private void updateDirty() {
        Topology t = topology.get();
        dirty.set(t != savedTopology && (savedTopology == null || !savedTopology.equals(t)));
        updateTitle();
    }

    private void updateTitle() {
        Topology t = topology.get();
        String name = t == null ? "" : t.name();
        Path f = file.get();
        String where = f == null ? "" : " (" + f.getFileName() + ")";
        title.set((dirty.get() ? "\u2022 " : "") + name + where + " \u2014 AirShard");
    }

    private void updateHistoryState() {
        canUndo.set(history.canUndo());
        canRedo.set(history.canRedo());
        undoLabel.set(history.undoLabel());
        redoLabel.set(history.redoLabel());
    }

    private void pruneSelection() {
        Selection s = selection.get();
        Topology t = topology.get();
        Set<String> ids = TopologyEdits.nodeIds(t);
        Set<String> nodes = new LinkedHashSet<>();
        s.nodes().stream().filter(ids::contains).forEach(nodes::add);
        Set<LinkKey> links = new LinkedHashSet<>();
        s.links().stream().filter(k -> t.links().stream().anyMatch(k::matches)).forEach(links::add);
        Selection pruned = new Selection(nodes, links);
        if (!pruned.equals(s)) {
            selection.set(pruned);
        }
    }

    private void refreshRows() {
        Topology t = topology.get();
        if (t != null) {
            propertyRows.set(TopologyProperties.rows(t, target(), model.get()));
        }
    }

    /**
     * Validates {@code t} in the background. At most one validation runs at a time; edits made meanwhile
     * (a drag produces dozens) collapse into one follow-up run on the newest state, so the pool's queue
     * never fills up and the report always ends on the current topology.
     */
    private void validate(Topology t) {
        long gen = ++validationGeneration;
        if (validationRunning) {
            validationPending = true;
            return;
        }
        validationRunning = true;
        Path baseDir = file.get() == null ? null : file.get().toAbsolutePath().getParent();
        tasks.submit("validate", () -> TopologyValidator.validate(t, baseDir), outcome -> {
            validationRunning = false;
            if (gen == validationGeneration) {
                ValidationReport r = outcome.report();
                if (t == readerReportFor) {
                    r = readerReport.plus(r);
                }
                boolean modelChanged = !Objects.equals(model.get(), outcome.model());
                model.set(outcome.model());
                report.set(r);
                if (modelChanged && target() instanceof EditTarget.Document) {
                    refreshRows();
                }
            }
            runPendingValidation();
        }, err -> {
            validationRunning = false;
            if (gen == validationGeneration) {
                report.set(new ValidationReport(List.of(ValidationIssue.error("$", "validation failed: " + err, ""))));
            }
            runPendingValidation();
        });
    }

    private void runPendingValidation() {
        if (validationPending) {
            validationPending = false;
            validate(topology.get());
        }
    }
}
