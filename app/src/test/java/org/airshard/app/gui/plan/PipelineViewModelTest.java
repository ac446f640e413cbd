package org.airshard.app.gui.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.airshard.app.gui.TestFixtures;
import org.airshard.app.gui.common.DirectTaskRunner;
import org.airshard.app.gui.common.QueuedTaskRunner;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.planner.solver.SolverStatus;
import org.airshard.planner.topology.DeviceKind;
import org.airshard.planner.topology.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineViewModelTest {

    @TempDir
    Path tmp;

    @Test
    void planCoversEveryLayerOnceAndGoesStaleOnEdit() {
        DirectTaskRunner tasks = new DirectTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(TestFixtures.topology(tmp), null, null);
        PipelineViewModel vm = new PipelineViewModel(editor, tasks);
        vm.run();
        assertFalse(vm.runningProperty().get());
        assertNotNull(vm.resultProperty().get());
        assertEquals(SolverStatus.OPTIMAL, vm.resultProperty().get().status());
        var members = vm.membersProperty().get();
        assertFalse(members.isEmpty());
        int next = 0;
        for (PipelineViewModel.Member m : members) {
            assertEquals(next, m.firstLayer(), "contiguous ranges in ring order");
            next = m.lastLayerExclusive();
            assertTrue(vm.rangesByDeviceProperty().get().get(m.deviceId()).contains(m.rangeLabel()));
        }
        assertEquals(editor.modelProperty().get().layers(), next, "every layer exactly once");
        assertTrue(vm.summaryProperty().get().contains("tokens/s"), vm.summaryProperty().get());
        assertFalse(vm.staleProperty().get());
        editor.addDevice(DeviceKind.PHONE, new Position(1, 1));
        assertTrue(vm.staleProperty().get());
        editor.load(TestFixtures.topology(tmp), null, null);
        assertEquals(null, vm.resultProperty().get(), "a new document clears the plan");
    }

    @Test
    void savesThePlanAsAPlanFile() throws Exception {
        DirectTaskRunner tasks = new DirectTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(TestFixtures.topology(tmp), null, null);
        PipelineViewModel vm = new PipelineViewModel(editor, tasks);
        assertFalse(vm.canSavePlan());
        vm.run();
        Path target = tmp.resolve("plan.json");
        vm.savePlan(new org.airshard.app.gui.common.Dialogs() {
            @Override
            public java.util.Optional<Path> chooseOpenFile(Path initialDir) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<Path> chooseSaveFile(Path initialDir, String suggested) {
                assertEquals("plan.json", suggested);
                return java.util.Optional.of(target);
            }

            @Override
            public SaveChoice askSaveChanges(String documentName) {
                return SaveChoice.CANCEL;
            }

            @Override
            public boolean confirm(String title, String message) {
                return false;
            }

            @Override
            public void showError(String title, String message) {
                throw new AssertionError(title + ": " + message);
            }
        });
        var plan = org.airshard.planner.plan.PlanFiles.read(target);
        assertNotNull(plan);
        assertTrue(java.nio.file.Files.readString(target).contains("orin-1"));
    }

    @Test
    void handEditsAreRecheckedAndBrokenRulesNameTheBoard() {
        DirectTaskRunner tasks = new DirectTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(TestFixtures.topology(tmp), null, null);
        editor.setProperty("model.preset", "llama3-8b"); // 15 GiB: no single board holds it
        assertFalse(editor.report().hasErrors(), editor.report().issues().toString());
        PipelineViewModel vm = new PipelineViewModel(editor, tasks);
        vm.run();
        var members = vm.membersProperty().get();
        assertTrue(members.size() >= 2, vm.summaryProperty().get());
        int firstBefore = members.get(0).layers();

        vm.changeLayers(1, -1);
        assertTrue(vm.editedProperty().get());
        assertEquals(firstBefore - 1, vm.membersProperty().get().get(0).layers());
        assertEquals(32, vm.membersProperty().get().stream().mapToInt(PipelineViewModel.Member::layers).sum());

        // push every layer of the second board onto the first: some rule breaks, on a named board
        vm.changeLayers(1, 40);
        var errors = vm.planIssuesProperty().get().stream().filter(i -> i.isError()).toList();
        assertFalse(errors.isEmpty(), vm.summaryProperty().get());
        assertTrue(errors.stream().anyMatch(i -> !i.subjectId().isEmpty()), errors.toString());
        assertTrue(vm.rangesByDeviceProperty().get().values().stream().anyMatch(v -> v.startsWith("\u2716")),
                vm.rangesByDeviceProperty().get().toString());
        assertTrue(vm.summaryProperty().get().startsWith("Edited plan breaks"), vm.summaryProperty().get());

        vm.resetEdits();
        assertFalse(vm.editedProperty().get());
        assertTrue(vm.planIssuesProperty().get().isEmpty());
        assertEquals(firstBefore, vm.membersProperty().get().get(0).layers());
    }

    @Test
    void refusesToRunOnAnInvalidTopology() {
        DirectTaskRunner tasks = new DirectTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(TestFixtures.topology(tmp), null, null);
        editor.setProperty("model.preset", "llama2-70b"); // does not fit
        PipelineViewModel vm = new PipelineViewModel(editor, tasks);
        vm.run();
        assertEquals(0, tasks.submittedCount() - countValidations(tasks), "nothing submitted for the partitioner");
        assertTrue(vm.summaryProperty().get().startsWith("Fix the topology's errors"));
    }

    private static int countValidations(DirectTaskRunner t) {
        return t.submittedCount();
    }

    @Test
    void runsInTheBackgroundAndCanBeCancelled() {
        QueuedTaskRunner tasks = new QueuedTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(TestFixtures.topology(tmp), null, null);
        tasks.drain();
        PipelineViewModel vm = new PipelineViewModel(editor, tasks);
        vm.run();
        assertTrue(vm.runningProperty().get(), "work is queued, not done on the caller's thread");
        vm.cancel();
        tasks.drain();
        assertFalse(vm.runningProperty().get());
        assertNotNull(vm.resultProperty().get());
        assertTrue(vm.resultProperty().get().status() == SolverStatus.CANCELLED
                || vm.resultProperty().get().status() == SolverStatus.OPTIMAL);
    }

    @Test
    void curvesMemoryBarsAndUndoableEdits() {
        DirectTaskRunner tasks = new DirectTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(TestFixtures.topology(tmp), null, null);
        editor.setProperty("model.preset", "llama3-8b");
        PipelineViewModel vm = new PipelineViewModel(editor, tasks);
        vm.run();
        var r = vm.resultProperty().get();
        var curves = vm.curvesProperty().get();
        assertEquals(1 + r.baselines().size(), curves.size(), curves.toString());
        var ours = curves.get(0);
        assertEquals("AirShard ring", ours.name());
        assertEquals(1.0, ours.points().get(0)[0]);
        assertEquals(r.best().tokensPerSecond(1), ours.points().get(0)[1], 1e-12);
        for (int i = 1; i < ours.points().size(); i++) {
            assertTrue(ours.points().get(i)[1] >= ours.points().get(i - 1)[1] - 1e-12, "tokens/s grows with S");
        }
        var mem = vm.memoryProperty().get();
        assertEquals(vm.membersProperty().get().size(), mem.size());
        assertTrue(mem.stream().allMatch(PipelineViewModel.MemoryBar::fits), mem.toString());
        assertFalse(vm.canUndoProperty().get());

        int first = vm.membersProperty().get().get(0).layers();
        vm.changeLayers(1, -1); // the ring is tight: the next board now runs out of memory
        assertTrue(vm.canUndoProperty().get());
        assertTrue(vm.memoryProperty().get().stream().anyMatch(b -> !b.fits()), vm.memoryProperty().get().toString());
        assertTrue(vm.curvesProperty().get().stream().noneMatch(c -> c.name().equals("edited plan")), "no curve for an illegal plan");
        vm.undo();
        assertEquals(first, vm.membersProperty().get().get(0).layers());
        assertTrue(vm.planIssuesProperty().get().stream().noneMatch(i -> i.isError()));
        assertFalse(vm.editedProperty().get());
        assertFalse(vm.canUndoProperty().get());
        vm.redo();
        assertEquals(first - 1, vm.membersProperty().get().get(0).layers());
        assertTrue(vm.editedProperty().get());
        vm.resetEdits();
        assertFalse(vm.editedProperty().get());
        assertTrue(vm.canUndoProperty().get(), "reset is undoable");
    }

    @Test
    void aLegalEditAddsItsOwnTokensPerSecondCurve() {
        DirectTaskRunner tasks = new DirectTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(TestFixtures.topology(tmp), null, null);
        PipelineViewModel vm = new PipelineViewModel(editor, tasks);
        boolean found = false;
        for (String preset : new String[] {"llama3.2-3b", "llama2-7b", "tinyllama-1.1b", "llama3-8b"}) {
            editor.setProperty("model.preset", preset);
            vm.run();
            if (vm.membersProperty().get().size() < 2) {
                continue;
            }
            for (int delta : new int[] {-1, 1}) {
                vm.changeLayers(1, delta);
                if (vm.planIssuesProperty().get().stream().noneMatch(i -> i.isError())) {
                    assertEquals("edited plan", vm.curvesProperty().get().get(0).name());
                    assertEquals(vm.planProperty().get().predicted().tokensPerSecond(),
                            vm.curvesProperty().get().get(0).points().get(vm.planProperty().get().pipeline().sequences() - 1)[1], 1e-9);
                    found = true;
                    break;
                }
                vm.undo();
            }
            if (found) {
                break;
            }
        }
        assertTrue(found, "some preset gives a ring with a legal one-layer edit");
    }

    @Test
    void draggingABoundarySnapsClampsRechecksAndIsOneUndoStep() {
        DirectTaskRunner tasks = new DirectTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(TestFixtures.topology(tmp), null, null);
        editor.setProperty("model.preset", "llama3-8b");
        PipelineViewModel vm = new PipelineViewModel(editor, tasks);
        assertFalse(vm.beginBoundaryDrag(0), "no plan, nothing to drag");
        vm.run();
        var before = vm.membersProperty().get();
        assertTrue(before.size() >= 2, vm.summaryProperty().get());
        int layers = vm.planProperty().get().layers();
        int b0 = vm.boundaryLayer(0);
        assertEquals(before.get(0).lastLayerExclusive(), b0);
        assertEquals(before.size() - 1, vm.boundaryCount());

        assertTrue(vm.beginBoundaryDrag(0));
        assertTrue(vm.dragging());
        assertEquals(b0, vm.dragBoundaryTo(b0 + 0.4), "less than half a layer: no move");
        assertFalse(vm.editedProperty().get());
        assertEquals(b0 - 3, vm.dragBoundaryTo(b0 - 2.6), "snapped to the nearest whole layer");
        assertEquals(b0 - 3, vm.membersProperty().get().get(0).lastLayerExclusive());
        assertEquals(b0 - 3, vm.membersProperty().get().get(1).firstLayer());
        assertEquals(layers, vm.membersProperty().get().stream().mapToInt(PipelineViewModel.Member::layers).sum());
        assertTrue(vm.editedProperty().get());
        assertFalse(vm.canUndoProperty().get(), "no undo step until the drag ends");
        // the starter may give away every layer (it still runs embedding and head); the next board keeps one
        assertEquals(0, vm.dragBoundaryTo(-50));
        assertEquals(0, vm.membersProperty().get().get(0).layers());
        int rightEnd = before.get(1).lastLayerExclusive();
        assertEquals(rightEnd - 1, vm.dragBoundaryTo(1e6), "clamped: the secondary keeps >= 1 layer");
        assertEquals(1, vm.membersProperty().get().get(1).layers());
        // re-checked live: pushing nearly everything onto the first board breaks a rule on a named board
        assertFalse(vm.boardProblemsProperty().get().isEmpty(), vm.planIssuesProperty().get().toString());
        String board = vm.boardProblemsProperty().get().keySet().iterator().next();
        assertTrue(before.stream().anyMatch(m -> m.deviceId().equals(board)));
        assertTrue(vm.boardProblemsProperty().get().get(board).contains(board), vm.boardProblemsProperty().get().toString());
        assertTrue(vm.rangesByDeviceProperty().get().get(board).startsWith("\u2716"));
        vm.dragBoundaryTo(b0 - 1);
        assertTrue(vm.boardProblemsProperty().get().isEmpty() || vm.planIssuesProperty().get().stream().anyMatch(i -> i.isError()),
                "problems follow the current plan");
        vm.endBoundaryDrag();
        assertFalse(vm.dragging());
        assertTrue(vm.canUndoProperty().get());
        assertEquals(b0 - 1, vm.boundaryLayer(0));

        vm.undo(); // one step for the whole drag
        assertEquals(b0, vm.boundaryLayer(0));
        assertFalse(vm.canUndoProperty().get(), "the whole drag was one undo step");
        assertFalse(vm.editedProperty().get());
        assertTrue(vm.boardProblemsProperty().get().isEmpty());
        vm.redo();
        assertEquals(b0 - 1, vm.boundaryLayer(0));
        vm.undo();

        // a drag that ends where it started leaves no step; Esc (cancel) puts the boundary back
        vm.beginBoundaryDrag(0);
        vm.dragBoundaryTo(b0 - 2);
        vm.dragBoundaryTo(b0);
        vm.endBoundaryDrag();
        assertFalse(vm.canUndoProperty().get());
        vm.beginBoundaryDrag(0);
        vm.dragBoundaryTo(b0 - 2);
        vm.cancelBoundaryDrag();
        assertEquals(b0, vm.boundaryLayer(0));
        assertFalse(vm.canUndoProperty().get());
        assertFalse(vm.editedProperty().get());

        if (vm.boundaryCount() >= 2) { // between two secondaries, both keep >= 1 layer
            var m = vm.membersProperty().get();
            vm.beginBoundaryDrag(1);
            assertEquals(m.get(1).firstLayer() + 1, vm.dragBoundaryTo(-10));
            assertEquals(m.get(2).lastLayerExclusive() - 1, vm.dragBoundaryTo(1e6));
            vm.endBoundaryDrag();
            assertTrue(vm.membersProperty().get().stream().skip(1).allMatch(x -> x.layers() >= 1));
        }
    }
}
