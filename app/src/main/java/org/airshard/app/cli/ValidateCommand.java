package org.airshard.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.airshard.planner.channel.LinkBudget;
import org.airshard.planner.io.InputException;
import org.airshard.planner.model.ModelSpec;
import org.airshard.planner.plan.Plan;
import org.airshard.planner.plan.PlanFiles;
import org.airshard.planner.plan.PlanValidator;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyFiles;
import org.airshard.planner.topology.Units;
import org.airshard.planner.topology.ValidationIssue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code airshard validate --topology T.json}: every problem at once; a summary when there is none. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a topology file (and a plan) and report every problem at once.",
                "Exit 1 if there is any error. With --plan, re-checks a hand-edited plan and re-predicts it.",
                "Prints a summary (devices, memory vs model size, SNR range) when it is valid."})
public final class ValidateCommand implements Callable<Integer> {

    @Option(names = "--topology", required = true, paramLabel = "FILE", description = "Topology file (airshard.topology/1).")
    Path topology;

    @Option(names = "--plan", paramLabel = "FILE",
            description = "Also check this plan (airshard.plan/1) against the topology and re-predict it.")
    Path plan;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InputException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TopologyFiles.Loaded l = TopologyFiles.inspect(topology);
        for (ValidationIssue i : l.report().issues()) {
            (i.isError() ? err : out).println(topology + ": " + i);
        }
        if (l.report().hasErrors()) {
            err.println("airshard: " + topology + ": " + l.report().errors().size() + " error(s), "
                    + l.report().warnings().size() + " warning(s)");
            return AirshardCli.EXIT_INPUT;
        }
        if (plan == null) {
            printSummary(out, l.topology(), l.model());
            return AirshardCli.EXIT_OK;
        }
        Plan p = PlanFiles.read(plan);
        PlanValidator.Check c = PlanValidator.check(p, l.topology(), l.model());
        for (ValidationIssue i : c.report().issues()) {
            (i.isError() ? err : out).println(plan + ": " + i);
        }
        if (c.report().hasErrors()) {
            err.println("airshard: " + plan + ": illegal plan, " + c.report().errors().size() + " error(s)");
            return AirshardCli.EXIT_INPUT;
        }
        printPrediction(out, p, c.predicted());
        return AirshardCli.EXIT_OK;
    }

    static void printPrediction(PrintWriter out, Plan p, Plan.Predicted pr) {
        out.printf(Locale.ROOT, "OK: %s plan for %s is legal%n", p.mode().id(), p.topology().name());
        out.printf(Locale.ROOT, "  predicted: %.2f tokens/s, %.2f ms per token of one sequence%s%n", pr.tokensPerSecond(),
                pr.msPerToken(), pr.mse() == null ? "" : String.format(Locale.ROOT, ", all-reduce MSE %.4g", pr.mse()));
        if (p.predicted() != null && p.predicted().tokensPerSecond() > 0) {
            out.printf(Locale.ROOT, "  (the file recorded %.2f tokens/s)%n", p.predicted().tokensPerSecond());
        }
        for (Plan.DevicePrediction d : pr.perDevice()) {
            out.printf(Locale.ROOT, "  %-14s %12s  compute %.3f ms  hop %.3f ms%n", d.device(), Units.formatBytes(d.memoryBytes()),
                    d.computeMs(), d.hopMs());
        }
        out.flush();
    }

    static void printSummary(PrintWriter out, Topology t, ModelSpec m) {
        double usable = 0, total = 0;
        double minSnr = Double.POSITIVE_INFINITY, maxSnr = Double.NEGATIVE_INFINITY;
        String minId = "", maxId = "";
        for (Device d : t.devices()) {
            total += d.memoryBytes();
            usable += d.memoryBytes() * (1 - t.settings().memoryHeadroomFraction());
            double snr = LinkBudget.uplinkSnrDb(t, d);
            if (snr < minSnr) {
                minSnr = snr;
                minId = d.id();
            }
            if (snr > maxSnr) {
                maxSnr = snr;
                maxId = d.id();
            }
        }
        out.printf(Locale.ROOT, "OK: %s%n", t.name());
        out.printf(Locale.ROOT, "  devices:  %d around %s (N_r = %d), L = %d streams%n", t.devices().size(),
                t.server().id(), t.server().antennas(), t.effectiveStreams());
        out.printf(Locale.ROOT, "  model:    %s, %.3g parameters, %s of weights%n", m.displayName(),
                (double) m.totalParameters(), Units.formatBytes(m.totalBytes()));
        out.printf(Locale.ROOT, "  memory:   %s on devices (%s usable), %.1f%% of it needed for the weights%n",
                Units.formatBytes(total), Units.formatBytes(usable), 100 * m.totalBytes() / usable);
        out.printf(Locale.ROOT, "  uplink SNR per antenna: %.1f dB (%s) to %.1f dB (%s)%n", minSnr, minId, maxSnr, maxId);
        out.flush();
    }
}
