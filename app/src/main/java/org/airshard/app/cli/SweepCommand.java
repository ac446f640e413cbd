package org.airshard.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.airshard.app.report.SweepChart;
import org.airshard.planner.io.InputException;
import org.airshard.planner.json.Json;
import org.airshard.planner.solver.Cancellation;
import org.airshard.planner.sweep.PaperSweeps;
import org.airshard.planner.sweep.SweepTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code airshard sweep devices|power|latency|all --out DIR}: the AirComp paper's figures, re-computed. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Re-compute the AirComp paper's figures (CSV and PNG).",
                "On the paper's setting (N_r = 20, N_t = 4):",
                "devices: E[MSE] vs number of devices (AirComp / digital 8-bit OFDMA / uncoded FDMA);",
                "power: E[MSE] vs device transmit power; latency: ms per token vs devices for",
                "LLaMA2-7B/13B/70B and LLaMA3-70B. Writes NAME.csv and NAME.png into DIR."})
public final class SweepCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "devices, power, latency or all")
    String name;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--samples-dir", defaultValue = "sample-topologies", paramLabel = "DIR",
            description = "Folder with aircomp-paper-*dev.json (default ${DEFAULT-VALUE}).")
    Path samplesDir;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--eval-samples", defaultValue = "32", paramLabel = "K", description = "Channel samples per point (default ${DEFAULT-VALUE}).")
    int evalSamples;

    @Option(names = "--iterations", defaultValue = "100", paramLabel = "N", description = "SSCA iterations per point (default ${DEFAULT-VALUE}).")
    int iterations;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InputException, IOException {
        List<String> names = name.equals("all") ? PaperSweeps.NAMES : List.of(name);
        if (!PaperSweeps.NAMES.containsAll(names)) {
            throw new InputException("NAME", "", "unknown sweep '" + name + "' (known: " + String.join(", ", PaperSweeps.NAMES) + ", all)");
        }
        if (evalSamples < 2 || iterations < 1) {
            throw new InputException("--eval-samples", "", "need at least 2 samples and 1 iteration");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InputException(out.toString(), "", "exists and is not a directory");
        }
        Path dir = samplesDir.resolve("aircomp-paper-4dev.json");
        if (!Files.exists(dir)) {
            throw new InputException(samplesDir.toString(), "", "no aircomp-paper-4dev.json here; run from the AirShard folder or pass --samples-dir");
        }
        System.setProperty("java.awt.headless", "true");
        PaperSweeps sweeps = new PaperSweeps(samplesDir, seed, evalSamples, iterations);
        PrintWriter w = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String n : names) {
            long t0 = System.nanoTime();
            SweepTable t = sweeps.run(n, Cancellation.none());
            Json.writeAtomically(out.resolve(n + ".csv"), t.toCsv());
            SweepChart.writePng(t, out.resolve(n + ".png"), 900, 560);
            err.printf(Locale.ROOT, "sweep %s: %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            err.flush();
            w.print(t.toCsv());
            w.printf(Locale.ROOT, "wrote %s and %s%n%n", out.resolve(n + ".csv"), out.resolve(n + ".png"));
            w.flush();
        }
        return AirshardCli.EXIT_OK;
    }
}
