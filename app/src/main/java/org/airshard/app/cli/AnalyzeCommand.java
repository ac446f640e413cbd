package org.airshard.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.airshard.planner.analysis.AnalysisJson;
import org.airshard.planner.analysis.TopologyAnalysis;
import org.airshard.planner.io.InputException;
import org.airshard.planner.json.Json;
import org.airshard.planner.latency.PipelineEstimate;
import org.airshard.planner.latency.TensorParallelEstimate;
import org.airshard.planner.topology.TopologyFiles;
import org.airshard.planner.topology.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code airshard analyze --topology T.json [--json] [--out FILE]}. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Predict per-token latency and per-device memory before optimisation.",
                "Tensor parallelism with equal shares under each all-reduce scheme (AirComp, digital 8-bit OFDMA,",
                "uncoded FDMA) and a pipeline ring in file order with an equal layer split. See docs/model.md."})
public final class AnalyzeCommand implements Callable<Integer> {

    @Option(names = "--topology", required = true, paramLabel = "FILE", description = "Topology file (airshard.topology/1).")
    Path topology;

    @Option(names = "--json", description = "Print JSON (format airshard.analysis/1) instead of tables.")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the output to FILE (atomically) instead of stdout.")
    Path out;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InputException, IOException {
        TopologyFiles.Loaded l = TopologyFiles.load(topology);
        TopologyAnalysis a = TopologyAnalysis.of(l.topology(), l.model());
        String text = json ? Json.mapper().writeValueAsString(AnalysisJson.toTree(a)) + "\n" : table(a);
        if (out != null) {
            Json.writeAtomically(out, text);
        } else {
            PrintWriter w = spec.commandLine().getOut();
            w.print(text);
            w.flush();
        }
        return AirshardCli.EXIT_OK;
    }

    static String table(TopologyAnalysis a) {
        StringBuilder sb = new StringBuilder();
        java.util.Formatter f = new java.util.Formatter(sb, Locale.ROOT);
        f.format("%s — %s (%d layers, d = %d, %s weights)%n%n", a.topologyName(), a.model().displayName(),
                a.model().layers(), a.model().hiddenSize(), Units.formatBytes(a.model().totalBytes()));
        f.format("Links%n  %-14s %9s %9s %11s %11s %12s%n", "device", "dist m", "PL dB", "UL SNR dB", "DL SNR dB", "UL Mbit/s");
        for (TopologyAnalysis.DeviceLink d : a.links()) {
            f.format("  %-14s %9.1f %9.1f %11.1f %11.1f %12.1f%n", d.deviceId(), d.distanceM(), d.pathLossDb(),
                    d.uplinkSnrDb(), d.downlinkSnrDb(), d.uplinkRateBps() / 1e6);
        }
        f.format("%nTensor parallel, equal shares (%.3f each); aggregator holds %s%n", a.tensorShares()[0],
                Units.formatBytes(a.aggregatorBytes()));
        f.format("  %-22s %11s %10s %11s %11s %11s %10s%n", "all-reduce", "ms/token", "tokens/s", "compute ms",
                "uplink ms", "bcast ms", "server ms");
        for (TensorParallelEstimate e : a.tensor()) {
            f.format("  %-22s %11.2f %10.2f %11.2f %11.2f %11.2f %10.2f%n", e.scheme().displayName(), e.perTokenS() * 1e3,
                    e.tokensPerSecond(), e.computeS() * 1e3, e.allReduceS() * 1e3, e.broadcastS() * 1e3, e.serverS() * 1e3);
        }
        f.format("  memory per device (S = %d):%n", a.sequences());
        for (int i = 0; i < a.links().size(); i++) {
            memoryLine(f, a.links().get(i).deviceId(), a.tensorMemory().get(i), a.usableMemory().get(i));
        }
        PipelineEstimate p = a.pipeline();
        f.format("%nPipeline ring in file order, equal split%n  %-14s %7s %10s %10s %12s%n", "device", "layers", "stage ms",
                "hop ms", "memory");
        for (int k = 0; k < p.ring().size(); k++) {
            f.format("  %-14s %7d %10.2f %10.3f %12s%s%n", p.ring().get(k), p.layerCounts().get(k), p.stageS().get(k) * 1e3,
                    p.hopS().get(k) * 1e3, Units.formatBytes(a.pipelineMemory().get(k)), k == 0 ? "  (starter: embedding, head)" : "");
        }
        f.format("  one sequence: %.2f ms/token (%.2f tokens/s); bottleneck %.2f ms; knee at S = %d%n", p.ringS() * 1e3,
                p.tokensPerSecond(1), p.bottleneckS() * 1e3, p.kneeSequences());
        f.format("  tokens/s by sequences in flight:");
        for (int s = 1; s <= 2 * p.ring().size(); s++) {
            f.format(" S=%d %.2f", s, p.tokensPerSecond(s));
        }
        f.format("%n  memory per member (S = %d):%n", a.sequences());
        for (int k = 0; k < p.ring().size(); k++) {
            int idx = indexOf(a, p.ring().get(k));
            memoryLine(f, p.ring().get(k), a.pipelineMemory().get(k), a.usableMemory().get(idx));
        }
        return sb.toString();
    }

    private static int indexOf(TopologyAnalysis a, String id) {
        for (int i = 0; i < a.links().size(); i++) {
            if (a.links().get(i).deviceId().equals(id)) {
                return i;
            }
        }
        return 0;
    }

    private static void memoryLine(java.util.Formatter f, String id, double need, double usable) {
        f.format("    %-14s %12s of %12s usable%s%n", id, Units.formatBytes(need), Units.formatBytes(usable),
                need > usable ? "  DOES NOT FIT" : "");
    }
}
