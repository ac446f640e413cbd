package org.airshard.planner.optimize;

import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.airshard.planner.aircomp.ShortTermOptions;
import org.airshard.planner.aircomp.ShortTermSolver;
import org.airshard.planner.aircomp.sdp.SdpProgressListener;
import org.airshard.planner.channel.ChannelRealization;
import org.airshard.planner.channel.ChannelSource;
import org.airshard.planner.channel.ChannelSources;
import org.airshard.planner.io.InputException;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.topology.Topology;

/**
 * Measures E[MSE] of shares and schemes on one fixed set of K channel samples, drawn from a stream
 * independent of the optimisation's ({@code seed} XOR {@value #STREAM}), so that every configuration is
 * compared on the same channels. AirComp uses the full short-term design (SDR + J = 100 randomization +
 * polish) per sample; samples are solved on the common fork-join pool. The solves are deterministic, so the
 * estimate of a share vector met before (the optimum is often the equal or the compute-proportional baseline, and
 * rounding often changes nothing) is reused, bit for bit, instead of solving the K problems again.
 */
public final class Evaluation {

    /** Salt of the evaluation stream. */
    public static final long STREAM = 0x5DEECE66DL;

    private final Topology topology;
    private final ModelSpec model;
    private final List<ChannelRealization> samples = new ArrayList<>();
    private final AircompProblemBuilder builder;
    private final ShortTermOptions shortTerm;
    private final Map<List<Long>, MseEstimate> known = new ConcurrentHashMap<>();

    public Evaluation(Topology topology, ModelSpec model, long seed, int count) {
        this.topology = topology;
        this.model = model;
        this.builder = new AircompProblemBuilder(topology, model);
        this.shortTerm = ShortTermOptions.DEFAULT.withRandomizationSamples(100).withSeed(seed);
        ChannelSource src = ChannelSources.forTopology(topology, seed ^ STREAM);
        for (int i = 0; i < count; i++) {
            samples.add(src.next());
        }
    }

    public List<ChannelRealization> samples() {
        return samples;
    }

    /** AirComp E[MSE] for shares m; {@code null} when cancelled. */
    public MseEstimate aircomp(double[] m, Cancellation cancel) throws InputException {
        List<Long> key = new ArrayList<>(m.length);
        for (double v : m) {
            key.add(Double.doubleToLongBits(v));
        }
        MseEstimate seen = known.get(key);
        if (seen != null) {
            return seen;
        }
        double[] v = new double[samples.size()];
        InputException[] bad = new InputException[1];
        IntStream.range(0, samples.size()).parallel().forEach(i -> {
            if (cancel.isCancelled() || bad[0] != null) {
                v[i] = Double.NaN;
                return;
            }
            try {
                v[i] = ShortTermSolver.solve(builder.build(m, samples.get(i)), shortTerm.withSeed(shortTerm.seed() + i),
                        SdpProgressListener.NONE, cancel::isCancelled).mse();
            } catch (InputException e) {
                bad[0] = e;
            }
        });
        if (bad[0] != null) {
            throw bad[0];
        }
        if (cancel.isCancelled()) {
            return null;
        }
        MseEstimate e = MseEstimate.of(v);
        known.put(key, e);
        return e;
    }

    /** Uncoded FDMA E[MSE] for shares m. */
    public MseEstimate uncodedFdma(double[] m) {
        double[] v = new double[samples.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = SchemeMse.uncodedFdma(topology, model, m, samples.get(i));
        }
        return MseEstimate.of(v);
    }

    /** Digital 8-bit OFDMA: quantisation only, the same on every sample. */
    public MseEstimate digital() {
        return new MseEstimate(SchemeMse.digital(topology.devices().size(), topology.effectiveStreams()), 0, samples.size());
    }
}
