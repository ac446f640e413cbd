package org.airshard.app.gui.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.airshard.app.gui.TestFixtures;
import org.airshard.app.gui.common.DirectTaskRunner;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.DeviceKind;
import org.airshard.planner.topology.Position;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.ValidationIssue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Editor behaviour without an FX thread: edits, selection, undo/redo, properties, validation, dirty state. */
class TopologyEditorViewModelTest {

    @TempDir
    Path tmp;

    TopologyEditorViewModel vm;
    Topology fixture;

    @BeforeEach
    void setUp() {
        vm = new TopologyEditorViewModel(new DirectTaskRunner());
        fixture = TestFixtures.topology(tmp);
        vm.load(fixture, tmp.resolve("fixture-lab.json"), null);
    }

    private Device device(String id) {
        return vm.topology().device(id).orElseThrow();
    }

    @Test
    void loadedDocumentIsCleanAndTitled() {
        assertFalse(vm.isDirty());
        assertEquals("Fixture lab (fixture-lab.json) \u2014 AirShard", vm.titleProperty().get());
        assertFalse(vm.canUndoProperty().get());
        assertFalse(vm.report().hasErrors(), vm.report().issues().toString());
    }

    @Test
    void addDeviceSnapsSelectsAndIsUndoable() {
        String id = vm.addDevice(DeviceKind.JETSON_TX2, new Position(2.26, -1.1));
        assertEquals("tx2-1", id);
        Device d = device(id);
        assertEquals(new Position(2.5, -1.0), d.position());
        assertEquals(DeviceKind.JETSON_TX2.defaultFlopsPerSecond(), d.flopsPerSecond());
        assertEquals(Selection.ofNode(id), vm.selection());
        assertTrue(vm.isDirty());
        assertTrue(vm.titleProperty().get().startsWith("\u2022 Fixture lab"));
        assertEquals("Add Jetson TX2", vm.undoLabelProperty().get());
        vm.undo();
        assertTrue(vm.topology().device(id).isEmpty());
        assertFalse(vm.isDirty(), "undoing back to the saved state is clean");
        assertEquals(Selection.EMPTY, vm.selection(), "selection of a removed node is pruned");
        vm.redo();
        assertTrue(vm.topology().device(id).isPresent());
        assertTrue(vm.isDirty());
    }

    @Test
    void addWithoutSnapKeepsExactPosition() {
        vm.snapToGridProperty().set(false);
        String id = vm.addDevice(DeviceKind.PHONE, new Position(1.23, 4.56));
        assertEquals(new Position(1.23, 4.56), device(id).position());
    }

    @Test
    void dragIsOneUndoStepAndMovesTheWholeSelection() {
        vm.select(Selection.ofNodes(Set.of("orin-1", "pi5-1")));
        Object drag = new Object();
        vm.dragSelectionTo("orin-1", new Position(4.4, -2.0), drag);
        vm.dragSelectionTo("orin-1", new Position(5.1, -1.0), drag);
        vm.dragSelectionTo("orin-1", new Position(6.0, 0.9), drag);
        assertEquals(new Position(6.0, 1.0), device("orin-1").position());
        assertEquals(new Position(-4.0, 6.0), device("pi5-1").position(), "moved by the same offset");
        assertEquals(new Position(24, 18), device("laptop-1").position());
        vm.undo();
        assertEquals(new Position(4, -2), device("orin-1").position());
        assertEquals(new Position(-6, 3), device("pi5-1").position());
        assertFalse(vm.canUndoProperty().get(), "the whole drag was one step");
    }

    @Test
    void serverCanBeMovedButNotDeleted() {
        vm.clickNode("ap", false);
        vm.moveSelection(1, 1, null);
        assertEquals(new Position(1, 1), vm.topology().server().position());
        vm.deleteSelection();
        assertEquals("ap", vm.topology().server().id());
        assertEquals("The edge server cannot be deleted", vm.statusProperty().get());
    }

    @Test
    void deleteRemovesDevicesAndTheirLinksAndUndoRestores() {
        vm.clickNode("pi5-1", false);
        vm.deleteSelection();
        assertTrue(vm.topology().device("pi5-1").isEmpty());
        assertTrue(vm.topology().links().isEmpty(), "the link to a deleted device goes too");
        vm.undo();
        assertEquals(fixture, vm.topology());
        assertFalse(vm.isDirty());
    }

    @Test
    void deleteSelectedLinkOnly() {
        vm.clickLink(new LinkKey("pi5-1", "orin-1"), false);
        vm.deleteSelection();
        assertTrue(vm.topology().links().isEmpty());
        assertEquals(3, vm.topology().devices().size());
    }

