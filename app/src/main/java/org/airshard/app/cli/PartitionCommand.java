package org.airshard.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.airshard.planner.io.InputException;
import org.airshard.planner.latency.PipelineEstimate;
import org.airshard.planner.latency.RadioRates;
import org.airshard.planner.pipeline.Baseline;
import org.airshard.planner.pipeline.PartitionResult;
import org.airshard.planner.pipeline.PipelinePartitioner;
import org.airshard.planner.plan.Plan;
import org.airshard.planner.plan.PlanBuilder;
import org.airshard.planner.plan.PlanFiles;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.solver.SolverStatus;
import org.airshard.planner.topology.TopologyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code airshard partition --topology T.json --out plan.json [--samples S]}. */
@Command(name = "partition", mixinStandardHelpOptions = true,
        description = {"Plan a pipeline ring: which boards, in which order, holding which layers.",
                "Maximises tokens/s with S sequences in flight under each board's memory; compares with",
                "MDI-LLM's table, an equal split and a memory-proportional split (exo). See docs/model.md."})
public final class PartitionCommand implements Callable<Integer> {

    @Option(names = "--topology", required = true, paramLabel = "FILE", description = "Topology file (airshard.topology/1).")
    Path topology;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Plan file to write (airshard.plan/1).")
    Path out;

    @Option(names = {"--samples", "--sequences"}, paramLabel = "S",
            description = "Sequences in flight (MDI-LLM's 'samples'); default: the topology's settings.sequences.")
    Integer sequences;

    @Option(names = "--time-limit", paramLabel = "SECONDS", defaultValue = "30",
            description = "Stop the ring search after this long with the best ring so far (default ${DEFAULT-VALUE}).")
    double timeLimitS;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InputException, IOException {
        if (sequences != null && (sequences < 1 || sequences > 4096)) {
            throw new InputException("--samples", "", "must be between 1 and 4096, got " + sequences);
        }
        if (!(timeLimitS > 0)) {
            throw new InputException("--time-limit", "", "must be positive, got " + timeLimitS);
        }
        TopologyFiles.Loaded l = TopologyFiles.load(topology);
        int s = sequences != null ? sequences : l.topology().settings().sequences();
        PipelinePartitioner p = new PipelinePartitioner(l.topology(), l.model(), new RadioRates(l.topology()));
        PipelinePartitioner.Options o = new PipelinePartitioner.Options(s, 8, true, (long) (timeLimitS * 1000));
        PartitionResult r = p.partition(o, Cancellation.none());
        PrintWriter w = spec.commandLine().getOut();
        if (r.status() == SolverStatus.INFEASIBLE) {
            throw new InputException(topology.toString(), "$.devices", String.join("; ", r.notes()));
        }
        Plan plan = PlanBuilder.fromPartition(r, l.topology(), l.model(), new Version().getVersion()[0]);
        PlanFiles.write(plan, out);
        w.print(summary(r, String.format(Locale.ROOT, "%d values × %.0f bytes = %.0f bytes",
                l.model().hiddenSize(), l.topology().settings().activationBytes(),
                l.model().hiddenSize() * l.topology().settings().activationBytes())));
        w.printf(Locale.ROOT, "plan written to %s%n", out);
        w.flush();
        return AirshardCli.EXIT_OK;
    }

    static String summary(PartitionResult r, String hopBytes) {
        StringBuilder sb = new StringBuilder();
        java.util.Formatter f = new java.util.Formatter(sb, Locale.ROOT);
        PipelineEstimate e = r.best();
        int s = r.sequences();
        f.format("Pipeline ring for S = %d sequences (%s, %d rings evaluated in %d ms)%n", s, r.status(), r.ringsEvaluated(),
                r.solveMillis());
        f.format("  %-14s %-11s %10s %10s%n", "board", "layers", "stage ms", "hop ms");
        int start = 0;
        for (int k = 0; k < e.ring().size(); k++) {
            int n = e.layerCounts().get(k);
            f.format("  %-14s %-11s %10.3f %10.3f%s%n", e.ring().get(k), n == 0 ? "-" : start + "–" + (start + n - 1),
                    e.stageS().get(k) * 1e3, e.hopS().get(k) * 1e3, k == 0 ? "  (starter)" : "");
            start += n;
        }
        f.format("  %.2f tokens/s at S = %d; %.2f ms per token of one sequence; knee at S = %d%n", e.tokensPerSecond(s), s,
                e.ringS() * 1e3, e.kneeSequences());
        f.format("  tokens/s by sequences in flight:");
        for (int k = 1; k <= 2 * e.ring().size(); k++) {
            f.format(" S=%d %.2f", k, e.tokensPerSecond(k));
        }
        f.format("%n  each hop carries one hidden state per token: %s%n", hopBytes);
        for (String note : r.notes()) {
            f.format("  note: %s%n", note);
        }
        f.format("Baselines on the same topology (file order):%n");
        for (Baseline b : r.baselines()) {
            if (b.fits()) {
                f.format("  %-20s %10.2f tokens/s  %s  (ours: %.2f×)%n", b.name(), b.estimate().tokensPerSecond(s),
                        b.estimate().layerCounts(), e.tokensPerSecond(s) / b.estimate().tokensPerSecond(s));
            } else {
                f.format("  %-20s does not fit: %s%n", b.name(), b.problem());
            }
        }
        return sb.toString();
    }
}
