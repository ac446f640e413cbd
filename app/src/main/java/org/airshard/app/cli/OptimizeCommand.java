package org.airshard.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.airshard.planner.io.InputException;
import org.airshard.planner.optimize.AircompOptimization;
import org.airshard.planner.optimize.MseEstimate;
import org.airshard.planner.optimize.OptimizationReport;
import org.airshard.planner.optimize.SscaOptions;
import org.airshard.planner.plan.Plan;
import org.airshard.planner.plan.PlanBuilder;
import org.airshard.planner.plan.PlanFiles;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.solver.SolverStatus;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.TopologyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code airshard optimize --topology T.json --out plan.json [--seed N] [--iterations N]}. */
@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = {"Plan tensor parallelism with over-the-air all-reduce (model shares and beamformers).",
                "SSCA over the model shares; beamformers by SDR + randomization + polish every 50th channel sample",
                "and a polish warm-started from the previous sample's in between (docs/aircomp-solver.md);",
                "the result is never worse than the in-box baseline shares on the evaluation samples.",
                "Writes a tensor plan with continuous and rounded shares, E[MSE] with a 95% interval, latency per",
                "all-reduce scheme, the convergence curve and the baselines, reproducible with --seed."})
public final class OptimizeCommand implements Callable<Integer> {

    @Option(names = "--topology", required = true, paramLabel = "FILE", description = "Topology file (airshard.topology/1).")
    Path topology;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Plan file to write (airshard.plan/1).")
    Path out;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed of channel samples and randomization (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--iterations", defaultValue = "500", paramLabel = "N", description = "SSCA iteration cap (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--eval-samples", defaultValue = "64", paramLabel = "K",
            description = "Fresh channel samples on which E[MSE] of the result and baselines is measured (default ${DEFAULT-VALUE}).")
    int evalSamples;

    @Option(names = "--latency-budget-ms", paramLabel = "MS", description = "Optional compute-latency box per token, ms.")
    Double latencyBudgetMs;

    @Option(names = "--time-limit", defaultValue = "600", paramLabel = "SECONDS",
            description = "Stop SSCA after this long with the best shares so far (default ${DEFAULT-VALUE}).")
    double timeLimitS;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InputException, IOException {
        if (iterations < 1 || iterations > 1_000_000) {
            throw new InputException("--iterations", "", "must be between 1 and 1000000, got " + iterations);
        }
        if (evalSamples < 2 || evalSamples > 100_000) {
            throw new InputException("--eval-samples", "", "must be between 2 and 100000, got " + evalSamples);
        }
        if (latencyBudgetMs != null && !(latencyBudgetMs > 0)) {
            throw new InputException("--latency-budget-ms", "", "must be positive, got " + latencyBudgetMs);
        }
        if (!(timeLimitS > 0)) {
            throw new InputException("--time-limit", "", "must be positive, got " + timeLimitS);
        }
        TopologyFiles.Loaded l = TopologyFiles.load(topology);
        Topology t = l.topology();
        SscaOptions o = SscaOptions.defaults(seed).withIterations(iterations).withEvaluationSamples(evalSamples)
                .withLatencyBudgetS(latencyBudgetMs == null ? 0 : latencyBudgetMs / 1e3)
                .withTimeLimitMillis((long) (timeLimitS * 1000));
        PrintWriter err = spec.commandLine().getErr();
        int every = Math.max(1, iterations / 10);
        OptimizationReport r = AircompOptimization.run(t, l.model(), o, Cancellation.none(), p -> {
            if ((p.iteration() + 1) % every == 0) {
                err.printf(Locale.ROOT, "ssca: iteration %d, running E[MSE] %.5g, %d ms%n", p.iteration() + 1, p.runningMse(),
                        p.elapsedMillis());
                err.flush();
            }
        });
        if (r.ssca().status() == SolverStatus.INFEASIBLE || r.ssca().status() == SolverStatus.NUMERICAL) {
            throw new InputException(topology.toString(), "$.devices", "no feasible shares: " + r.ssca().note());
        }
        Plan plan = PlanBuilder.fromOptimization(r, o, t, l.model(), new Version().getVersion()[0]);
        PlanFiles.write(plan, out);
        PrintWriter w = spec.commandLine().getOut();
        w.print(summary(t, r));
        w.printf(Locale.ROOT, "plan written to %s%n", out);
        w.flush();
        return AirshardCli.EXIT_OK;
    }

    static String summary(Topology t, OptimizationReport r) {
        StringBuilder sb = new StringBuilder();
        java.util.Formatter f = new java.util.Formatter(sb, Locale.ROOT);
        f.format("AirComp tensor-parallel plan (SSCA %s after %d iterations, %d ms)%n", r.ssca().status(), r.ssca().iterations(),
                r.ssca().millis());
        f.format("  %-12s %9s %9s %10s %10s   %s%n", "device", "share", "rounded", "KV groups", "MLP cols", "bound");
        for (int i = 0; i < t.devices().size(); i++) {
            f.format("  %-12s %9.4f %9.4f %10d %10d   %s%n", t.devices().get(i).id(), r.ssca().shares()[i],
                    r.rounded().roundedShares()[i], r.rounded().kvGroups()[i], r.rounded().ffnColumns()[i],
                    r.ssca().boxes().reason().get(i));
        }
        f.format("  E[MSE] %s (continuous shares %s), %d evaluation samples%n", mse(r.mseRounded()), mse(r.mseContinuous()),
                r.mseRounded().samples());
        if (!r.ssca().note().isEmpty()) {
            f.format("  note: %s%n", r.ssca().note());
        }
        f.format("All-reduce schemes at the rounded shares:%n  %-24s %11s %12s  %s%n", "scheme", "ms/token", "all-reduce ms", "E[MSE]");
        for (OptimizationReport.SchemeResult s : r.schemes()) {
            f.format("  %-24s %11.2f %12.2f  %s%n", s.latency().scheme().displayName(), s.latency().perTokenS() * 1e3,
                    s.latency().allReduceS() * 1e3, mse(s.mse()));
        }
        f.format("Baseline shares (AirComp, same channel samples):%n");
        for (OptimizationReport.BaselineMse b : r.baselines()) {
            f.format("  %-24s %11.2f ms/token  E[MSE] %s%n", b.name(), b.latency().perTokenS() * 1e3,
                    b.mse() == null ? "infeasible (compute energy over budget)" : mse(b.mse()));
        }
        return sb.toString();
    }

    private static String mse(MseEstimate e) {
        return e == null ? "-" : String.format(Locale.ROOT, "%.4g ± %.2g", e.mean(), e.ci95());
    }
}
