package org.airshard.planner.pipeline.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.airshard.planner.latency.RadioRates;
import org.airshard.planner.model.ModelPresets;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.pipeline.PartitionResult;
import org.airshard.planner.pipeline.PipelinePartitioner;
import org.airshard.planner.pipeline.PipelinePartitionerTest;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyFiles;

/**
 * Partitioner benchmark: quality of the heuristic against the exhaustive search on the same random
 * instances (8 devices, where both run), and search time for 8 (exhaustive) and 16 devices (heuristic)
 * with 80 and 128 layers. Also the gain over the best baseline on the sample topologies.
 *
 * <pre>mvn -q -pl planner-core test-compile exec:java ... </pre> — see docs/benchmarks.md for the command.
 */
public final class PartitionBenchmark {

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path samples = Path.of(args.length > 1 ? args[1] : "sample-topologies");
        Topology base = TopologyFiles.load(samples.resolve("local-demo.json")).topology();
        Random rnd = new Random(1);
        double[] ratio = new double[trials];
        long[] exactMs = new long[trials];
        long[] heurMs = new long[trials];
        ModelSpec m80 = ModelPresets.byId("llama2-70b").orElseThrow().withBytesPerParameter(0.5625);
        for (int i = 0; i < trials; i++) {
            Topology t = big(PipelinePartitionerTest.randomTopology(base, 8, rnd));
            PipelinePartitioner p = new PipelinePartitioner(t, m80, new RadioRates(t));
            long a = System.nanoTime();
            PartitionResult exact = p.partition(new PipelinePartitioner.Options(4, 8, true, 0), Cancellation.none());
            long b = System.nanoTime();
            PartitionResult heur = p.partition(new PipelinePartitioner.Options(4, 0, true, 0), Cancellation.none());
            long c = System.nanoTime();
            exactMs[i] = (b - a) / 1_000_000;
            heurMs[i] = (c - b) / 1_000_000;
            ratio[i] = exact.tokensPerSecond() == 0 ? 1 : heur.tokensPerSecond() / exact.tokensPerSecond();
        }
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT, "8 devices, 80 layers, %d instances: heuristic/exact tokens/s min %.4f median %.4f%n",
                trials, ratio[0], ratio[trials / 2]);
        System.out.printf(Locale.ROOT, "  exhaustive search median %d ms, heuristic median %d ms%n", median(exactMs), median(heurMs));
        ModelSpec m128 = new ModelSpec("x", "128-layer", 128, 8192, 64, 8, 28672, 128256, false, false, 0.5625, 4096, 1e4);
        long[] t16 = new long[Math.max(3, trials / 4)];
        for (int i = 0; i < t16.length; i++) {
            Topology t = big(PipelinePartitionerTest.randomTopology(base, 16, rnd));
            long a = System.nanoTime();
            new PipelinePartitioner(t, m128, new RadioRates(t)).partition(PipelinePartitioner.Options.of(8), Cancellation.none());
            t16[i] = (System.nanoTime() - a) / 1_000_000;
        }
        System.out.printf(Locale.ROOT, "16 devices, 128 layers (heuristic ring search): median %d ms%n", median(t16));
        for (String f : new String[] {"home-lab.json", "mdi-llm-3x-tx2.json", "mdi-llm-3x-tx2-tinyllama.json"}) {
            var l = TopologyFiles.load(samples.resolve(f));
            int s = l.topology().settings().sequences();
            PartitionResult r = new PipelinePartitioner(l.topology(), l.model(), new RadioRates(l.topology()))
                    .partition(PipelinePartitioner.Options.of(s), Cancellation.none());
            System.out.printf(Locale.ROOT, "%s S=%d: ours %.2f tokens/s, best baseline %.2f, gain %.2fx%n", f, s,
                    r.tokensPerSecond(), r.bestBaselineTokensPerSecond(), r.tokensPerSecond() / r.bestBaselineTokensPerSecond());
        }
    }

    /** Gives the random devices enough memory for a large model. */
    private static Topology big(Topology t) {
        return t.withDevices(t.devices().stream().map(d -> new org.airshard.planner.topology.Device(d.id(), d.name(), d.kind(),
                d.antennas(), d.flopsPerSecond(), d.memoryBytes() * 200, d.memoryBandwidthBytesPerSecond(), d.energyBudgetJPerLayer(),
                d.energyPerParameterJ(), d.maxTxPowerDbm(), d.position(), d.agent())).toList());
    }

    private static long median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
