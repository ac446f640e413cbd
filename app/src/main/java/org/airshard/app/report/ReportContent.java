package org.airshard.app.report;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.airshard.planner.plan.Plan;
import org.airshard.planner.topology.Units;
import org.airshard.planner.topology.ValidationIssue;
import org.jfree.chart.JFreeChart;

/**
 * The report as renderer-neutral blocks (headings, paragraphs, tables, pictures), built once from
 * {@link ReportData} and rendered by {@link HtmlReport} and {@link PdfReport}.
 */
public final class ReportContent {

    /** A block of the report. */
    public sealed interface Block permits Heading, Paragraph, Table, Picture {
    }

    public record Heading(String text) implements Block {
    }

    public record Paragraph(String text) implements Block {
    }

    public record Table(List<String> header, List<List<String>> rows) implements Block {
    }

    public record Picture(BufferedImage image, String caption) implements Block {
    }

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    private ReportContent(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    public List<Block> blocks() {
        return blocks;
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    public static ReportContent build(ReportData d) {
        Plan p = d.plan();
        ReportContent c = new ReportContent("AirShard report: " + p.mode().id() + " plan for " + p.topology().name());
        List<Block> b = c.blocks;
        String tool = p.provenance() == null ? "" : p.provenance().tool() + ", created " + p.provenance().createdAt();
        b.add(new Paragraph(f("Model %s (%d layers). %s", p.modelId(), p.layers(), tool)));
        Plan.Predicted pred = d.predicted();
        if (d.check() != null) {
            List<ValidationIssue> errs = d.check().report().errors();
            b.add(new Paragraph(errs.isEmpty() ? "The plan is legal for the topology (re-checked for this report)."
                    : "The plan is NOT legal for the topology: " + errs.size() + " error(s): " + errs.get(0).message()));
        }
        if (d.topology() != null) {
            b.add(new Heading("Topology"));
            b.add(new Picture(ReportPictures.topology(d.topology(), p), "Floor plan: channels coloured by average uplink SNR;"
                    + " each board labelled with what the plan puts on it."));
        }
        b.add(new Heading("Plan"));
        if (p.pipeline() != null) {
            List<List<String>> rows = new ArrayList<>();
            for (int k = 0; k < p.pipeline().stages().size(); k++) {
                Plan.Stage s = p.pipeline().stages().get(k);
                rows.add(List.of(String.valueOf(k + 1), s.device(), s.layerCount() == 0 ? "-" : s.layerStart() + "–" + (s.layerEnd() - 1),
                        String.valueOf(s.layerCount()), k == 0 ? "starter: embedding, final norm, head, sampling" : ""));
            }
            b.add(new Paragraph(f("Pipeline ring with recurrent pipelining of S = %d sequences.", p.pipeline().sequences())));
            b.add(new Table(List.of("#", "board", "layers", "count", "role"), rows));
        }
        if (p.tensor() != null) {
            List<List<String>> rows = new ArrayList<>();
            for (Plan.Share s : p.tensor().shares()) {
                rows.add(List.of(s.device(), f("%.4f", s.share()), String.valueOf(s.kvGroups()), String.valueOf(s.ffnColumns())));
            }
            b.add(new Paragraph(f("Tensor parallelism, aggregator %s, L = %d streams per channel use.", p.tensor().aggregator(),
                    p.tensor().streams())));
            b.add(new Table(List.of("board", "share m_n", "KV groups", "MLP columns"), rows));
            var det = p.tensor().details();
            if (det != null && det.has("expectedMse")) {
                b.add(new Paragraph(f("Expected all-reduce MSE %.4g ± %.2g (95 %%), normalised %.3g; channel samples: %s.",
                        det.get("expectedMse").asDouble(), det.path("expectedMseCi95").asDouble(), det.path("normalisedMse").asDouble(),
                        det.path("channelSamples").toString())));
                if (det.has("schemes")) {
                    List<List<String>> sr = new ArrayList<>();
                    for (var s : det.get("schemes")) {
                        sr.add(List.of(s.path("scheme").asText(), f("%.2f", s.path("msPerToken").asDouble()),
                                f("%.2f", s.path("allReduceMs").asDouble()), f("%.4g", s.path("expectedMse").asDouble())));
                    }
                    b.add(new Table(List.of("all-reduce scheme", "ms / token", "all-reduce ms", "E[MSE]"), sr));
                }
                if (det.has("convergence") && det.get("convergence").size() > 1) {
                    b.add(new Picture(ReportCharts.render(ReportPictures.convergence(p), 900, 380), "Running E[MSE] per SSCA iteration."));
                }
            }
        }
        if (pred != null) {
            b.add(new Heading("Predictions"));
            b.add(new Paragraph(f("%.2f tokens/s; %.2f ms per token of one sequence%s.", pred.tokensPerSecond(), pred.msPerToken(),
                    pred.mse() == null ? "" : f("; all-reduce MSE %.4g", pred.mse()))));
            List<List<String>> rows = new ArrayList<>();
            for (Plan.DevicePrediction dp : pred.perDevice()) {
                rows.add(List.of(dp.device(), Units.formatBytes(dp.memoryBytes()), f("%.3f", dp.computeMs()), f("%.3f", dp.hopMs())));
            }
            b.add(new Table(List.of("board", "memory", "compute ms / token", "hop ms"), rows));
            if (d.topology() != null && !pred.perDevice().isEmpty()) {
                b.add(new Picture(ReportCharts.render(ReportPictures.memory(pred, d.topology()), 900, 360), "Memory needed against usable memory."));
            }
        }
        if (!p.baselines().isEmpty()) {
            b.add(new Heading("Baselines"));
            List<List<String>> rows = new ArrayList<>();
            for (Plan.BaselineSummary bs : p.baselines()) {
                rows.add(List.of(bs.name(), bs.fits() ? f("%.2f", bs.tokensPerSecond()) : "does not fit",
                        pred != null && bs.fits() && bs.tokensPerSecond() > 0 ? f("%.2f×", pred.tokensPerSecond() / bs.tokensPerSecond()) : "",
                        bs.note()));
            }
            b.add(new Table(List.of("baseline", "tokens/s", "this plan vs it", "note"), rows));
            if (pred != null) {
                b.add(new Picture(ReportCharts.render(ReportPictures.baselines(p, pred), 900, 320), "Predicted tokens/s."));
            }
        }
        if (d.trace() != null) {
            b.add(new Heading("Measured run"));
            b.add(new Picture(ReportPictures.timeline(d.trace()), "Per-board timeline of the run (from its Chrome trace)."));
            List<List<String>> rows = new ArrayList<>();
            for (Map.Entry<String, double[]> e : d.trace().busyMs().entrySet()) {
                rows.add(List.of(e.getKey(), f("%.1f", e.getValue()[0]), f("%.1f", e.getValue()[1])));
            }
            b.add(new Table(List.of("board", "compute ms", "communication ms"), rows));
        }
        b.add(new Paragraph("Predictions come from the models in docs/model.md; synthetic-model runs generate meaningless text."));
        return c;
    }

    /** Helper to render charts. */
    static final class ReportCharts {
        private ReportCharts() {
        }

        static BufferedImage render(JFreeChart chart, int w, int h) {
            return chart.createBufferedImage(w, h);
        }
    }
}
