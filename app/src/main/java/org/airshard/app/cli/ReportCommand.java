package org.airshard.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.airshard.app.report.HtmlReport;
import org.airshard.app.report.PdfReport;
import org.airshard.app.report.ReportContent;
import org.airshard.app.report.ReportData;
import org.airshard.planner.io.InputException;
import org.airshard.planner.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code airshard report --plan P.json [--trace T.json] [--topology T.json] --format html|pdf|csv|trace --out FILE}. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Export a report: HTML, PDF, per-token CSV or the run's Chrome trace.",
                "A self-contained HTML page or a PDF with the",
                "topology picture, the plan, predictions, baselines and charts; csv: per-token per-board timings of the",
                "trace; trace: the run's Chrome trace JSON (opens in ui.perfetto.dev)."})
public final class ReportCommand implements Callable<Integer> {

    /** Output formats. */
    public enum Format { html, pdf, csv, trace }

    @Option(names = "--plan", required = true, paramLabel = "FILE", description = "Plan (airshard.plan/1).")
    Path plan;

    @Option(names = "--topology", paramLabel = "FILE", description = "Topology, to re-check the plan and draw the floor plan.")
    Path topology;

    @Option(names = "--trace", paramLabel = "FILE", description = "Chrome trace of a run (from airshard run --trace).")
    Path trace;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "html, pdf, csv or trace.")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file (written atomically).")
    Path out;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InputException, IOException {
        if ((format == Format.csv || format == Format.trace) && trace == null) {
            throw new InputException("--trace", "", "format " + format + " needs the run's trace (--trace FILE)");
        }
        System.setProperty("java.awt.headless", "true");
        ReportData data = ReportData.load(plan, topology, trace);
        byte[] bytes = switch (format) {
            case html -> HtmlReport.render(ReportContent.build(data)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            case pdf -> PdfReport.render(ReportContent.build(data));
            case csv -> data.trace().toCsv().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            case trace -> Files.readAllBytes(trace);
        };
        Json.writeAtomically(out, bytes);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("wrote %s report to %s (%d bytes)%n", format, out, bytes.length);
        w.flush();
        return AirshardCli.EXIT_OK;
    }
}
