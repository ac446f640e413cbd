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
                b.add(new Paragraph(f("Expected all-reduce MSE %.4g ± %.2g (95 %%), normalised %.3g; %s.",
                        det.get("expectedMse").asDouble(), det.path("expectedMseCi95").asDouble(), det.path("normalisedMse").asDouble(),
                        describeSamples(det.path("channelSamples")))));
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
                if (det.has("baselines") && det.get("baselines").size() > 0) {
                    List<List<String>> br = new ArrayList<>();
                    double ours = det.get("expectedMse").asDouble();
                    br.add(List.of("this plan (rounded shares)", f("%.4g", ours), "1.00×"));
                    if (det.has("expectedMseContinuous")) {
                        double cont = det.get("expectedMseContinuous").asDouble();
                        br.add(List.of("continuous shares (before rounding)", f("%.4g", cont), ratio(cont, ours)));
                    }
                    for (var bl : det.get("baselines")) {
                        double v = bl.path("expectedMse").asDouble(Double.NaN);
                        br.add(List.of(bl.path("name").asText(), f("%.4g", v), ratio(v, ours)));
                    }
                    b.add(new Paragraph("AirComp E[MSE] of this plan's shares against the share baselines, on the same evaluation"
                            + " channel samples (the optimizer's objective; larger ratios mean the baseline is worse):"));
                    b.add(new Table(List.of("shares", "E[MSE]", "baseline ÷ this plan"), br));
                }
            }
            ReportBeamformers bf = null;
            String bfProblem = null;
            try {
                bf = ReportBeamformers.of(p, d.topology(), d.model());
            } catch (org.airshard.planner.io.InputException e) {
                bfProblem = e.getMessage();
            }
            if (bfProblem != null) {
                b.add(new Paragraph("Beamformer summary not available: " + bfProblem));
            }
            if (bf != null) {
                b.add(new Paragraph(f("Beamformers: the short-term design (SDR, 100 randomisations, polish) re-solved at the rounded shares on"
                        + " the first %d evaluation channel samples (plans store the samples' seeds, not the matrices).",
                        bf.realisations().size())));
                List<List<String>> rr = new ArrayList<>();
                for (ReportBeamformers.Realisation r : bf.realisations()) {
                    rr.add(List.of(String.valueOf(r.index() + 1), r.status().toLowerCase(Locale.ROOT), f("%.4g", r.alpha()), f("%.4g", r.mse()),
                            r.binding().isEmpty() ? "-" : r.binding(), f("%.3g", r.aFrobenius())));
                }
                b.add(new Table(List.of("sample", "status", "α", "MSE σ²α", "budget binds on", "‖A‖_F"), rr));
                List<List<String>> dr = new ArrayList<>();
                for (ReportBeamformers.DeviceRow r : bf.devices()) {
                    dr.add(List.of(r.device(), f("%.4f", r.share()), f("%.3g", r.radioJPerAllReduce()), f("%.3g", r.allowanceJPerAllReduce()),
                            r.allowanceJPerAllReduce() > 0 ? f("%.0f %%", 100 * r.radioJPerAllReduce() / r.allowanceJPerAllReduce()) : "-",
                            f("%.3g", r.bFrobenius()), r.bindingCount() + "/" + bf.realisations().size()));
                }
                b.add(new Table(List.of("device", "m_n rounded", "radio J / all-reduce", "allowance J", "used", "mean ‖B_n‖_F", "binds"), dr));
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
            Map<String, Double> counters = d.trace().lastCounters();
            Double measured = counters.get(MSE_MEASURED);
            Double predicted = counters.get(MSE_PREDICTED);
            if (measured != null && predicted != null) {
                b.add(new Paragraph(f("Emulated AirComp all-reduce: measured MSE %.4g against the predicted σ²α %.4g over the same channel"
                        + " uses (measured ÷ predicted %.3f).", measured, predicted, measured / predicted)));
            }
        }
        b.add(new Paragraph("Predictions come from the models in docs/model.md; synthetic-model runs generate meaningless text."));
        return c;
    }

    /** Trace counter names written by distributed runs (executor {@code DistributedRun}). */
    static final String MSE_MEASURED = "all-reduce MSE (measured)";
    static final String MSE_PREDICTED = "all-reduce MSE (predicted)";

    private static String ratio(double baseline, double ours) {
        return Double.isFinite(baseline) && ours > 0 ? f("%.2f×", baseline / ours) : "-";
    }

    /** The plan's {@code channelSamples} object in words. */
    static String describeSamples(com.fasterxml.jackson.databind.JsonNode cs) {
        if (cs == null || cs.isMissingNode() || cs.isNull()) {
            return "channel samples not recorded";
        }
        if (cs.path("measured").asBoolean(false)) {
            return f("the topology's measured channels (%d training, %d evaluation uses)", cs.path("trainingSamples").asInt(),
                    cs.path("evaluationSamples").asInt());
        }
        return f("%d training samples (seed %d) and %d evaluation samples (seed %d) drawn from the topology's channel model",
                cs.path("trainingSamples").asInt(), cs.path("trainingSeed").asLong(), cs.path("evaluationSamples").asInt(),
                cs.path("evaluationSeed").asLong());
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
