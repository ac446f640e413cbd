package org.airshard.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.airshard.planner.aircomp.AircompProblem;
import org.airshard.planner.aircomp.AircompProblemIo;
import org.airshard.planner.aircomp.ShortTermOptions;
import org.airshard.planner.aircomp.ShortTermResult;
import org.airshard.planner.aircomp.ShortTermSolver;
import org.airshard.planner.io.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code airshard solve-aircomp --problem P.json --out S.json}: one short-term AirComp problem. */
@Command(name = "solve-aircomp", mixinStandardHelpOptions = true,
        description = {"Solve one short-term AirComp problem (beamformers for one channel realisation).",
                "Input format airshard.aircomp-problem/1. SDR by AirShard's own interior-point method, Gaussian",
                "randomization, polish, zero-forcing precoders. Writes",
                "airshard.aircomp-solution/1: status, sdpValue, alphaPrincipal, alphaRandomized, alpha, mse, A, B,",
                "energies, timings, fallback flag (docs/aircomp-solver.md). Feed it your own measured channels."})
public final class SolveAircompCommand implements Callable<Integer> {

    @Option(names = "--problem", required = true, paramLabel = "FILE", description = "Problem file (airshard.aircomp-problem/1).")
    Path problem;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Solution file to write (atomically).")
    Path out;

    @Option(names = "--samples", defaultValue = "1000", paramLabel = "J",
            description = "Gaussian randomization samples (default ${DEFAULT-VALUE}, as in the paper).")
    int samples;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Randomization seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-polish", description = "Skip the polish (the paper's method: SDR + randomization only).")
    boolean noPolish;

    @Option(names = "--time-limit", defaultValue = "60", paramLabel = "SECONDS",
            description = "Return the best valid design after this long (default ${DEFAULT-VALUE}).")
    double timeLimitS;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InputException, IOException {
        if (samples < 0 || samples > 1_000_000) {
            throw new InputException("--samples", "", "must be between 0 and 1000000, got " + samples);
        }
        if (!(timeLimitS > 0)) {
            throw new InputException("--time-limit", "", "must be positive, got " + timeLimitS);
        }
        AircompProblem p = AircompProblemIo.read(problem);
        ShortTermOptions o = ShortTermOptions.DEFAULT.withRandomizationSamples(samples).withSeed(seed).withPolish(!noPolish)
                .withTimeLimitMillis((long) (timeLimitS * 1000));
        ShortTermResult r = ShortTermSolver.solve(p, o);
        AircompProblemIo.write(p, r, out);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%s: SDP %s in %d iterations, value %.6g; alpha principal %.6g, randomized %.6g, final %.6g;"
                        + " MSE %.6g%s; %.1f ms%n", r.status(), r.sdpStatus(), r.sdpIterations(), r.sdpValue(), r.alphaPrincipal(),
                r.alphaRandomized(), r.alpha(), r.mse(), r.fallback() ? " (fallback: " + r.fallbackReason() + ")" : "",
                r.totalNanos() / 1e6);
        w.printf("solution written to %s%n", out);
        w.flush();
        return AirshardCli.EXIT_OK;
    }
}
