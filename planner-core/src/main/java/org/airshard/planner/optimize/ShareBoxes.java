package org.airshard.planner.optimize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.airshard.planner.energy.AircompBudget;
import org.airshard.planner.latency.MemoryModel;
import org.airshard.planner.latency.ModelConstants;
import org.airshard.planner.latency.Roofline;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.Units;

/**
 * Upper bounds on each device's share m_n (aircomp.md §3, [ours], docs/model.md §Share boxes):
 * <ul>
 *   <li>memory: MemoryModel.tensorParallelBytes(m_n) ≤ (1 − headroom)·memoryBytes (linear in m_n);</li>
 *   <li>energy feasibility: e_n m_n s_tot ≤ (1 − ε)·P_n^max, ε = 10⁻³, so E_n stays positive;</li>
 *   <li>optional compute-latency budget: m_n·(τ_n^attn + τ_n^mlp)·N_L ≤ T_max (roofline times).</li>
 * </ul>
 * Lower bounds are 0.
 *
 * @param hi     upper bound per device
 * @param reason the binding bound per device, for messages
 */
public record ShareBoxes(double[] hi, List<String> reason) {

    public static final double ENERGY_MARGIN = 1e-3;

    public static ShareBoxes of(Topology t, ModelSpec m, double latencyBudgetS) {
        int n = t.devices().size();
        double[] hi = new double[n];
        List<String> why = new ArrayList<>();
        int sequences = t.settings().sequences();
        double fixed = MemoryModel.tensorParallelBytes(m, 0, sequences);
        double perShare = MemoryModel.tensorParallelBytes(m, 1, sequences) - fixed;
        int ctx = (int) Math.round(m.contextTokens() * ModelConstants.MEAN_ATTENDED_FRACTION);
        for (int i = 0; i < n; i++) {
            Device d = t.devices().get(i);
            double usable = d.memoryBytes() * (1 - t.settings().memoryHeadroomFraction());
            double mem = Math.max(0, (usable - fixed) / perShare);
            double maxEnergy = AircompBudget.maxFeasibleShare(d, m);
            double energy = maxEnergy >= 1 ? 1 : (1 - ENERGY_MARGIN) * maxEnergy;
            double bound = Math.min(1, Math.min(mem, energy));
            String reason = bound >= 1 ? "none" : mem <= energy
                    ? String.format(Locale.ROOT, "memory (%s usable)", Units.formatBytes(usable))
                    : String.format(Locale.ROOT, "energy (P_n^max = %.3g J per layer)", d.energyBudgetJPerLayer());
            if (latencyBudgetS > 0) {
                double full = m.layers() * (Roofline.timeS(m.attentionFlopsPerToken(ctx), m.attentionBytesPerToken(ctx),
                        d.flopsPerSecond(), d.memoryBandwidthBytesPerSecond())
                        + Roofline.timeS(m.mlpFlopsPerToken(), m.mlpBytesPerToken(), d.flopsPerSecond(),
                        d.memoryBandwidthBytesPerSecond()));
                double lat = latencyBudgetS / full;
                if (lat < bound) {
                    bound = lat;
                    reason = String.format(Locale.ROOT, "compute-latency budget %.3g ms", latencyBudgetS * 1e3);
                }
            }
            hi[i] = Math.max(0, bound);
            why.add(reason);
        }
        return new ShareBoxes(hi, why);
    }

    public double[] lo() {
        return new double[hi.length];
    }

    public boolean feasible() {
        return SimplexBoxProjection.feasible(lo(), hi);
    }
}
