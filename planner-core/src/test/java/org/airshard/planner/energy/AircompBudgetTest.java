package org.airshard.planner.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.TopologyFiles;
import org.junit.jupiter.api.Test;

class AircompBudgetTest {

    @Test
    void budgetFollowsItsDefinitionInJoulesAndProblemUnits() throws Exception {
        var l = TopologyFiles.load(Path.of("..", "sample-topologies", "aircomp-paper-4dev.json"));
        Device d = l.topology().devices().get(0);
        var m = l.model();
        double c = 4e-11 * 0.25 * m.parametersPerLayer();
        assertEquals(c, AircompBudget.computeEnergyJ(d, m, 0.25), 1e-15);
        // 512 channel uses × 0.1 W × 50 ns = 2.56 µJ, far below (0.02 − c)/2: the power cap binds.
        double cap = 512 * 0.1 * (1 / 20e6);
        assertEquals(cap, AircompBudget.radioAllowancePerAllReduceJ(l.topology(), d, m, 0.25), 1e-15);
        AircompBudget.Normalised n = AircompBudget.normalised(l.topology(), d, m, 0.25);
        // E_n in W·channel-uses: (L0/L)·P_tx, i.e. ‖B_n‖² ≤ P_tx exactly.
        assertEquals(512 * 0.1, n.radioAllowance(), 1e-9);
        assertEquals(c / 2 * 20e6, n.computeEnergy(), 1e-6);
    }

    @Test
    void computeBeyondTheBudgetLeavesANegativeAllowance() throws Exception {
        var l = TopologyFiles.load(Path.of("..", "sample-topologies", "aircomp-paper-4dev.json"));
        Device base = l.topology().devices().get(0);
        assertEquals(1.0, AircompBudget.maxFeasibleShare(base, l.model()), "0.02 J covers a whole layer at 4e-11 J/param");
        Device d = new Device(base.id(), base.name(), base.kind(), base.antennas(), base.flopsPerSecond(),
                base.memoryBytes(), base.memoryBandwidthBytesPerSecond(), base.energyBudgetJPerLayer(), 4e-10, base.maxTxPowerDbm(), base.position(), null);
        double max = AircompBudget.maxFeasibleShare(d, l.model());
        assertEquals(0.02 / (4e-10 * l.model().parametersPerLayer()), max, 1e-12);
        assertTrue(max < 1);
        assertTrue(AircompBudget.radioAllowancePerAllReduceJ(l.topology(), d, l.model(), max * 0.99) > 0);
        assertTrue(AircompBudget.radioAllowancePerAllReduceJ(l.topology(), d, l.model(), max * 1.01) < 0);
    }
}
