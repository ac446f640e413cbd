package org.airshard.app.gui.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.airshard.app.gui.TestFixtures;
import org.airshard.app.gui.common.DirectTaskRunner;
import org.airshard.app.gui.plan.OptimizerViewModel;
import org.airshard.app.gui.topology.TopologyEditorViewModel;
import org.airshard.planner.energy.AircompBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeamformerViewModelTest {

    @TempDir
    Path tmp;

    @Test
    void solvesARealisationShowsMagnitudesAndEnergyWithinBudget() {
        DirectTaskRunner tasks = new DirectTaskRunner();
        TopologyEditorViewModel editor = new TopologyEditorViewModel(tasks);
        editor.load(TestFixtures.topology(tmp), null, null);
        OptimizerViewModel opt = new OptimizerViewModel(editor, tasks);
        opt.iterationsProperty().set(20);
        opt.run();
        OptimizerViewModel.Run run = opt.lastRunProperty().get();
        assertNotNull(run);

        BeamformerViewModel vm = new BeamformerViewModel(tasks);
        vm.load(run);
        var before = vm.energyProperty().get();
        assertEquals(3, before.size());
        assertTrue(Double.isNaN(before.get(0).radioJ()), "radio unknown before a solve");
        var d0 = run.topology().devices().get(0);
        assertEquals(AircompBudget.computeEnergyJ(d0, run.model(), run.report().rounded().roundedShares()[0]),
                before.get(0).computeJ(), 1e-15);
        assertEquals(d0.energyBudgetJPerLayer(), before.get(0).budgetJ(), 0);

        vm.realisationProperty().set(2);
        vm.solve();
        assertFalse(vm.runningProperty().get());
        BeamformerViewModel.Beams b = vm.beamsProperty().get();
        assertNotNull(b, vm.summaryProperty().get());
        int nr = run.topology().server().antennas();
        int l = run.topology().effectiveStreams();
        assertEquals(nr, b.a().mag().length);
        assertEquals(l, b.a().mag()[0].length);
        assertEquals(3, b.b().size());
        assertEquals(run.topology().devices().get(1).antennas(), b.b().get(1).mag().length);
        assertTrue(b.a().max() > 0);
        assertTrue(b.mse() > 0 && b.alpha() > 0);
        assertTrue(vm.summaryProperty().get().startsWith("Realisation 3"), vm.summaryProperty().get());
        for (BeamformerViewModel.EnergyRow r : vm.energyProperty().get()) {
            assertFalse(Double.isNaN(r.radioJ()));
            assertTrue(r.radioJ() <= r.allowanceJ() * (1 + 1e-6), r.toString());
            assertTrue(r.withinBudget(), r.toString());
        }

        vm.setShares(new double[] {0.5, 0.5});
        assertNotNull(vm.beamsProperty().get(), "shares for another topology are ignored");
        vm.setShares(run.report().baselines().get(0).shares());
        assertNull(vm.beamsProperty().get(), "new shares clear the solve");
        vm.load(null);
        assertTrue(vm.energyProperty().get().isEmpty());
    }

    @Test
    void magnitudesAreModuli() {
        org.ejml.data.ZMatrixRMaj z = new org.ejml.data.ZMatrixRMaj(1, 2);
        z.set(0, 0, 3, 4);
        z.set(0, 1, 0, -2);
        var m = BeamformerViewModel.magnitudes("z", z);
        assertEquals(5, m.mag()[0][0], 1e-12);
        assertEquals(2, m.mag()[0][1], 1e-12);
        assertEquals(5, m.max(), 1e-12);
    }
}
