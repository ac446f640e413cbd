package org.airshard.app.gui.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.airshard.app.gui.TestFixtures;
import org.airshard.app.gui.common.Dialogs.SaveChoice;
import org.airshard.app.gui.common.DirectTaskRunner;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.planner.topology.DeviceKind;
import org.airshard.planner.topology.Position;
import org.airshard.planner.topology.TopologyReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File menu behaviour with scripted dialogs and a direct task runner. */
class DocumentViewModelTest {

    @TempDir
    Path tmp;

    DirectTaskRunner tasks;
    TopologyEditorViewModel editor;
    ScriptedDialogs dialogs;
    DocumentViewModel doc;
    Path fixture;
    Autosave autosave;
    RecentFiles recent;

    @BeforeEach
    void setUp() throws Exception {
        tasks = new DirectTaskRunner();
        editor = new TopologyEditorViewModel(tasks);
        dialogs = new ScriptedDialogs();
        Files.createDirectories(tmp.resolve("home"));
        autosave = new Autosave(tmp.resolve("home/autosave.json"));
        recent = new RecentFiles(tmp.resolve("home/recent.txt"), 3);
        doc = new DocumentViewModel(editor, dialogs, tasks, recent, autosave);
        fixture = TestFixtures.copyTo(tmp);
    }

    @Test
    void openEditSaveReopenRoundTrip() throws Exception {
        doc.openFile(fixture);
        assertEquals("Fixture lab", editor.topology().name());
        assertEquals(fixture, editor.file());
        assertFalse(editor.isDirty());
        assertEquals(List.of(fixture.toAbsolutePath()), recent.list());

        editor.addDevice(DeviceKind.PHONE, new Position(3, 4));
        editor.setProperty("maxTxPowerDbm", "17.5");
        assertTrue(editor.isDirty());
        doc.save();
        assertFalse(editor.isDirty());
        assertTrue(dialogs.asked.isEmpty(), "save to the known file asks nothing");
        assertTrue(tasks.submittedCount() > 0, "file work goes through the task runner");

        var reread = TopologyReader.read(fixture);
        assertFalse(reread.report().hasErrors(), reread.report().issues().toString());
        assertEquals(editor.topology(), reread.topology(), "what was saved reads back identically");
        assertEquals(17.5, reread.topology().device("phone-1").orElseThrow().maxTxPowerDbm());

        TopologyEditorViewModel other = new TopologyEditorViewModel(tasks);
        new DocumentViewModel(other, dialogs, tasks, recent, autosave).openFile(fixture);
        assertEquals(editor.topology(), other.topology());
    }

    @Test
    void checkpointPickedOnDiskIsStoredRelativeAndItsDimensionsAreShown() throws Exception {
        doc.openFile(fixture);
        Path ckpt = Files.createDirectories(tmp.resolve("models/tiny"));
        Files.writeString(ckpt.resolve("config.json"), "{\"num_hidden_layers\": 4, \"hidden_size\": 128,"
                + " \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"intermediate_size\": 344,"
                + " \"vocab_size\": 1000, \"torch_dtype\": \"float32\"}");
        dialogs.checkpointAnswers.add(ckpt.resolve("config.json"));
        doc.browseCheckpoint();
        assertEquals(Path.of("models", "tiny", "config.json").toString(), editor.topology().model().checkpoint());
        assertEquals(null, editor.topology().model().preset());
        assertFalse(editor.report().hasErrors(), editor.report().issues().toString());
        var rows = editor.propertyRows();
        assertTrue(rows.stream().anyMatch(r -> r.key().equals("model.shape") && r.value().startsWith("4 \u00b7 d 128")),
                rows.toString());
        doc.save();
        assertEquals(editor.topology(), TopologyReader.read(fixture).topology());
    }

    @Test
    void findingsAreNotDuplicatedAfterOpening() throws Exception {
        String text = Files.readString(fixture).replace("\"antennas\": 2, \"position\": {\"xM\": 24", "\"antennas\": 4, \"position\": {\"xM\": 24");
        Path f = tmp.resolve("unequal.json");
        Files.writeString(f, text);
        doc.openFile(f);
        long n = editor.report().issues().stream().filter(i -> i.message().contains("unequal antenna counts")).count();
        assertEquals(1, n, editor.report().issues().toString());
    }

    @Test
    void saveAsForAnUntitledDocumentAddsJsonExtension() throws Exception {
        editor.setProperty("name", "My Lab #2");
        dialogs.saveAnswers.add(tmp.resolve("mylab"));
        doc.save();
        assertEquals(List.of("save-as:my-lab-2.json"), dialogs.asked);
        Path written = tmp.resolve("mylab.json");
        assertTrue(Files.isRegularFile(written));
        assertEquals(written, editor.file());
        assertFalse(editor.isDirty());
        assertTrue(editor.titleProperty().get().contains("mylab.json"));
    }

    @Test
    void cancellingSaveAsKeepsTheDocumentDirty() {
        editor.addDevice(DeviceKind.PHONE, new Position(3, 4));
        doc.saveAs();
        assertTrue(editor.isDirty());
    }