    @Test
    void rubberBandAndSelectAll() {
        vm.selectInRect(-7, -3, 5, 4, false);
        assertEquals(Set.of("ap", "orin-1", "pi5-1"), vm.selection().nodes());
        vm.selectInRect(20, 10, 30, 30, true);
        assertEquals(Set.of("ap", "orin-1", "pi5-1", "laptop-1"), vm.selection().nodes());
        vm.clearSelection();
        vm.selectAll();
        assertEquals(4, vm.selection().nodes().size());
        vm.clickNode("ap", true);
        assertEquals(3, vm.selection().nodes().size());
    }

    @Test
    void copyPasteMakesFreshIdsKeepsInternalLinksAndOffsets() {
        vm.select(Selection.ofNodes(Set.of("orin-1", "pi5-1")));
        vm.copySelection();
        assertTrue(vm.canPasteProperty().get());
        vm.paste();
        Topology t = vm.topology();
        assertEquals(5, t.devices().size());
        assertEquals(Set.of("orin-2", "pi5-2"), vm.selection().nodes());
        assertEquals(new Position(5, -1), t.device("orin-2").orElseThrow().position());
        assertTrue(t.link("orin-2", "pi5-2").isPresent(), "link among copied devices is copied");
        assertEquals(2, t.links().size());
        assertNotEquals(t.device("orin-1").get().agent(), t.device("orin-2").get().agent());
        assertFalse(vm.report().hasErrors(), vm.report().issues().toString());
        vm.paste();
        assertEquals(7, vm.topology().devices().size());
        assertEquals(new Position(6, 0), vm.topology().device("orin-3").orElseThrow().position());
    }

    @Test
    void cutThenPasteRestoresCount() {
        vm.clickNode("laptop-1", false);
        vm.cutSelection();
        assertEquals(2, vm.topology().devices().size());
        vm.paste();
        assertEquals(3, vm.topology().devices().size());
    }

    @Test
    void addLinkWithDefaultsAndEditItsRateAndLatency() {
        assertTrue(vm.addLink("laptop-1", "orin-1"));
        LinkKey k = new LinkKey("laptop-1", "orin-1");
        assertEquals(Selection.ofLink(k), vm.selection());
        assertFalse(vm.addLink("orin-1", "laptop-1"), "no duplicate link");
        assertEquals(Optional.empty(), vm.setProperty("rateBitsPerSecond", "300"));
        assertEquals(Optional.empty(), vm.setProperty("latencyS", "1.5"));
        var l = vm.topology().link("orin-1", "laptop-1").orElseThrow();
        assertEquals(3.0e8, l.rateBitsPerSecond(), 1e-3);
        assertEquals(1.5e-3, l.latencyS(), 1e-12);
        assertTrue(vm.setProperty("rateBitsPerSecond", "-1").isPresent());
        assertEquals("Rate must be more than 0 Mbit/s", vm.fieldErrors().get("rateBitsPerSecond"));
    }

    @Test
    void propertyEditsUseDisplayUnitsAndAreUndoable() {
        vm.clickNode("orin-1", false);
        PropertyRow mem = vm.propertyRows().stream().filter(r -> r.key().equals("memoryBytes")).findFirst().orElseThrow();
        assertEquals("GiB", mem.unit());
        assertEquals("8", mem.value());
        assertEquals(Optional.empty(), vm.setProperty("memoryBytes", "2,5"));
        assertEquals(2_684_354_560L, device("orin-1").memoryBytes());
        assertEquals(Optional.empty(), vm.setProperty("flopsPerSecond", "750"));
        assertEquals(7.5e11, device("orin-1").flopsPerSecond(), 1);
        assertEquals("Edit compute rate", vm.undoLabelProperty().get());
        vm.undo();
        vm.undo();
        assertEquals(fixture, vm.topology());
    }

    @Test
    void refusedValuesAreNotAppliedAndExplainWhy() {
        vm.clickNode("orin-1", false);
        assertEquals(Optional.of("'abc' is not a number"), vm.setProperty("antennas", "abc"));
        assertEquals(Optional.of("Antennas N_t must be a whole number"), vm.setProperty("antennas", "2.5"));
        assertTrue(vm.setProperty("antennas", "0").isPresent());
        assertTrue(vm.setProperty("agent", "nohost").isPresent());
        assertEquals(Optional.of("id 'pi5-1' is already used"), vm.setProperty("id", "pi5-1"));
        assertEquals(fixture, vm.topology());
        assertFalse(vm.isDirty());
        assertEquals(Optional.empty(), vm.setProperty("antennas", "4"));
        assertFalse(vm.fieldErrors().containsKey("antennas"), "a good value clears the message");
    }

    @Test
    void validatorFindingsShowInlineOnTheRowTheyName() {
        // L = min(N_r, min N_t) = 2; forcing 6 streams breaks zero-forcing on every device.
        vm.clearSelection();
        assertEquals(Optional.empty(), vm.setProperty("streams", "6"));
        assertTrue(vm.report().hasErrors());
        vm.clickNode("pi5-1", false);
        PropertyRow antennas = vm.propertyRows().stream().filter(r -> r.key().equals("antennas")).findFirst().orElseThrow();
        List<ValidationIssue> issues = vm.issuesFor(antennas);
        assertEquals(1, issues.size(), vm.report().issues().toString());
        assertTrue(issues.get(0).message().contains("zero-forcing is impossible"));
        // Giving the device enough antennas clears its finding.
        vm.setProperty("antennas", "6");
        assertTrue(vm.issuesFor(antennas).isEmpty());
    }

