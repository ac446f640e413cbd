package org.airshard.app.gui.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.airshard.app.gui.TestFixtures;
import org.airshard.app.gui.common.DirectTaskRunner;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.executor.board.RunListener;
import org.airshard.planner.plan.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Measured vs predicted latency per token per board, from run spans and the plan's latency model. */
class LatencyComparisonTest {

    @TempDir
    Path tmp;

    @Test
    void measuredFromSpansPredictedFromThePlanMatchedByAddress() {
        TopologyEditorViewModel editor = new TopologyEditorViewModel(new DirectTaskRunner());
        editor.load(TestFixtures.topology(tmp), null, null);
        editor.setProperty("model.preset", "llama3-8b");
        Plan plan = RunViewModel.partition(editor.topology(), editor.modelProperty().get());
        assertTrue(plan != null && plan.predicted() != null && plan.pipeline().stages().size() >= 2);
        Plan.Stage first = plan.pipeline().stages().get(0);
        Plan.Stage second = plan.pipeline().stages().get(1);

        TimelineModel tl = new TimelineModel(8); // lanes keep 8 spans; the statistics keep every one
        tl.process(RunListener.COORDINATOR, "coordinator (starter)");
        tl.process(2, "board b1 (127.0.0.1:17410): layers 0-15");
        tl.process(3, "board " + second.device() + " (127.0.0.1:17420): layers 16-31");
        for (int i = 0; i < 20; i++) {
            tl.span(RunListener.COORDINATOR, RunListener.TID_COMPUTE, "embed", i * 100, 5, Map.of());
            tl.span(2, RunListener.TID_COMM, "stage round trip", i * 100L, 30, Map.of());
            tl.span(2, RunListener.TID_COMPUTE, "stage", i * 100L + 5, 10 + (i % 2) * 10, Map.of()); // 10 or 20 µs
            tl.span(3, RunListener.TID_COMM, "stage round trip", i * 100L + 40, 50, Map.of());
            tl.span(3, RunListener.TID_COMPUTE, "stage", i * 100L + 45, 40, Map.of());
        }
        // b1 runs the plan's first device (matched by its address), the other by name
        List<LatencyComparison.Row> rows = LatencyComparison.rows(tl.boardLatencies(), plan,
                Map.of("127.0.0.1:17410", first.device()));
        assertEquals(2, rows.size(), rows.toString());
        LatencyComparison.Row a = rows.get(0);
        assertEquals(first.device(), a.board());
        assertEquals(20, a.tokens(), "every span counts, not only those the lanes keep");
        assertEquals(0.015, a.measuredComputeMs(), 1e-12);
        assertEquals(0.030 - 0.015, a.measuredNetworkMs(), 1e-12);
        assertEquals(0.020, a.lastComputeMs(), 1e-12);
        Plan.DevicePrediction p0 = plan.predicted().perDevice().stream().filter(d -> d.device().equals(first.device()))
                .findFirst().orElseThrow();
        assertEquals(p0.computeMs(), a.predictedComputeMs(), 1e-12);
        assertEquals(p0.hopMs(), a.predictedHopMs(), 1e-12);
        assertEquals(a.measuredComputeMs() / p0.computeMs(), a.computeRatio(), 1e-12);
        assertTrue(a.layers().startsWith("L" + first.layerStart()), a.layers());
        LatencyComparison.Row b = rows.get(1);
        assertEquals(second.device(), b.board());
        assertEquals(0.040, b.measuredComputeMs(), 1e-12);
        assertEquals(0.010, b.measuredNetworkMs(), 1e-12);
        assertTrue(b.predictedComputeMs() > 0);

        // without a plan: measured only
        var bare = LatencyComparison.rows(tl.boardLatencies(), null, Map.of());
        assertEquals("b1", bare.get(0).board());
        assertTrue(Double.isNaN(bare.get(0).predictedComputeMs()) && Double.isNaN(bare.get(0).computeRatio()));
        tl.clear();
        assertTrue(tl.boardLatencies().isEmpty());
    }
}
