package org.airshard.planner.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.airshard.planner.topology.MeasuredChannel;
import org.airshard.planner.topology.Topology;
import org.ejml.data.ZMatrixRMaj;

/** Builds the channel source a topology implies. */
public final class ChannelSources {

    private ChannelSources() {
    }

    /**
     * Measured CSI from the file when it has any (cycled in file order), otherwise seeded Rician samples.
     * The same seed gives the same sequence of realisations.
     */
    public static ChannelSource forTopology(Topology t, long seed) {
        if (!t.measuredChannels().isEmpty()) {
            return measured(t);
        }
        return sampled(t, seed);
    }

    /** Seeded samples from {@link RicianChannelModel}. */
    public static ChannelSource sampled(Topology t, long seed) {
        RicianChannelModel model = new RicianChannelModel(t);
        SplittableRandom rng = new SplittableRandom(seed);
        return new ChannelSource() {
            @Override
            public ChannelRealization next() {
                return model.sample(rng);
            }

            @Override
            public boolean measured() {
                return false;
            }
        };
    }

    /** The file's measured realisations, cycled. Assumes a validated topology (one matrix per device). */
    public static ChannelSource measured(Topology t) {
        List<ChannelRealization> all = new ArrayList<>();
        List<String> ids = t.devices().stream().map(d -> d.id()).toList();
        for (MeasuredChannel mc : t.measuredChannels()) {
            List<ZMatrixRMaj> hs = new ArrayList<>();
            for (String id : ids) {
                MeasuredChannel.DeviceMatrix dm = mc.perDevice().stream().filter(x -> x.deviceId().equals(id))
                        .findFirst().orElseThrow(() -> new IllegalArgumentException("no measured channel for " + id));
                hs.add(toMatrix(dm.re(), dm.im()));
            }
            all.add(new ChannelRealization(ids, hs));
        }
        return new ChannelSource() {
            private int next;

            @Override
            public ChannelRealization next() {
                ChannelRealization r = all.get(next);
                next = (next + 1) % all.size();
                return r;
            }

            @Override
            public boolean measured() {
                return true;
            }
        };
    }

    /** Builds a complex matrix from row-major real and imaginary parts of equal shape. */
    public static ZMatrixRMaj toMatrix(double[][] re, double[][] im) {
        ZMatrixRMaj m = new ZMatrixRMaj(re.length, re[0].length);
        for (int r = 0; r < re.length; r++) {
            for (int c = 0; c < re[0].length; c++) {
                m.set(r, c, re[r][c], im[r][c]);
            }
        }
        return m;
    }
}
