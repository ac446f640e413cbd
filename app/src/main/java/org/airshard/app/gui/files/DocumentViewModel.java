package org.airshard.app.gui.files;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import org.airshard.app.gui.common.Dialogs;
import org.airshard.app.gui.common.TaskRunner;
import org.airshard.app.gui.topology.TopologyEdits;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.planner.io.InputException;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyReader;
import org.airshard.planner.topology.TopologyWriter;
import org.airshard.planner.topology.ValidationIssue;

/**
 * File menu behaviour: new, open, open sample, save, save as, recent files, asking before unsaved work is
 * lost, autosave and recovery. All file I/O goes through the {@link TaskRunner}; questions go through
 * {@link Dialogs}. Saves are atomic ({@link TopologyWriter} writes a temporary file and moves it).
 */
public final class DocumentViewModel {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final TopologyEditorViewModel editor;
    private final Dialogs dialogs;
    private final TaskRunner tasks;
    private final RecentFiles recent;
    private final Autosave autosave;
    private final javafx.beans.property.ReadOnlyObjectWrapper<List<Path>> recentList =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "recentFiles", List.of());
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private Path lastDir;
    private Topology lastAutosaved;

    public DocumentViewModel(TopologyEditorViewModel editor, Dialogs dialogs, TaskRunner tasks, RecentFiles recent,
                             Autosave autosave) {
        this.editor = Objects.requireNonNull(editor);
        this.dialogs = Objects.requireNonNull(dialogs);
        this.tasks = Objects.requireNonNull(tasks);
        this.recent = Objects.requireNonNull(recent);
        this.autosave = Objects.requireNonNull(autosave);
    }

    /** Default wiring: recent list and autosave under {@link AppHome#dir()}. */
    public static DocumentViewModel withDefaults(TopologyEditorViewModel editor, Dialogs dialogs, TaskRunner tasks) {
        Path home = AppHome.dir();
        return new DocumentViewModel(editor, dialogs, tasks, new RecentFiles(home.resolve("recent.txt"),
                RecentFiles.DEFAULT_MAX), new Autosave(home.resolve("autosave.json")));
    }

    public TopologyEditorViewModel editor() {
        return editor;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Reads the recent list now (file I/O: not on the FX thread; the menu uses {@link #recentFilesProperty()}). */
    public List<Path> recentFiles() {
        return recent.list();
    }

    /**
     * The recent list as last read in the background (by {@link #refreshRecentFiles()}, after open and save);
     * what the File menu shows without touching the disk on the FX thread.
     */
    public javafx.beans.property.ReadOnlyObjectProperty<List<Path>> recentFilesProperty() {
        return recentList.getReadOnlyProperty();
    }

    /** Re-reads the recent list in the background (existing files only). */
    public void refreshRecentFiles() {
        tasks.submit("read recent files", recent::list, recentList::set, err -> { });
    }

    public void clearRecentFiles() {
        recentList.set(List.of());
        tasks.submit("clear recent files", () -> {
            recent.clear();
            return null;
        }, x -> { }, err -> { });
    }

    private void rememberRecent(Path file) {
        tasks.submit("remember recent file", () -> {
            recent.add(file);
            return recent.list();
        }, recentList::set, err -> { });
    }

    private void clearAutosaveInBackground() {
        tasks.submit("clear autosave", () -> {
            autosave.clear();
            return null;
        }, x -> { }, x -> { });
    }

    public List<Samples.Sample> samples() {
        return Samples.list();
    }

    /**
     * Asks before unsaved changes would be lost; runs {@code proceed} once it is safe (at once, after a
     * save finishes, or never when the user cancels or the save fails).
     */
    public void whenSafeToDiscard(Runnable proceed) {
        if (!editor.isDirty()) {
            proceed.run();
            return;
        }
        switch (dialogs.askSaveChanges(editor.topology().name())) {
            case SAVE -> save(proceed);
            case DISCARD -> proceed.run();
            case CANCEL -> editor.setStatus("Cancelled");
        }
    }

    public void newTopology() {
        whenSafeToDiscard(() -> {
            editor.load(TopologyEdits.newTopology(), null, null);
            autosave.clear();
            editor.setStatus("New topology");
        });
    }

    /** File ▸ Open…: asks for a file, then opens it. */
    public void open() {
        whenSafeToDiscard(() -> dialogs.chooseOpenFile(initialDir()).ifPresent(this::openFileNow));
    }

    /** Opens {@code file} (asking about unsaved changes first). */
    public void openFile(Path file) {
        whenSafeToDiscard(() -> openFileNow(file));
    }

    private void openFileNow(Path file) {
        busy.set(true);
        editor.setStatus("Opening " + file.getFileName() + "\u2026");
        // Only the reader's findings are passed on: the editor runs the validator itself on every state.
        tasks.submit("open " + file, () -> TopologyReader.read(file), loaded -> {
            busy.set(false);
            if (loaded.topology() == null) {
                dialogs.showError("Cannot open " + file.getFileName(), describe(loaded.report().issues()));
                editor.setStatus("Not a topology: " + file.getFileName());
                return;
            }
            editor.load(loaded.topology(), file, loaded.report());
            lastDir = file.toAbsolutePath().getParent();
            rememberRecent(file);
            clearAutosaveInBackground();
            editor.setStatus("Opened " + file);
        }, err -> {
            busy.set(false);
            dialogs.showError("Cannot open " + file.getFileName(), message(err));
            editor.setStatus("Open failed");
        });
    }

    /** Opens a packaged sample as an untitled document. */
    public void openSample(String resource) {
        whenSafeToDiscard(() -> {
            busy.set(true);
            tasks.submit("open sample " + resource, () -> Samples.read(resource), r -> {
                busy.set(false);
                loadSampleResult(resource, r);
            }, err -> {
                busy.set(false);
                dialogs.showError("Cannot open sample", message(err));
            });
        });
    }

    private void loadSampleResult(String resource, TopologyReader.Result r) {
        if (r.topology() == null) {
            dialogs.showError("Cannot open sample", describe(r.report().issues()));
            return;
        }
        editor.load(r.topology(), null, r.report());
        autosave.clear();
        editor.setStatus("Opened sample " + resource.substring(resource.lastIndexOf('/') + 1)
                + " (Save As to keep your changes)");
    }

    /** File ▸ Save: to the current file, or Save As when there is none. */
    public void save() {
        save(() -> { });
    }

    private void save(Runnable after) {
        Path f = editor.file();
        if (f == null) {
            saveAs(after);
        } else {
            write(f, after);
        }
    }

    public void saveAs() {
        saveAs(() -> { });
    }

    private void saveAs(Runnable after) {
        String suggested = editor.file() != null ? editor.file().getFileName().toString()
                : slug(editor.topology().name()) + ".json";
        dialogs.chooseSaveFile(initialDir(), suggested).ifPresent(p -> write(withJsonExtension(p), after));
    }

    private void write(Path target, Runnable after) {
        Topology snapshot = editor.topology();
        busy.set(true);
        editor.setStatus("Saving " + target.getFileName() + "\u2026");
        tasks.submit("save " + target, () -> {
            TopologyWriter.write(snapshot, target);
            return target;
        }, saved -> {
            busy.set(false);
            editor.markSaved(snapshot, saved);
            lastDir = saved.toAbsolutePath().getParent();
            rememberRecent(saved);
            if (!editor.isDirty()) {
                clearAutosaveInBackground();
            }
            editor.setStatus("Saved " + saved);
            after.run();
        }, err -> {
            busy.set(false);
            dialogs.showError("Cannot save " + target.getFileName(), message(err));
            editor.setStatus("Save failed; your changes are still here");
        });
    }

    /**
     * Model ▸ Checkpoint ▸ Browse: picks a {@code config.json} or {@code .gguf} and sets it as the model
     * (relative to the topology file's folder when it lies beneath it). The dimensions are read by the
     * validator in the background and shown in the property sheet.
     */
    public void browseCheckpoint() {
        dialogs.chooseCheckpoint(initialDir()).ifPresent(p -> {
            Path chosen = p.toAbsolutePath().normalize();
            Path base = editor.file() == null ? null : editor.file().toAbsolutePath().getParent();
            String text = base != null && chosen.startsWith(base) ? base.relativize(chosen).toString() : chosen.toString();
            editor.clearSelection();
            editor.setProperty("model.checkpoint", text).ifPresent(msg -> dialogs.showError("Cannot use checkpoint", msg));
        });
    }

    /**
     * Called periodically: writes an autosave when there are unsaved changes not yet autosaved. The
     * write runs in the background.
     */
    public void autosaveTick() {
        Topology t = editor.topology();
        if (!editor.isDirty() || t == lastAutosaved) {
            return;
        }
        lastAutosaved = t;
        Path original = editor.file();
        tasks.submit("autosave", () -> {
            autosave.write(t, original);
            return null;
        }, x -> { }, err -> editor.setStatus("Autosave failed: " + message(err)));
    }

    /**
     * At start-up: looks for an autosave from a previous session in the background, then (on the UI thread)
     * offers to restore it. Also reads the recent list.
     */
    public void offerRecoveryInBackground() {
        refreshRecentFiles();
        tasks.submit("find autosave", autosave::find, found -> found.ifPresent(this::offer), err -> { });
    }

    /**
     * At start-up: when an autosave from a previous session exists, offers to restore it. Returns true
     * when it was restored. Reads the disk on the calling thread; the app uses {@link #offerRecoveryInBackground()}.
     */
    public boolean offerRecovery() {
        var found = autosave.find();
        if (found.isEmpty()) {
            return false;
        }
        return offer(found.get());
    }

    private boolean offer(Autosave.Recovered r) {
        String from = r.original() == null ? "an untitled topology" : r.original().toString();
        boolean yes = dialogs.confirm("Recover unsaved work?", "AirShard was closed with unsaved changes to "
                + from + " (autosaved " + TIME.format(r.savedAt()) + ", \"" + r.topology().name()
                + "\").\nRecover them?");
        if (yes) {
            editor.loadUnsaved(r.topology(), r.original());
            editor.setStatus("Recovered unsaved work from " + TIME.format(r.savedAt()));
        } else {
            clearAutosaveInBackground();
        }
        return yes;
    }

    /**
     * The window is being closed: asks about unsaved work, then runs {@code close}. A deliberate discard
     * removes the autosave.
     */
    public void requestClose(Runnable close) {
        whenSafeToDiscard(() -> {
            autosave.clear();
            close.run();
        });
    }

    private Path initialDir() {
        if (editor.file() != null && editor.file().toAbsolutePath().getParent() != null) {
            return editor.file().toAbsolutePath().getParent();
        }
        return lastDir;
    }

    static Path withJsonExtension(Path p) {
        String n = p.getFileName().toString();
        return n.contains(".") ? p : p.resolveSibling(n + ".json");
    }

    /** A file-name-friendly form of a topology name. */
    public static String slug(String name) {
        String s = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return s.isEmpty() ? "topology" : s;
    }

    private static String describe(List<ValidationIssue> issues) {
        return issues.stream().limit(20).map(ValidationIssue::toString).collect(Collectors.joining("\n"));
    }

    static String message(Throwable e) {
        if (e instanceof InputException ie) {
            return ie.problems().stream().map(Object::toString).collect(Collectors.joining("\n"));
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
