package org.airshard.app.gui.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.airshard.app.gui.TestFixtures;
import org.airshard.app.gui.common.DirectTaskRunner;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.planner.topology.DeviceKind;
import org.airshard.planner.topology.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisViewModelTest {

    @TempDir
    Path tmp;

    @Test
    void oneRowPerSchemePlusThePipelineWithConsistentBreakdown() {
        DirectTaskRunner tasks = new DirectTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(TestFixtures.topology(tmp), null, null);
        AnalysisViewModel vm = new AnalysisViewModel(editor, tasks);
        vm.run();
        var rows = vm.rowsProperty().get();
        assertEquals(4, rows.size(), rows.toString());
        for (AnalysisViewModel.Row r : rows) {
            assertTrue(r.totalMs() > 0 && r.tokensPerSecond() > 0, r.toString());
            if (r.name().startsWith("TP")) {
                assertEquals(r.totalMs(), r.computeMs() + r.communicationMs() + r.broadcastMs() + r.serverMs(),
                        1e-6 * r.totalMs() + 1e-9, "the bar's parts add up to the per-token latency: " + r);
            }
        }
        assertTrue(vm.summaryProperty().get().contains("lowest per-token latency"), vm.summaryProperty().get());
        editor.addDevice(DeviceKind.PHONE, new Position(2, 2));
        assertTrue(vm.staleProperty().get());
    }
}