    @Test
    void unsavedChangesAreAskedAboutBeforeOpeningAnotherFile() {
        editor.addDevice(DeviceKind.PHONE, new Position(3, 4));
        dialogs.saveChoices.add(SaveChoice.CANCEL);
        doc.openFile(fixture);
        assertEquals("Untitled topology", editor.topology().name(), "cancel keeps the current document");
        dialogs.saveChoices.add(SaveChoice.DISCARD);
        doc.openFile(fixture);
        assertEquals("Fixture lab", editor.topology().name());
    }

    @Test
    void closeWithSaveWritesThenCloses() throws Exception {
        doc.openFile(fixture);
        editor.addDevice(DeviceKind.PHONE, new Position(3, 4));
        dialogs.saveChoices.add(SaveChoice.SAVE);
        AtomicInteger closed = new AtomicInteger();
        doc.requestClose(closed::incrementAndGet);
        assertEquals(1, closed.get());
        assertTrue(TopologyReader.read(fixture).topology().device("phone-1").isPresent());
    }

    @Test
    void closeCancelledDoesNotClose() {
        editor.addDevice(DeviceKind.PHONE, new Position(3, 4));
        dialogs.saveChoices.add(SaveChoice.CANCEL);
        AtomicInteger closed = new AtomicInteger();
        doc.requestClose(closed::incrementAndGet);
        assertEquals(0, closed.get());
        dialogs.saveChoices.add(SaveChoice.SAVE); // then Save As is cancelled: still not closed
        doc.requestClose(closed::incrementAndGet);
        assertEquals(0, closed.get());
    }

    @Test
    void newTopologyAsksWhenDirtyAndStartsCleanAndUntitled() {
        doc.openFile(fixture);
        editor.addDevice(DeviceKind.PHONE, new Position(3, 4));
        doc.autosaveTick();
        dialogs.saveChoices.add(SaveChoice.DISCARD);
        doc.newTopology();
        assertEquals("Untitled topology", editor.topology().name());
        assertNull(editor.file());
        assertFalse(editor.isDirty());
        assertFalse(editor.canUndoProperty().get(), "a new document has no history");
        assertFalse(Files.exists(autosave.file()), "discarded work leaves no autosave behind");
        assertFalse(editor.report().hasErrors(), editor.report().issues().toString());
    }

    @Test
    void cleanDocumentClosesWithoutAsking() {
        AtomicInteger closed = new AtomicInteger();
        doc.requestClose(closed::incrementAndGet);
        assertEquals(1, closed.get());
        assertTrue(dialogs.asked.isEmpty());
    }

    @Test
    void autosaveAndRecoveryAfterACrash() {
        doc.openFile(fixture);
        editor.addDevice(DeviceKind.LAPTOP, new Position(-2, -2));
        doc.autosaveTick();
        assertTrue(Files.isRegularFile(autosave.file()));
        // "crash": a new session starts with the same home folder
        TopologyEditorViewModel next = new TopologyEditorViewModel(tasks);
        DocumentViewModel nextDoc = new DocumentViewModel(next, dialogs, tasks, recent, autosave);
        dialogs.confirmAnswers.add(true);
        assertTrue(nextDoc.offerRecovery());
        assertEquals(editor.topology(), next.topology());
        assertTrue(next.isDirty(), "recovered work is unsaved");
        assertEquals(fixture.toAbsolutePath(), next.file());
        nextDoc.save();
        assertFalse(next.isDirty());
        assertFalse(Files.exists(autosave.file()), "a save removes the autosave");
        assertFalse(nextDoc.offerRecovery());
    }

    @Test
    void declinedRecoveryDeletesTheAutosaveAndCleanDocumentsAreNotAutosaved() {
        doc.autosaveTick();
        assertFalse(Files.exists(autosave.file()), "nothing to autosave when clean");
        editor.addDevice(DeviceKind.LAPTOP, new Position(-2, -2));
        doc.autosaveTick();
        dialogs.confirmAnswers.add(false);
        assertFalse(new DocumentViewModel(new TopologyEditorViewModel(tasks), dialogs, tasks, recent, autosave)
                .offerRecovery());
        assertFalse(Files.exists(autosave.file()));
    }

    @Test
    void openingGarbageShowsAnErrorAndKeepsTheDocument() throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{ \"format\": ");
        doc.openFile(bad);
        assertEquals(1, dialogs.errors.size());
        assertTrue(dialogs.errors.get(0).contains("not valid JSON"), dialogs.errors.get(0));
        assertEquals("Untitled topology", editor.topology().name());
        Path notTopology = tmp.resolve("array.json");
        Files.writeString(notTopology, "[1,2]");
        doc.openFile(notTopology);
        assertEquals(2, dialogs.errors.size());
        assertNull(editor.file());
    }

    @Test
    void recentFilesAreNewestFirstDedupedAndBounded() throws Exception {
        for (int i = 0; i < 5; i++) {
            Path p = tmp.resolve("t" + i + ".json");
            Files.copy(fixture, p);
            doc.openFile(p);
        }
        doc.openFile(tmp.resolve("t3.json"));
        List<Path> l = doc.recentFiles();
        assertEquals(3, l.size());
        assertEquals(tmp.resolve("t3.json").toAbsolutePath(), l.get(0));
        assertEquals(tmp.resolve("t4.json").toAbsolutePath(), l.get(1));
    }
}
