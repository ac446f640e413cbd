package org.airshard.planner.latency;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.DigitalLink;
import org.airshard.planner.topology.Topology;

/**
 * Pipeline ring timing (docs/model.md §Pipeline). Member k holding ℓ_k layers computes for
 * t_k = ℓ_k (τ_k^attn + τ_k^mlp) + [starter] τ_k^head per token (roofline times, {@link Roofline}), then sends d activation values to the next
 * member: h_k = latency + 8·d·bytes / rate over the declared digital link, or, without one, through the
 * access point (uplink of the sender at its full-band ergodic rate, then downlink to the receiver, plus
 * {@link ModelConstants#WIRELESS_HOP_ACCESS_LATENCY_S} per wireless leg). With S sequences in flight the
 * ring delivers min(S/R, 1/b) tokens/s, R = Σ_k (t_k + h_k), b = max_k max(t_k, h_k).
 */
public final class PipelineLatency {

    private final Topology topology;
    private final ModelSpec model;
    private final RadioRates rates;

    public PipelineLatency(Topology topology, ModelSpec model, RadioRates rates) {
        this.topology = topology;
        this.model = model;
        this.rates = rates;
    }

    /** Time to move one token's hidden state from a to b, s. */
    public double hopS(String a, String b) {
        double bytes = model.hiddenSize() * topology.settings().activationBytes();
        Optional<DigitalLink> link = topology.link(a, b);
        if (link.isPresent()) {
            return link.get().transferTimeS(bytes);
        }
        double bits = 8 * bytes;
        double t = 0;
        int ia = indexOf(a);
        int ib = indexOf(b);
        if (ia >= 0) {
            t += ModelConstants.WIRELESS_HOP_ACCESS_LATENCY_S + bits / rates.uplinkRateFullBandBps(ia);
        }
        if (ib >= 0) {
            t += ModelConstants.WIRELESS_HOP_ACCESS_LATENCY_S + bits / rates.downlinkRateBps(topology.devices().get(ib));
        }
        return t;
    }

    private int indexOf(String id) {
        for (int i = 0; i < topology.devices().size(); i++) {
            if (topology.devices().get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** Compute time per token of a member holding {@code layers} layers (plus head if starter), s. */
    public double stageS(Device d, int layers, boolean starter) {
        int ctx = (int) Math.round(model.contextTokens() * ModelConstants.MEAN_ATTENDED_FRACTION);
        double f = d.flopsPerSecond(), bw = d.memoryBandwidthBytesPerSecond();
        double t = layers * (Roofline.timeS(model.attentionFlopsPerToken(ctx), model.attentionBytesPerToken(ctx), f, bw)
                + Roofline.timeS(model.mlpFlopsPerToken(), model.mlpBytesPerToken(), f, bw));
        if (starter) {
            t += Roofline.timeS(model.headFlopsPerToken() + 4.0 * model.hiddenSize(), model.headBytesPerToken(), f, bw);
        }
        return t;
    }

    /** Estimates a ring: {@code ring} device ids (starter first) and the layers each holds. */
    public PipelineEstimate estimate(List<String> ring, List<Integer> layerCounts) {
        if (ring.size() != layerCounts.size() || ring.isEmpty()) {
            throw new IllegalArgumentException("one layer count per ring member expected");
        }
        List<Double> stage = new ArrayList<>();
        List<Double> hop = new ArrayList<>();
        double r = 0, b = 0;
        for (int k = 0; k < ring.size(); k++) {
            Device d = topology.device(ring.get(k)).orElseThrow(() -> new IllegalArgumentException("unknown device"));
            double t = stageS(d, layerCounts.get(k), k == 0);
            double h = ring.size() == 1 ? 0 : hopS(ring.get(k), ring.get((k + 1) % ring.size()));
            stage.add(t);
            hop.add(h);
            r += t + h;
            b = Math.max(b, Math.max(t, h));
        }
        return new PipelineEstimate(List.copyOf(ring), List.copyOf(layerCounts), stage, hop, r, b);
    }

    /**
     * Equal split of N_L layers over K members, remainder to the last members (the starter also holds
     * embedding and head, so it never gets an extra layer).
     */
    public static List<Integer> equalSplit(int layers, int members) {
        List<Integer> out = new ArrayList<>();
        int base = layers / members;
        int extra = layers % members;
        for (int k = 0; k < members; k++) {
            out.add(base + (k >= members - extra ? 1 : 0));
        }
        return out;
    }
}
