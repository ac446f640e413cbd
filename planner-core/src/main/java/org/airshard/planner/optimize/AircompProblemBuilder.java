package org.airshard.planner.optimize;

import java.util.ArrayList;
import java.util.List;
import org.airshard.planner.aircomp.AircompDevice;
import org.airshard.planner.aircomp.AircompProblem;
import org.airshard.planner.channel.ChannelRealization;
import org.airshard.planner.energy.AircompBudget;
import org.airshard.planner.io.InputException;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;

/**
 * Builds the short-term problem P_s (aircomp.md §4) for shares m and one channel realisation, in the
 * normalised units of {@code solve-aircomp} (docs/model.md §AirComp budget): σ² in W, budgets in
 * W × channel uses, L0 = ⌈d/2⌉ symbols per all-reduce, L the topology's streams.
 */
public final class AircompProblemBuilder {

    private final Topology topology;
    private final ModelSpec model;

    public AircompProblemBuilder(Topology topology, ModelSpec model) {
        this.topology = topology;
        this.model = model;
    }

    /** E_n(m_n), the radio allowance in problem units (may be ≤ 0 when m_n is infeasible). */
    public double allowance(int n, double share) {
        return AircompBudget.normalised(topology, topology.devices().get(n), model, share).radioAllowance();
    }

    /**
     * dE_n/dm_n: −e_n s_tot B / 2 where the energy budget binds, 0 where the transmit-power cap binds.
     */
    public double allowanceSlope(int n, double share) {
        Device d = topology.devices().get(n);
        double fromBudget = (d.energyBudgetJPerLayer() - AircompBudget.computeEnergyJ(d, model, share)) / 2;
        double fromCap = channelUsesPerAllReduce() * d.maxTxPowerW() * topology.channel().symbolTimeS();
        return fromBudget <= fromCap ? -d.energyPerParameterJ() * model.parametersPerLayer() * topology.channel().bandwidthHz() / 2 : 0;
    }

    /** L0 / L. */
    public double channelUsesPerAllReduce() {
        return (double) model.allReduceSymbolsPerToken() / topology.effectiveStreams();
    }

    public double noisePowerW() {
        return topology.server().noisePowerW();
    }

    public int streams() {
        return topology.effectiveStreams();
    }

    /** P_s for shares m on realisation h. */
    public AircompProblem build(double[] m, ChannelRealization h) throws InputException {
        List<AircompDevice> ds = new ArrayList<>();
        for (int n = 0; n < m.length; n++) {
            Device d = topology.devices().get(n);
            AircompBudget.Normalised b = AircompBudget.normalised(topology, d, model, m[n]);
            ds.add(new AircompDevice(d.id(), h.h(n), b.budget(), b.computeEnergy()));
        }
        return AircompProblem.of(topology.name(), noisePowerW(), streams(), model.allReduceSymbolsPerToken(), ds);
    }
}
