package org.airshard.planner.latency;

import java.util.ArrayList;
import java.util.List;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;

/**
 * Per-token latency of tensor-parallel decoding (docs/model.md §Tensor-parallel latency):
 * <pre>
 *   T_tok = T_bc + N_L · [ max_n m_n τ_n^attn + T_ar + T_bc  +  max_n m_n τ_n^mlp + T_ar + T_bc ] + T_srv
 * </pre>
 * m_n the share of device n, τ_n^block = max(F_block/f_n, B_block/β_n) the roofline time of a whole block on
 * device n (F FLOPs and B bytes read per token at the mean attended length, f_n FLOP rate, β_n memory
 * bandwidth), T_ar the uplink time of one all-reduce for the scheme, T_bc the server's broadcast of a
 * block input (d values at 16 bit at the weakest device's downlink rate) and T_srv the server's LM head,
 * final norm and (AirComp) receive combining. Uplink per all-reduce:
 * <ul>
 *   <li>AirComp: L0/L channel uses, T_ar = (L0/L)/B, L0 = ⌈d/2⌉;</li>
 *   <li>digital 8-bit OFDMA: T_ar = max_n 8d / R_n(B/N), ergodic MIMO rate on a 1/N sub-band;</li>
 *   <li>uncoded FDMA: each device sends its L0/L channel uses on a B/N sub-band, T_ar = N (L0/L)/B.</li>
 * </ul>
 */
public final class TensorParallelLatency {

    private final Topology topology;
    private final ModelSpec model;
    private final RadioRates rates;

    public TensorParallelLatency(Topology topology, ModelSpec model, RadioRates rates) {
        this.topology = topology;
        this.model = model;
        this.rates = rates;
    }

    /** Attended positions used for attention FLOPs. */
    public int attendedTokens() {
        return (int) Math.round(model.contextTokens() * ModelConstants.MEAN_ATTENDED_FRACTION);
    }

    /** Uplink time of one all-reduce, s. */
    public double uplinkPerAllReduceS(AllReduceScheme scheme) {
        double b = topology.channel().bandwidthHz();
        int n = topology.devices().size();
        double channelUses = Math.ceil((double) model.allReduceSymbolsPerToken() / topology.effectiveStreams());
        return switch (scheme) {
            case AIRCOMP -> channelUses / b;
            case UNCODED_FDMA -> channelUses * n / b;
            case DIGITAL_OFDMA -> {
                double worst = 0;
                double bits = ModelConstants.DIGITAL_BITS_PER_VALUE * model.allReduceValuesPerToken();
                for (int i = 0; i < n; i++) {
                    worst = Math.max(worst, bits / rates.uplinkRateSubbandBps(i));
                }
                yield worst;
            }
        };
    }

    /** Broadcast of one block input to all devices, s. */
    public double broadcastS() {
        return ModelConstants.BROADCAST_BITS_PER_VALUE * model.hiddenSize() / rates.broadcastRateBps();
    }

    /**
     * Predicts the per-token latency for shares {@code m} (one per device, summing to 1).
     */
    public TensorParallelEstimate estimate(double[] m, AllReduceScheme scheme) {
        List<Device> ds = topology.devices();
        if (m.length != ds.size()) {
            throw new IllegalArgumentException("one share per device expected");
        }
        int ctx = attendedTokens();
        double fAttn = model.attentionFlopsPerToken(ctx);
        double fMlp = model.mlpFlopsPerToken();
        double bAttn = model.attentionBytesPerToken(ctx);
        double bMlp = model.mlpBytesPerToken();
        double slowAttn = 0, slowMlp = 0;
        List<Double> perLayer = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            double f = ds.get(i).flopsPerSecond();
            double bw = ds.get(i).memoryBandwidthBytesPerSecond();
            double a = m[i] * Roofline.timeS(fAttn, bAttn, f, bw);
            double p = m[i] * Roofline.timeS(fMlp, bMlp, f, bw);
            slowAttn = Math.max(slowAttn, a);
            slowMlp = Math.max(slowMlp, p);
            perLayer.add(a + p);
        }
        double up = uplinkPerAllReduceS(scheme);
        double bc = broadcastS();
        int layers = model.layers();
        double compute = layers * (slowAttn + slowMlp);
        double allReduce = 2.0 * layers * up;
        double broadcast = (2.0 * layers + 1) * bc;
        double combineFlops = scheme == AllReduceScheme.AIRCOMP || scheme == AllReduceScheme.UNCODED_FDMA
                ? 2.0 * layers * ModelConstants.FLOPS_PER_COMPLEX_MAC * topology.server().antennas()
                  * model.allReduceSymbolsPerToken()
                : 2.0 * layers * ds.size() * model.allReduceValuesPerToken();
        double server = Roofline.timeS(model.headFlopsPerToken() + 4.0 * model.hiddenSize(), model.headBytesPerToken(),
                topology.server().flopsPerSecond(), topology.server().memoryBandwidthBytesPerSecond())
                + combineFlops / topology.server().flopsPerSecond();
        double total = compute + allReduce + broadcast + server;
        return new TensorParallelEstimate(scheme, total, compute, allReduce, broadcast, server, up, bc, perLayer);
    }

    /** Equal shares 1/N. */
    public static double[] equalShares(int devices) {
        double[] m = new double[devices];
        java.util.Arrays.fill(m, 1.0 / devices);
        return m;
    }
}
