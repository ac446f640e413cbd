package org.airshard.app.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.airshard.planner.channel.LinkBudget;
import org.airshard.planner.plan.Plan;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.DigitalLink;
import org.airshard.planner.topology.Position;
import org.airshard.planner.topology.Topology;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's pictures, drawn headless with Java2D and JFreeChart. */
public final class ReportPictures {

    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
            new Color(0x17becf)};

    private ReportPictures() {
    }

    static BufferedImage image(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    /** SNR colour: red (≤ 0 dB) through yellow to green (≥ 40 dB). */
    static Color snrColor(double db) {
        double t = Math.max(0, Math.min(1, db / 40));
        return t < 0.5 ? new Color(220, (int) (60 + 340 * t), 40) : new Color((int) (220 - 360 * (t - 0.5)), 200, 40);
    }

    /** The floor plan: server, devices, channels coloured by uplink SNR, digital links, and what each device holds. */
    public static BufferedImage topology(Topology t, Plan plan) {
        int w = 900, h = 560, pad = 70;
        BufferedImage img = image(w, h);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        double minX = t.server().position().xM(), maxX = minX, minY = t.server().position().yM(), maxY = minY;
        for (Device d : t.devices()) {
            minX = Math.min(minX, d.position().xM());
            maxX = Math.max(maxX, d.position().xM());
            minY = Math.min(minY, d.position().yM());
            maxY = Math.max(maxY, d.position().yM());
        }
        double span = Math.max(1e-6, Math.max(maxX - minX, maxY - minY));
        double scale = Math.min((w - 2.0 * pad) / span, (h - 2.0 * pad - 30) / span);
        double cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
        java.util.function.Function<Position, int[]> at = p -> new int[] {(int) (w / 2.0 + (p.xM() - cx) * scale),
                (int) ((h - 30) / 2.0 - (p.yM() - cy) * scale)};
        Map<String, String> holds = holdings(plan);
        int[] s = at.apply(t.server().position());
        g.setStroke(new BasicStroke(2.5f));
        for (Device d : t.devices()) {
            int[] p = at.apply(d.position());
            g.setColor(snrColor(LinkBudget.uplinkSnrDb(t, d)));
            g.drawLine(s[0], s[1], p[0], p[1]);
        }
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1, new float[] {6, 5}, 0));
        g.setColor(new Color(90, 90, 90));
        for (DigitalLink l : t.links()) {
            Position a = position(t, l.from()), b = position(t, l.to());
            if (a != null && b != null) {
                int[] pa = at.apply(a), pb = at.apply(b);
                g.drawLine(pa[0], pa[1], pb[0], pb[1]);
            }
        }
        g.setStroke(new BasicStroke(1.5f));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(new Color(40, 40, 40));
        g.fillRect(s[0] - 14, s[1] - 14, 28, 28);
        g.drawString(t.server().name() + " (N_r = " + t.server().antennas() + ")", s[0] + 18, s[1] + 5);
        int i = 0;
        for (Device d : t.devices()) {
            int[] p = at.apply(d.position());
            String held = holds.get(d.id());
            g.setColor(held == null || held.isEmpty() ? new Color(180, 180, 180) : PALETTE[i % PALETTE.length]);
            g.fillOval(p[0] - 12, p[1] - 12, 24, 24);
            g.setColor(new Color(30, 30, 30));
            g.drawOval(p[0] - 12, p[1] - 12, 24, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            g.drawString(d.id(), p[0] + 15, p[1] - 2);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(held == null ? "not used" : held, p[0] + 15, p[1] + 12);
            i++;
        }
        // legend
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int lx = 20, ly = h - 22;
        g.setColor(Color.DARK_GRAY);
        g.drawString("uplink SNR:", lx, ly + 4);
        for (int k = 0; k <= 4; k++) {
            g.setColor(snrColor(k * 10));
            g.fillRect(lx + 75 + k * 60, ly - 6, 20, 10);
            g.setColor(Color.DARK_GRAY);
            g.drawString(k * 10 + " dB", lx + 98 + k * 60, ly + 4);
        }
        g.drawString("dashed: digital links", lx + 400, ly + 4);
        g.dispose();
        return img;
    }

    private static Position position(Topology t, String id) {
        if (t.server().id().equals(id)) {
            return t.server().position();
        }
        return t.device(id).map(Device::position).orElse(null);
    }

    /** Per device, a short description of what the plan puts on it. */
    static Map<String, String> holdings(Plan p) {
        Map<String, String> out = new HashMap<>();
        if (p.pipeline() != null) {
            List<Plan.Stage> st = p.pipeline().stages();
            for (int k = 0; k < st.size(); k++) {
                Plan.Stage s = st.get(k);
                String r = s.layerCount() == 0 ? "no layers" : "layers " + s.layerStart() + "–" + (s.layerEnd() - 1);
                out.put(s.device(), r + (k == 0 ? " + embedding, head" : ""));
            }
        }
        if (p.tensor() != null) {
            for (Plan.Share s : p.tensor().shares()) {
                out.put(s.device(), String.format(Locale.ROOT, "m = %.3f (%d KV groups, %d MLP cols)", s.share(), s.kvGroups(),
                        s.ffnColumns()));
            }
        }
        return out;
    }

    /** Bar chart of tokens/s: the plan against its baselines. */
    public static JFreeChart baselines(Plan p, Plan.Predicted pred) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        data.addValue(pred.tokensPerSecond(), "tokens/s", "this plan");
        for (Plan.BaselineSummary b : p.baselines()) {
            if (b.fits()) {
                data.addValue(b.tokensPerSecond(), "tokens/s", b.name());
            }
        }
        JFreeChart c = ChartFactory.createBarChart("Predicted tokens/s against baselines", "", "tokens/s", data,
                PlotOrientation.HORIZONTAL, false, false, false);
        style(c.getCategoryPlot());
        return c;
    }

    /** Running E[MSE] per SSCA iteration (tensor plans from {@code optimize}). */
    public static JFreeChart convergence(Plan p) {
        XYSeries s = new XYSeries("running E[MSE]");
        var conv = p.tensor() == null || p.tensor().details() == null ? null : p.tensor().details().get("convergence");
        if (conv != null) {
            for (var e : conv) {
                s.add(e.path("iteration").asDouble(), e.path("runningMse").asDouble());
            }
        }
        JFreeChart c = ChartFactory.createXYLineChart("SSCA convergence", "iteration", "running E[MSE]",
                new XYSeriesCollection(s), PlotOrientation.VERTICAL, false, false, false);
        c.getXYPlot().setBackgroundPaint(Color.WHITE);
        c.getXYPlot().setRangeGridlinePaint(new Color(220, 220, 220));
        return c;
    }

    /** Per-device memory needed vs usable. */
    public static JFreeChart memory(Plan.Predicted pred, Topology t) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Plan.DevicePrediction d : pred.perDevice()) {
            data.addValue(d.memoryBytes() / (1 << 30), "needed", d.device());
            t.device(d.device()).ifPresent(dev -> data.addValue(dev.memoryBytes() * (1 - t.settings().memoryHeadroomFraction())
                    / (1 << 30), "usable", d.device()));
        }
        JFreeChart c = ChartFactory.createBarChart("Memory per board", "", "GiB", data, PlotOrientation.VERTICAL, true, false, false);
        style(c.getCategoryPlot());
        return c;
    }

    private static void style(CategoryPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
    }

    /** The run's timeline: one pair of lanes (compute, communication) per board, spans coloured by sequence. */
    public static BufferedImage timeline(TraceEvents trace) {
        int w = 1000, laneH = 16, left = 150, top = 40;
        List<String> boards = List.copyOf(trace.boards().values());
        int h = top + boards.size() * (2 * laneH + 14) + 40;
        BufferedImage img = image(w, h);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        double t0 = trace.spans().stream().mapToDouble(TraceEvents.Span::startUs).min().orElse(0);
        double t1 = trace.spans().stream().mapToDouble(s -> s.startUs() + s.durUs()).max().orElse(1);
        double scale = (w - left - 20) / Math.max(1, t1 - t0);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format(Locale.ROOT, "Run timeline (%.1f ms, %d spans)", (t1 - t0) / 1e3, trace.spans().size()), 10, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int b = 0; b < boards.size(); b++) {
            int y = top + b * (2 * laneH + 14);
            g.setColor(Color.DARK_GRAY);
            g.drawString(boards.get(b), 10, y + laneH);
            g.drawString("compute", 95, y + 12);
            g.drawString("comm", 95, y + laneH + 12);
            g.setColor(new Color(245, 245, 245));
            g.fillRect(left, y, w - left - 20, 2 * laneH);
        }
        for (TraceEvents.Span s : trace.spans()) {
            int b = boards.indexOf(s.board());
            int y = top + b * (2 * laneH + 14) + (s.lane().equals("compute") ? 0 : laneH);
            int x = left + (int) ((s.startUs() - t0) * scale);
            int wd = Math.max(1, (int) (s.durUs() * scale));
            g.setColor(s.sequence() < 0 ? Color.GRAY : PALETTE[s.sequence() % PALETTE.length]);
            g.fillRect(x, y + 2, wd, laneH - 4);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString("colour = sequence; time runs left to right", left, h - 12);
        g.dispose();
        return img;
    }

    /** PNG bytes of an image. */
    public static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
