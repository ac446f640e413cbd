package org.airshard.app.report;

import static org.airshard.app.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    static final Path SAMPLES = Path.of("..", "sample-topologies");

    static final String TRACE = """
            {"traceEvents":[
             {"ph":"M","pid":1,"tid":0,"name":"process_name","args":{"name":"laptop"}},
             {"ph":"M","pid":2,"tid":0,"name":"process_name","args":{"name":"orin"}},
             {"ph":"X","name":"compute","cat":"compute","pid":1,"tid":1,"ts":0,"dur":900,"args":{"seq":0,"token":0}},
             {"ph":"X","name":"send","cat":"comm","pid":1,"tid":2,"ts":900,"dur":50,"args":{"seq":0,"token":0}},
             {"ph":"X","name":"compute","cat":"compute","pid":2,"tid":1,"ts":960,"dur":800,"args":{"seq":0,"token":0}},
             {"ph":"X","name":"compute","cat":"compute","pid":1,"tid":1,"ts":950,"dur":900,"args":{"seq":1,"token":0}}
            ]}""";

    @Test
    void pdfHtmlCsvAndTraceExports(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.json");
        String topo = SAMPLES.resolve("home-lab.json").toString();
        assertEquals(0, run("partition", "--topology", topo, "--out", plan.toString()).code());
        Path trace = dir.resolve("trace.json");
        Files.writeString(trace, TRACE);

        Path pdf = dir.resolve("r.pdf");
        var r = run("report", "--plan", plan.toString(), "--topology", topo, "--trace", trace.toString(), "--format", "pdf",
                "--out", pdf.toString());
        assertEquals(0, r.code(), r.err());
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            assertTrue(doc.getNumberOfPages() >= 2);
            String text = new PDFTextStripper().getText(doc);
            assertTrue(text.contains("pipeline plan for Home lab"), text);
            assertTrue(text.contains("mdi-llm-table"), text);
            assertTrue(text.contains("Measured run"), text);
        }

        Path html = dir.resolve("r.html");
        assertEquals(0, run("report", "--plan", plan.toString(), "--topology", topo, "--format", "html", "--out", html.toString()).code());
        String h = Files.readString(html);
        assertTrue(h.startsWith("<!DOCTYPE html>") && h.contains("data:image/png;base64,"));
        assertTrue(!h.contains("src=\"http"), "self-contained");
        assertEquals(null, TraceFormatCheck.htmlProblem(h), "the page parses as XML");

        Path chrome = dir.resolve("r.trace.json");
        assertEquals(0, run("report", "--plan", plan.toString(), "--trace", trace.toString(), "--format", "trace", "--out",
                chrome.toString()).code());
        assertEquals(java.util.List.of(), TraceFormatCheck.trace(org.airshard.planner.json.Json.parse("t", Files.readAllBytes(chrome))));

        Path csv = dir.resolve("r.csv");
        assertEquals(0, run("report", "--plan", plan.toString(), "--trace", trace.toString(), "--format", "csv", "--out", csv.toString()).code());
        var lines = Files.readAllLines(csv);
        assertEquals("board,lane,name,sequence,token,start_us,duration_us", lines.get(0));
        assertEquals(5, lines.size());
        assertTrue(lines.get(1).startsWith("laptop,compute,compute,0,0,0.0,900.0"), lines.get(1));

        var missing = run("report", "--plan", plan.toString(), "--format", "csv", "--out", dir.resolve("x.csv").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("needs the run's trace"), missing.err());
        assertTrue(Files.notExists(dir.resolve("x.csv")));
    }

    @Test
    void tensorPlanReportSummarisesBeamformersAndMeasuredMse(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.json");
        Path topo = SAMPLES.resolve("aircomp-energy-limited.json");
        var opt = run("optimize", "--topology", topo.toString(), "--out", plan.toString(), "--iterations", "8", "--eval-samples", "8",
                "--seed", "3");
        assertEquals(0, opt.code(), opt.err());

        ReportData data = ReportData.load(plan, topo, null);
        ReportBeamformers bf = ReportBeamformers.of(data.plan(), data.topology(), data.model());
        assertEquals(ReportBeamformers.REALISATIONS, bf.realisations().size());
        assertEquals(data.topology().devices().size(), bf.devices().size());
        for (ReportBeamformers.DeviceRow r : bf.devices()) {
            assertTrue(r.radioJPerAllReduce() > 0, r.toString());
            assertTrue(r.radioJPerAllReduce() <= r.allowanceJPerAllReduce() * (1 + 1e-6), "budget kept: " + r);
        }
        int binds = bf.devices().stream().mapToInt(ReportBeamformers.DeviceRow::bindingCount).sum();
        assertEquals(ReportBeamformers.REALISATIONS, binds, "one binding device per realisation");
        for (ReportBeamformers.Realisation r : bf.realisations()) {
            assertTrue(r.alpha() > 0 && r.mse() > 0, r.toString());
        }

        Path trace = dir.resolve("trace.json");
        Files.writeString(trace, """
                {"traceEvents":[
                 {"ph":"M","pid":1,"tid":0,"name":"process_name","args":{"name":"coordinator"}},
                 {"ph":"X","name":"compute","cat":"compute","pid":1,"tid":1,"ts":0,"dur":900,"args":{"seq":0,"token":0}},
                 {"ph":"C","name":"all-reduce MSE (measured)","pid":1,"ts":10,"args":{"value":0.5}},
                 {"ph":"C","name":"all-reduce MSE (measured)","pid":1,"ts":20,"args":{"value":0.0021}},
                 {"ph":"C","name":"all-reduce MSE (predicted)","pid":1,"ts":20,"args":{"value":0.002}}
                ]}""");
        assertEquals(0.0021, TraceEvents.read(trace).lastCounters().get("all-reduce MSE (measured)"), 0);
        Path pdf = dir.resolve("r.pdf");
        var r = run("report", "--plan", plan.toString(), "--topology", topo.toString(), "--trace", trace.toString(), "--format", "pdf",
                "--out", pdf.toString());
        assertEquals(0, r.code(), r.err());
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            String text = new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
            assertTrue(text.contains("Beamformers: the short-term design"), text);
            assertTrue(text.contains("budget binds on"), text);
            assertTrue(text.contains("baseline ÷ this plan"), text);
            assertTrue(text.contains("evaluation samples (seed"), text);
            assertTrue(text.contains("measured MSE 0.002100 against the predicted"), text);
            assertTrue(text.contains("1.050"), "measured ÷ predicted: " + text);
        }
    }
}
