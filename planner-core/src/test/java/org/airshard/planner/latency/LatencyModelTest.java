package org.airshard.planner.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.topology.TopologyFiles;
import org.junit.jupiter.api.Test;

class LatencyModelTest {

    static TopologyFiles.Loaded load(String name) throws Exception {
        return TopologyFiles.load(Path.of("..", "sample-topologies", name));
    }

    @Test
    void airCompUplinkIsL0OverLChannelUses() throws Exception {
        var l = load("aircomp-paper-4dev.json");
        RadioRates rates = new RadioRates(l.topology(), 1);
        TensorParallelLatency tp = new TensorParallelLatency(l.topology(), l.model(), rates);
        // L0 = 2048 symbols, L = 4 streams, B = 20 MHz → 512 channel uses = 25.6 µs
        assertEquals(512 / 20e6, tp.uplinkPerAllReduceS(AllReduceScheme.AIRCOMP), 1e-12);
        assertEquals(4 * 512 / 20e6, tp.uplinkPerAllReduceS(AllReduceScheme.UNCODED_FDMA), 1e-12);
        assertTrue(tp.uplinkPerAllReduceS(AllReduceScheme.DIGITAL_OFDMA) > tp.uplinkPerAllReduceS(AllReduceScheme.AIRCOMP));
    }

    @Test
    void perTokenLatencyAddsUpItsParts() throws Exception {
        var l = load("aircomp-paper-8dev.json");
        ModelSpec m = l.model();
        TensorParallelLatency tp = new TensorParallelLatency(l.topology(), m, new RadioRates(l.topology(), 1));
        for (AllReduceScheme s : AllReduceScheme.values()) {
            TensorParallelEstimate e = tp.estimate(TensorParallelLatency.equalShares(8), s);
            assertEquals(e.perTokenS(), e.computeS() + e.allReduceS() + e.broadcastS() + e.serverS(), 1e-12);
            assertEquals(2 * m.layers() * e.uplinkPerAllReduceS(), e.allReduceS(), 1e-12);
            assertEquals((2 * m.layers() + 1) * e.broadcastPerAllReduceS(), e.broadcastS(), 1e-12);
            // equal shares on equal devices: compute = N_L · (τ_attn + τ_mlp) / N, τ the roofline time of a block
            double f = 2.0e12, bw = 2.0e11;
            int t = tp.attendedTokens();
            double tau = Roofline.timeS(m.attentionFlopsPerToken(t), m.attentionBytesPerToken(t), f, bw)
                    + Roofline.timeS(m.mlpFlopsPerToken(), m.mlpBytesPerToken(), f, bw);
            assertEquals(m.layers() * tau / 8, e.computeS(), 1e-9);
        }
    }

    @Test
    void unevenSharesAreLimitedByTheSlowestDevice() throws Exception {
        var l = load("home-lab.json");
        TensorParallelLatency tp = new TensorParallelLatency(l.topology(), l.model(), new RadioRates(l.topology(), 1));
        double equal = tp.estimate(TensorParallelLatency.equalShares(4), AllReduceScheme.AIRCOMP).computeS();
        // Shares proportional to each device's MLP speed balance the MLP blocks exactly.
        var m = l.model();
        int t = tp.attendedTokens();
        double[] speed = l.topology().devices().stream().mapToDouble(d -> 1 / Roofline.timeS(m.mlpFlopsPerToken(),
                m.mlpBytesPerToken(), d.flopsPerSecond(), d.memoryBandwidthBytesPerSecond())).toArray();
        double total = java.util.Arrays.stream(speed).sum();
        double[] prop = java.util.Arrays.stream(speed).map(x -> x / total).toArray();
        double balanced = tp.estimate(prop, AllReduceScheme.AIRCOMP).computeS();
        assertTrue(balanced < equal / 2, "balanced " + balanced + " vs equal " + equal);
        double attn = 0;
        for (int i = 0; i < 4; i++) {
            var d = l.topology().devices().get(i);
            attn = Math.max(attn, prop[i] * Roofline.timeS(m.attentionFlopsPerToken(t), m.attentionBytesPerToken(t),
                    d.flopsPerSecond(), d.memoryBandwidthBytesPerSecond()));
        }
        assertEquals(m.layers() * (attn + 1 / total), balanced, 1e-9);
    }

    @Test
    void pipelineThroughputFollowsTheClosedLoopFormula() throws Exception {
        var l = load("mdi-llm-3x-tx2.json");
        PipelineLatency pl = new PipelineLatency(l.topology(), l.model(), new RadioRates(l.topology(), 1));
        PipelineEstimate e = pl.estimate(List.of("tx2-1", "tx2-2", "tx2-3"), List.of(2, 5, 5));
        double r = 0, b = 0;
        for (int k = 0; k < 3; k++) {
            r += e.stageS().get(k) + e.hopS().get(k);
            b = Math.max(b, Math.max(e.stageS().get(k), e.hopS().get(k)));
        }
        assertEquals(r, e.ringS(), 1e-15);
        assertEquals(b, e.bottleneckS(), 1e-15);
        assertEquals(1 / r, e.tokensPerSecond(1), 1e-9);
        assertEquals(1 / b, e.tokensPerSecond(100), 1e-9);
        int knee = e.kneeSequences();
        assertTrue(e.tokensPerSecond(knee) >= 1 / b - 1e-9);
        assertTrue(e.tokensPerSecond(knee - 1) < 1 / b);
        // gigabit link: 1024 values × 4 B = 32768 bit → 32.8 µs + 0.2 ms latency
        assertEquals(2e-4 + 32768 / 1e9, e.hopS().get(0), 1e-12);
    }

    @Test
    void hopsWithoutALinkGoThroughTheAccessPoint() throws Exception {
        var l = load("home-lab.json");
        RadioRates rates = new RadioRates(l.topology(), 1);
        PipelineLatency pl = new PipelineLatency(l.topology(), l.model(), rates);
        double wired = pl.hopS("laptop", "orin");
        double wireless = pl.hopS("pi5", "pi4");
        assertEquals(3e-4 + 2048 * 4 * 8 / 1e9, wired, 1e-12);
        double bits = 2048 * 4 * 8;
        double expected = 2 * ModelConstants.WIRELESS_HOP_ACCESS_LATENCY_S + bits / rates.uplinkRateFullBandBps(1)
                + bits / rates.downlinkRateBps(l.topology().devices().get(2));
        assertEquals(expected, wireless, 1e-12);
    }

    @Test
    void memoryModelCountsWeightsAndKvCaches() throws Exception {
        ModelSpec m = load("mdi-llm-3x-tx2.json").model();
        double whole = MemoryModel.pipelineBytes(m, m.layers(), true, 1);
        assertEquals(m.totalBytes() + m.contextTokens() * m.kvBytesPerToken(), whole, 1);
        double sum = 0;
        for (int k = 0; k < 4; k++) {
            sum += MemoryModel.tensorParallelBytes(m, 0.25, 2);
        }
        double expected = m.layers() * (m.splittableParametersPerLayer() + 4 * m.replicatedParametersPerLayer())
                * m.bytesPerParameter() + 2.0 * m.contextTokens() * m.kvBytesPerToken();
        assertEquals(expected, sum, 1);
    }

    @Test
    void spectralEfficiencyIsCapped() {
        assertEquals(ModelConstants.MAX_SPECTRAL_EFFICIENCY_PER_STREAM, RadioRates.cappedLog2(1e9), 1e-12);
        assertEquals(1.0, RadioRates.cappedLog2(1.0), 1e-12);
    }
}