    @Test
    void renamingAnIdFollowsReferencesAndSelection() {
        vm.clickNode("pi5-1", false);
        assertEquals(Optional.empty(), vm.setProperty("id", "shelf-pi"));
        assertEquals(Selection.ofNode("shelf-pi"), vm.selection());
        assertTrue(vm.topology().link("orin-1", "shelf-pi").isPresent());
        assertFalse(vm.report().hasErrors());
    }

    @Test
    void problemClickSelectsTheOffendingItem() {
        vm.clickNode("laptop-1", false);
        vm.setProperty("id", "laptop-1");
        ValidationIssue dev = ValidationIssue.error("$.devices[2].antennas", "x", "laptop-1");
        vm.clearSelection();
        vm.selectIssue(dev);
        assertEquals(Selection.ofNode("laptop-1"), vm.selection());
        vm.selectIssue(ValidationIssue.warning("$.links[0]", "x", "orin-1"));
        assertEquals(Selection.ofLink(new LinkKey("orin-1", "pi5-1")), vm.selection());
        vm.selectIssue(ValidationIssue.error("$.server.antennas", "x", ""));
        assertEquals(Selection.ofNode("ap"), vm.selection());
        vm.selectIssue(ValidationIssue.error("$.model", "x", ""));
        assertEquals(Selection.EMPTY, vm.selection());
    }

    @Test
    void documentPropertiesEditModelAndChannel() {
        vm.clearSelection();
        assertEquals(Optional.empty(), vm.setProperty("name", "Renamed lab"));
        assertTrue(vm.titleProperty().get().contains("Renamed lab"));
        assertEquals(Optional.empty(), vm.setProperty("model.preset", "llama2-70b"));
        assertTrue(vm.report().hasErrors(), "LLaMA2-70B does not fit three small boards");
        assertTrue(vm.generalIssuesForTarget().stream().anyMatch(i -> i.path().equals("$.model"))
                || vm.propertyRows().stream().anyMatch(r -> !vm.issuesFor(r).isEmpty()));
        assertEquals(Optional.empty(), vm.setProperty("bandwidthHz", "40"));
        assertEquals(4e7, vm.topology().channel().bandwidthHz(), 1e-6);
        assertEquals(Optional.empty(), vm.setProperty("memoryHeadroomFraction", "25"));
        assertEquals(0.25, vm.topology().settings().memoryHeadroomFraction(), 1e-12);
        assertTrue(vm.setProperty("memoryHeadroomFraction", "100").isPresent());
    }

    @Test
    void markSavedMakesCleanButLaterEditsStayDirty() {
        vm.addDevice(DeviceKind.LAPTOP, new Position(1, 1));
        Topology written = vm.topology();
        vm.moveSelection(1, 0, null);
        vm.markSaved(written, tmp.resolve("x.json"));
        assertTrue(vm.isDirty(), "the move happened after the snapshot was written");
        vm.undo();
        assertFalse(vm.isDirty());
        assertNotNull(vm.file());
    }

    @Test
    void validationsCoalesceWhileOneIsRunning() {
        var queued = new org.airshard.app.gui.common.QueuedTaskRunner();
        TopologyEditorViewModel slow = new TopologyEditorViewModel(queued);
        queued.drain();
        slow.load(fixture, null, null);
        Object drag = new Object();
        slow.select(Selection.ofNode("orin-1"));
        for (int i = 1; i <= 30; i++) {
            slow.dragSelectionTo("orin-1", new Position(4 + i, -2), drag);
        }
        assertEquals(1, queued.pending(), "one validation in flight, the rest collapsed");
        slow.setProperty("antennas", "1"); // makes L = 1 ... still valid
        slow.clearSelection();
        slow.setProperty("streams", "2"); // now orin-1 (N_t = 1) breaks zero-forcing
        queued.drain();
        assertTrue(queued.submittedCount() <= 3, "submitted " + queued.submittedCount());
        assertTrue(slow.report().issues().stream().anyMatch(i -> i.path().equals("$.devices[0].antennas")),
                "the final report describes the final topology: " + slow.report().issues());
    }

    @Test
    void validationIsStaleSafe() {
        // Each edit validates; the report always belongs to the current topology.
        for (int i = 0; i < 5; i++) {
            vm.addDevice(DeviceKind.RASPBERRY_PI_4, new Position(i, i));
        }
        assertEquals(8, vm.topology().devices().size());
        assertFalse(vm.report().issues().stream().anyMatch(i -> i.message().contains("duplicate")));
    }
}
