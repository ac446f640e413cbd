package org.airshard.app.gui.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.airshard.app.gui.TestFixtures;
import org.airshard.app.gui.common.DirectTaskRunner;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.planner.latency.AllReduceScheme;
import org.airshard.planner.optimize.MseEstimate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineComparisonTest {

    @TempDir
    Path tmp;

    @Test
    void barsAndRowsCoverEverySplitAndScheme() {
        DirectTaskRunner tasks = new DirectTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(TestFixtures.topology(tmp), null, null);
        OptimizerViewModel opt = new OptimizerViewModel(editor, tasks);
        opt.iterationsProperty().set(20);
        opt.run();
        OptimizerViewModel.Run run = opt.lastRunProperty().get();
        assertNotNull(run, opt.summaryProperty().get());

        var bars = BaselineComparison.mseBars(run.report());
        // SSCA rounded + continuous, 2 baselines, digital + uncoded FDMA
        assertEquals(2 + run.report().baselines().size() + 2, bars.size(), bars.toString());
        assertEquals(run.report().mseRounded(), bars.get(0).mse());
        assertTrue(bars.stream().anyMatch(b -> b.name().equals("equal \u00b7 AirComp")));
        assertTrue(bars.stream().anyMatch(b -> b.name().contains(AllReduceScheme.UNCODED_FDMA.displayName())));

        var rows = BaselineComparison.latencyRows(run);
        assertEquals(AllReduceScheme.values().length * BaselineComparison.splits(run.report()).size(), rows.size());
        AnalysisViewModel.Row ours = rows.get(0);
        assertEquals("SSCA \u00b7 " + AllReduceScheme.AIRCOMP.displayName(), ours.name());
        assertEquals(run.report().schemes().get(0).latency().perTokenS() * 1e3, ours.totalMs(), 1e-9);
        for (AnalysisViewModel.Row r : rows) {
            assertEquals(r.totalMs(), r.computeMs() + r.communicationMs() + r.broadcastMs() + r.serverMs(), r.totalMs() * 1e-6,
                    r.toString());
        }
    }

    @Test
    void logScaleOnlyWhenValuesSpanDecades() {
        var close = List.of(new BaselineComparison.MseBar("a", new MseEstimate(1e-3, 0, 1)),
                new BaselineComparison.MseBar("b", new MseEstimate(5e-3, 0, 1)), new BaselineComparison.MseBar("c", null));
        assertFalse(BaselineComparison.needsLogScale(close));
        var far = List.of(new BaselineComparison.MseBar("a", new MseEstimate(1e-6, 0, 1)),
                new BaselineComparison.MseBar("b", new MseEstimate(1e-2, 0, 1)));
        assertTrue(BaselineComparison.needsLogScale(far));
    }
}
