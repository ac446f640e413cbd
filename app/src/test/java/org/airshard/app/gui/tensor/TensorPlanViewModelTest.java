package org.airshard.app.gui.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.airshard.app.gui.TestFixtures;
import org.airshard.app.gui.common.DirectTaskRunner;
import org.airshard.app.gui.plan.OptimizerViewModel;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.planner.latency.MemoryModel;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorPlanViewModelTest {

    @TempDir
    Path tmp;

    private OptimizerViewModel.Run run;
    private final DirectTaskRunner tasks = new DirectTaskRunner();

    @BeforeEach
    void optimise() {
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(TestFixtures.topology(tmp), null, null);
        OptimizerViewModel opt = new OptimizerViewModel(editor, tasks);
        opt.iterationsProperty().set(30);
        opt.run();
        run = opt.lastRunProperty().get();
        assertNotNull(run, opt.summaryProperty().get());
    }

    private static int sumGroups(List<TensorPlanViewModel.Row> rows) {
        return rows.stream().mapToInt(TensorPlanViewModel.Row::kvGroups).sum();
    }

    @Test
    void loadsTheOptimisersRoundedSharesLegalWithPredictions() {
        TensorPlanViewModel vm = new TensorPlanViewModel(tasks);
        vm.load(run);
        assertEquals(3, vm.rowsProperty().get().size());
        assertTrue(vm.rowsProperty().get().stream().noneMatch(TensorPlanViewModel.Row::broken), vm.summaryProperty().get());
        assertNotNull(vm.planProperty().get().predicted());
        assertTrue(vm.summaryProperty().get().contains("tokens/s"), vm.summaryProperty().get());
        assertFalse(vm.editedProperty().get());
        assertFalse(vm.canUndoProperty().get());
        assertEquals(run.report().mseRounded(), vm.liveMseProperty().get());
        assertEquals(3, vm.deviceTagsProperty().get().size());
    }

    @Test
    void changingAShareRescalesTheOthersKeepsSumsLegalAndUpdatesPredictionLive() {
        TensorPlanViewModel vm = new TensorPlanViewModel(tasks);
        vm.load(run);
        double before = vm.planProperty().get().predicted().msPerToken();
        int groups = sumGroups(vm.rowsProperty().get());
        String id = vm.rowsProperty().get().get(0).deviceId();
        vm.setShare(id, 0.6);
        var rows = vm.rowsProperty().get();
        assertEquals(0.6, rows.get(0).share(), 1e-12);
        assertEquals(1.0, rows.stream().mapToDouble(TensorPlanViewModel.Row::share).sum(), 1e-9);
        assertEquals(groups, sumGroups(rows));
        assertTrue(vm.issuesProperty().get().stream().noneMatch(i -> i.isError()), vm.issuesProperty().get().toString());
        assertNotNull(vm.planProperty().get().predicted());
        assertTrue(Math.abs(vm.planProperty().get().predicted().msPerToken() - before) > 0, "prediction changed");
        assertNotNull(vm.liveMseProperty().get(), "E[MSE] re-evaluated for the new shares");
        assertEquals(TensorPlanViewModel.LIVE_MSE_SAMPLES, vm.liveMseProperty().get().samples());
        assertTrue(vm.editedProperty().get());
        assertTrue(vm.canUndoProperty().get());
    }

    @Test
    void kvGroupEditBreakingTheSumIsReportedNotRefusedAndUndoRestores() {
        TensorPlanViewModel vm = new TensorPlanViewModel(tasks);
        vm.load(run);
        var row = vm.rowsProperty().get().get(1);
        vm.setKvGroups(row.deviceId(), row.kvGroups() + 1);
        assertEquals(row.kvGroups() + 1, vm.rowsProperty().get().get(1).kvGroups());
        assertTrue(vm.issuesProperty().get().stream().anyMatch(i -> i.isError() && i.message().contains("KV groups must add up")),
                vm.issuesProperty().get().toString());
        assertNull(vm.planProperty().get().predicted(), "no prediction for an illegal plan");
        assertTrue(vm.summaryProperty().get().startsWith("Edited plan breaks"), vm.summaryProperty().get());
        vm.undo();
        assertEquals(row.kvGroups(), vm.rowsProperty().get().get(1).kvGroups());
        assertTrue(vm.issuesProperty().get().stream().noneMatch(i -> i.isError()));
        assertFalse(vm.canUndoProperty().get());
        assertTrue(vm.canRedoProperty().get());
        vm.redo();
        assertEquals(row.kvGroups() + 1, vm.rowsProperty().get().get(1).kvGroups());
        vm.resetEdits();
        assertFalse(vm.editedProperty().get());
        assertEquals(row.kvGroups(), vm.rowsProperty().get().get(1).kvGroups());
    }

    @Test
    void memoryBreakIsShownOnTheOffendingBoardWithTheRule() {
        // pi5-1 gets just enough memory for its optimised share, then is asked to hold 90% of every layer.
        Topology t = run.topology();
        int k = 1;
        Device d = t.devices().get(k);
        double held = run.report().rounded().roundedShares()[k];
        double need = MemoryModel.tensorParallelBytes(run.model(), Math.max(held, 0.05), t.settings().sequences());
        long memory = (long) (need * 1.5 / (1 - t.settings().memoryHeadroomFraction()));
        List<Device> ds = new ArrayList<>(t.devices());
        ds.set(k, d.withMemoryBytes(memory));
        Topology small = t.withDevices(ds);
        TensorPlanViewModel vm = new TensorPlanViewModel(tasks);
        vm.load(new OptimizerViewModel.Run(small, run.model(), run.options(), run.report()));
        assertFalse(vm.rowsProperty().get().get(k).broken(), vm.rowsProperty().get().get(k).errors().toString());
        vm.setShare(d.id(), 0.9);
        TensorPlanViewModel.Row r = vm.rowsProperty().get().get(k);
        assertTrue(r.broken(), "board marked");
        assertTrue(r.errors().get(0).startsWith("memory: board '" + d.id() + "'"), r.errors().toString());
        assertEquals("\u2716 memory", vm.deviceTagsProperty().get().get(d.id()));
        assertFalse(vm.rowsProperty().get().get(0).broken());
        assertNull(vm.liveMseProperty().get());
    }

    @Test
    void ruleNames() {
        assertEquals("memory", TensorPlanViewModel.ruleOf("memory: board 'x' needs 1 GiB"));
        assertEquals("energy", TensorPlanViewModel.ruleOf("energy: board 'x' would spend"));
        assertEquals("antennas", TensorPlanViewModel.ruleOf("board 'x': L = 4 streams need N_t ≥ L, it has 2"));
    }

    @Test
    void savesALegalEditedPlanAndRefusesAnIllegalOne() throws Exception {
        TensorPlanViewModel vm = new TensorPlanViewModel(tasks);
        vm.load(run);
        String id = vm.rowsProperty().get().get(0).deviceId();
        vm.setShare(id, 0.5);
        assertTrue(vm.canSave());
        Path target = tmp.resolve("edited.json");
        Path[] saved = new Path[1];
        vm.savePlan(new Dialogs(target), null, p -> saved[0] = p);
        assertEquals(target, saved[0]);
        var read = org.airshard.planner.plan.PlanFiles.read(target);
        assertEquals(org.airshard.planner.plan.Plan.Mode.TENSOR, read.mode());
        assertEquals(0.5, read.tensor().shares().get(0).share(), 1e-12);
        var check = org.airshard.planner.plan.PlanValidator.check(read, run.topology(), run.model());
        assertFalse(check.report().hasErrors(), check.report().issues().toString());

        var row = vm.rowsProperty().get().get(1);
        vm.setKvGroups(row.deviceId(), row.kvGroups() + 1);
        assertFalse(vm.canSave());
        saved[0] = null;
        vm.savePlan(new Dialogs(tmp.resolve("bad.json")), null, p -> saved[0] = p);
        assertNull(saved[0]);
        assertFalse(java.nio.file.Files.exists(tmp.resolve("bad.json")));
    }

    private record Dialogs(Path answer) implements org.airshard.app.gui.common.Dialogs {
        @Override
        public java.util.Optional<Path> chooseOpenFile(Path initialDir) {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<Path> chooseSaveFile(Path initialDir, String suggestedFileName) {
            return java.util.Optional.of(answer);
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
    }
}
