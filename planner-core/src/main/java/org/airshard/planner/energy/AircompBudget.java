package org.airshard.planner.energy;

import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;

/**
 * A device's energy budget for AirComp (docs/model.md §AirComp budget). With P_n^max the energy budget per
 * decoder layer per token (J), e_n the compute energy per parameter (J), s_tot the parameters per layer, m_n
 * the device's share, T_s = 1/B the duration of a channel use and P_n^tx the transmit-power cap (W):
 * <pre>
 *   compute energy per layer      c_n = e_n · m_n · s_tot                                  [J]
 *   radio allowance per all-reduce  = min( (P_n^max − c_n) / 2 , (L0/L) · P_n^tx · T_s )   [J]
 *   constraint                    (L0/L) · ‖B_n‖_F² · T_s ≤ allowance
 * </pre>
 * The two all-reduces of a layer share the radio allowance equally (same beamformers within a coherence
 * block). {@link #normalised} expresses it in the units of the {@code solve-aircomp} problem file
 * (W × channel uses, i.e. J × B), where E_n = budget − computeEnergy.
 */
public final class AircompBudget {

    private AircompBudget() {
    }

    /**
     * Budget in problem units.
     *
     * @param budget        the device's budget, W·channel-uses (P_n in the problem file)
     * @param computeEnergy the compute part, W·channel-uses (c_n in the problem file)
     */
    public record Normalised(double budget, double computeEnergy) {
        /** E_n = budget − computeEnergy; must be > 0 for the share to be feasible. */
        public double radioAllowance() {
            return budget - computeEnergy;
        }
    }

    /** c_n = e_n m_n s_tot, joules per layer. */
    public static double computeEnergyJ(Device d, ModelSpec m, double share) {
        return d.energyPerParameterJ() * share * m.parametersPerLayer();
    }

    /** Radio energy allowance per all-reduce, joules (negative when compute alone exceeds P_n^max). */
    public static double radioAllowancePerAllReduceJ(Topology t, Device d, ModelSpec m, double share) {
        double fromBudget = (d.energyBudgetJPerLayer() - computeEnergyJ(d, m, share)) / 2;
        double channelUses = (double) m.allReduceSymbolsPerToken() / t.effectiveStreams();
        double fromPowerCap = channelUses * d.maxTxPowerW() * t.channel().symbolTimeS();
        return Math.min(fromBudget, fromPowerCap);
    }

    /** The budget in {@code solve-aircomp} problem units (J × B). */
    public static Normalised normalised(Topology t, Device d, ModelSpec m, double share) {
        double b = t.channel().bandwidthHz();
        double compute = computeEnergyJ(d, m, share) / 2 * b;
        return new Normalised(compute + radioAllowancePerAllReduceJ(t, d, m, share) * b, compute);
    }

    /** Largest share whose compute energy stays below P_n^max (capped at 1). */
    public static double maxFeasibleShare(Device d, ModelSpec m) {
        double full = d.energyPerParameterJ() * m.parametersPerLayer();
        return full <= 0 ? 1 : Math.min(1, d.energyBudgetJPerLayer() / full);
    }
}
