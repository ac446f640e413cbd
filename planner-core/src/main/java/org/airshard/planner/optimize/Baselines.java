package org.airshard.planner.optimize;

import org.airshard.planner.latency.ModelConstants;
import org.airshard.planner.latency.Roofline;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;

/** Baseline tensor-parallel shares (aircomp.md §5): equal, compute-proportional, and compute-balanced. */
public final class Baselines {

    private Baselines() {
    }

    /** m_n = 1/N. */
    public static double[] equal(Topology t) {
        double[] m = new double[t.devices().size()];
        java.util.Arrays.fill(m, 1.0 / m.length);
        return m;
    }

    /** m_n ∝ FLOP rate f_n (the paper's compute-proportional baseline). */
    public static double[] computeProportional(Topology t) {
        double[] f = t.devices().stream().mapToDouble(Device::flopsPerSecond).toArray();
        double s = java.util.Arrays.stream(f).sum();
        return java.util.Arrays.stream(f).map(x -> x / s).toArray();
    }

    /**
     * m_n ∝ 1/τ_n with τ_n the roofline time of a whole layer on device n ({@link Roofline}): equalises the
     * devices' compute per layer when bandwidth, not FLOPs, limits them.
     */
    public static double[] computeBalanced(Topology t, ModelSpec m) {
        int ctx = (int) Math.round(m.contextTokens() * ModelConstants.MEAN_ATTENDED_FRACTION);
        double[] speed = t.devices().stream().mapToDouble(d -> 1 / (Roofline.timeS(m.attentionFlopsPerToken(ctx),
                m.attentionBytesPerToken(ctx), d.flopsPerSecond(), d.memoryBandwidthBytesPerSecond())
                + Roofline.timeS(m.mlpFlopsPerToken(), m.mlpBytesPerToken(), d.flopsPerSecond(), d.memoryBandwidthBytesPerSecond())))
                .toArray();
        double s = java.util.Arrays.stream(speed).sum();
        return java.util.Arrays.stream(speed).map(x -> x / s).toArray();
    }
}
