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
import org.airshard.planner.topology.DeviceKind;
import org.airshard.planner.topology.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizerViewModelTest {

    @TempDir
    Path tmp;

    @Test
    void runsSscaPublishesConvergenceAndShares() {
        DirectTaskRunner tasks = new DirectTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(TestFixtures.topology(tmp), null, null);
        OptimizerViewModel vm = new OptimizerViewModel(editor, tasks);
        vm.iterationsProperty().set(40);
        vm.run();
        assertFalse(vm.runningProperty().get());
        assertNotNull(vm.resultProperty().get(), vm.summaryProperty().get());
        var conv = vm.convergenceProperty().get();
        assertFalse(conv.isEmpty());
        assertTrue(conv.size() <= 40);
        for (int i = 1; i < conv.size(); i++) {
            assertTrue(conv.get(i).iteration() > conv.get(i - 1).iteration(), "iterations in order");
        }
        var shares = vm.sharesProperty().get();
        assertEquals(3, shares.size(), vm.summaryProperty().get());
        assertEquals(1.0, shares.stream().mapToDouble(OptimizerViewModel.Share::continuous).sum(), 1e-6);
        assertEquals(1.0, shares.stream().mapToDouble(OptimizerViewModel.Share::rounded).sum(), 1e-6);
        assertTrue(vm.summaryProperty().get().contains("E[MSE]"), vm.summaryProperty().get());
        assertEquals(1.0, vm.progressProperty().get(), 1e-12);
        editor.addDevice(DeviceKind.PHONE, new Position(1, 1));
        assertTrue(vm.staleProperty().get());
    }

    @Test
    void cancelStopsTheSolverWithItsBestSoFar() {
        QueuedTaskRunner tasks = new QueuedTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(TestFixtures.topology(tmp), null, null);
        tasks.drain();
        OptimizerViewModel vm = new OptimizerViewModel(editor, tasks);
        vm.iterationsProperty().set(5000);
        vm.run();
        assertTrue(vm.runningProperty().get());
        vm.cancel(); // before it even starts: the solver stops at its first check
        long t0 = System.nanoTime();
        tasks.drain();
        assertTrue((System.nanoTime() - t0) / 1e9 < 60, "cancel is honoured promptly");
        assertFalse(vm.runningProperty().get());
        assertTrue(vm.convergenceProperty().get().size() < 5000);
    }
}
