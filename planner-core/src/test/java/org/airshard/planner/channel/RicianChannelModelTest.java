package org.airshard.planner.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.airshard.planner.topology.ChannelParams;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyFiles;
import org.ejml.data.ZMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Statistics of the channel model on many seeded samples. */
class RicianChannelModelTest {

    static Topology paper4() throws Exception {
        return TopologyFiles.load(Path.of("..", "sample-topologies", "aircomp-paper-4dev.json")).topology();
    }

    static Topology withK(Topology t, double kDb) {
        ChannelParams c = t.channel();
        return t.withChannel(new ChannelParams(kDb, c.pathLossExponent(), c.referenceLossDb(), c.referenceDistanceM(),
                c.carrierHz(), c.bandwidthHz(), c.coherenceTimeS(), c.antennaSpacingWavelengths()));
    }

    @Test
    void meanPowerIsPathGainTimesAntennaProduct() throws Exception {
        Topology t = paper4();
        RicianChannelModel m = new RicianChannelModel(t);
        SplittableRandom rng = new SplittableRandom(7);
        int samples = 4000;
        double[] sum = new double[t.devices().size()];
        for (int s = 0; s < samples; s++) {
            ChannelRealization r = m.sample(rng);
            for (int n = 0; n < sum.length; n++) {
                sum[n] += r.frobeniusPower(n);
            }
        }
        for (int n = 0; n < sum.length; n++) {
            double expected = m.pathGain(n) * 20 * 4; // β N_r N_t
            double mean = sum[n] / samples;
            // 80 entries per sample, NLoS variance share 1/(K+1): relative s.e. ≈ 0.4%; allow 2%.
            assertEquals(1.0, mean / expected, 0.02, "device " + n);
        }
    }

    @Test
    void kFactorIsRecoveredFromTheSamples() throws Exception {
        for (double kDb : new double[] {-10, 0, 3, 10}) {
            Topology t = withK(paper4(), kDb);
            RicianChannelModel m = new RicianChannelModel(t);
            SplittableRandom rng = new SplittableRandom(11);
            int samples = 20000;
            double meanRe = 0, meanIm = 0, power = 0;
            for (int s = 0; s < samples; s++) {
                ZMatrixRMaj h = m.sample(rng).h(0);
                double re = h.getReal(3, 1), im = h.getImag(3, 1);
                meanRe += re;
                meanIm += im;
                power += re * re + im * im;
            }
            meanRe /= samples;
            meanIm /= samples;
            power /= samples;
            double los = meanRe * meanRe + meanIm * meanIm;
            double scattered = power - los;
            double kEst = los / scattered;
            double k = Math.pow(10, kDb / 10);
            assertEquals(m.pathGain(0), power, 0.03 * m.pathGain(0), "entry power β at K = " + kDb + " dB");
            // With K small the LoS estimate is noisy in absolute terms: compare on a log scale, or absolutely.
            if (k >= 1) {
                assertEquals(1.0, kEst / k, 0.08, "K at " + kDb + " dB");
            } else {
                assertEquals(k, kEst, 0.03, "K at " + kDb + " dB");
            }
        }
    }

    @Test
    void sameSeedSameRealisations() throws Exception {
        Topology t = paper4();
        ChannelSource a = ChannelSources.forTopology(t, 99);
        ChannelSource b = ChannelSources.forTopology(t, 99);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(a.next().h(2).data, b.next().h(2).data);
        }
        ChannelSource c = ChannelSources.forTopology(t, 100);
        assertTrue(c.next().h(2).data[0] != ChannelSources.forTopology(t, 99).next().h(2).data[0]);
    }

    @Test
    void losPartIsTheUlaResponseOuterProduct() throws Exception {
        Topology t = withK(paper4(), 80); // practically pure LoS
        RicianChannelModel m = new RicianChannelModel(t);
        ZMatrixRMaj h = m.sample(new SplittableRandom(1)).h(1);
        double sb = Math.sqrt(m.pathGain(1));
        // Unit-modulus entries scaled by √β, and a constant phase step along the server array.
        for (int r = 0; r < 20; r++) {
            for (int c = 0; c < 4; c++) {
                double mag = Math.hypot(h.getReal(r, c), h.getImag(r, c));
                assertEquals(sb, mag, 1e-3 * sb);
            }
        }
        double step1 = Math.atan2(h.getImag(1, 0), h.getReal(1, 0)) - Math.atan2(h.getImag(0, 0), h.getReal(0, 0));
        double step2 = Math.atan2(h.getImag(2, 0), h.getReal(2, 0)) - Math.atan2(h.getImag(1, 0), h.getReal(1, 0));
        assertEquals(Math.cos(step1), Math.cos(step2), 1e-3);
        assertEquals(Math.sin(step1), Math.sin(step2), 1e-3);
    }

    @Test
    void measuredChannelsAreUsedVerbatimAndCycled() throws Exception {
        Topology base = TopologyFiles.load(Path.of("..", "sample-topologies", "local-demo.json")).topology();
        java.util.List<org.airshard.planner.topology.MeasuredChannel.DeviceMatrix> mats = new java.util.ArrayList<>();
        for (var d : base.devices()) {
            double[][] re = new double[8][2];
            double[][] im = new double[8][2];
            re[0][0] = d.id().hashCode();
            mats.add(new org.airshard.planner.topology.MeasuredChannel.DeviceMatrix(d.id(), re, im));
        }
        Topology t = new Topology(base.name(), "", base.server(), base.channel(), base.devices(), base.links(),
                base.model(), base.settings(), java.util.List.of(new org.airshard.planner.topology.MeasuredChannel(mats)));
        ChannelSource s = ChannelSources.forTopology(t, 1);
        assertTrue(s.measured());
        assertEquals("board-2".hashCode(), s.next().h(1).getReal(0, 0));
        assertEquals("board-2".hashCode(), s.next().h(1).getReal(0, 0), "cycled");
    }
}
