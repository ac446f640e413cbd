package org.airshard.app.gui.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import javafx.util.Duration;
import org.airshard.executor.board.RunListener;

/**
 * The live pipeline timeline: one lane per process (coordinator, then boards in plan order) with a compute
 * and a communication sub-lane, spans coloured by sequence, lost boards marked in red, re-plans as a dashed
 * purple line, tokens/s over time underneath. Redraws only when the snapshot changes (the run view's timer) or the view moves: never once
 * per event. Wheel zooms around the pointer, drag pans (and leaves follow-live), double-click fits; hover
 * shows the span under the pointer.
 */
public final class TimelineView extends Pane {

    static final double LABEL_W = 262;
    static final double AXIS_H = 20;
    static final double MIN_SUBLANE_H = 11;
    static final double MAX_SUBLANE_H = 26;
    private double sublaneH = 13;
    static final double LANE_GAP = 7;
    static final double CHART_H = 70;
    /** Hop arrows are drawn only when at most this many (and one per 12 px) are visible. */
    static final int MAX_ARROWS = 150;
    /** Sequence colours (Okabe-Ito, colour-blind safe), cycled. */
    static final Color[] SEQUENCE_COLOURS = {
        Color.web("#0072B2"), Color.web("#E69F00"), Color.web("#009E73"), Color.web("#CC79A7"),
        Color.web("#56B4E9"), Color.web("#D55E00"), Color.web("#F0E442"), Color.web("#000000")};

    private final Canvas canvas = new Canvas();
    private final BooleanProperty followLive = new SimpleBooleanProperty(this, "followLive", true);
    private final ReadOnlyStringWrapper hover = new ReadOnlyStringWrapper(this, "hover", "");
    private final Tooltip tip = new Tooltip();
    private TimelineModel.Snapshot snap;
    private boolean live;
    private double viewStartUs;
    private double viewSpanUs = 2_000_000;
    private double dragX = Double.NaN;
    private double dragStart;
    private final List<int[]> laneRows = new ArrayList<>(); // [laneKey, y]

    public TimelineView() {
        getChildren().add(canvas);
        getStyleClass().add("run-timeline");
        setId("run-timeline");
        setMinSize(200, 150);
        widthProperty().addListener((o, a, b) -> redraw());
        heightProperty().addListener((o, a, b) -> redraw());
        followLive.addListener((o, a, b) -> redraw());
        tip.setShowDelay(Duration.millis(100));
        Tooltip.install(this, tip);
        setOnScroll(this::onScroll);
        setOnMousePressed(e -> {
            dragX = e.getX();
            dragStart = viewStartUs;
        });
        setOnMouseDragged(e -> {
            if (!Double.isNaN(dragX)) {
                followLive.set(false);
                viewStartUs = dragStart - (e.getX() - dragX) * usPerPx();
                redraw();
            }
        });
        setOnMouseReleased(e -> dragX = Double.NaN);
        setOnMouseMoved(this::onHover);
        setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                fit();
            }
        });
    }

    public BooleanProperty followLiveProperty() {
        return followLive;
    }

    /** Text of the span under the pointer ("" when none). */
    public ReadOnlyStringProperty hoverTextProperty() {
        return hover.getReadOnlyProperty();
    }

    /** While a run is live the busy board's lane is highlighted. */
    public void setLive(boolean on) {
        live = on;
        redraw();
    }

    public void setSnapshot(TimelineModel.Snapshot s) {
        snap = s;
        redraw();
    }

    /** Shows the whole run. */
    public void fit() {
        if (snap != null && snap.endUs() > 0) {
            followLive.set(false);
            viewStartUs = 0;
            viewSpanUs = Math.max(1_000, snap.endUs() * 1.02);
            redraw();
        }
    }

    public void zoom(double factor) {
        double centre = viewStartUs + viewSpanUs / 2;
        viewSpanUs = clampSpan(viewSpanUs * factor);
        viewStartUs = centre - viewSpanUs / 2;
        redraw();
    }

    /** Visible time window, µs: {start, span}. */
    public double[] window() {
        return new double[] {viewStartUs, viewSpanUs};
    }

    private static double clampSpan(double s) {
        return Math.max(200, Math.min(3_600e6, s));
    }

    private double plotW() {
        return Math.max(10, getWidth() - LABEL_W - 8);
    }

    private double usPerPx() {
        return viewSpanUs / plotW();
    }

    private double x(double us) {
        return LABEL_W + (us - viewStartUs) / usPerPx();
    }

    private void onScroll(ScrollEvent e) {
        if (e.getDeltaY() == 0) {
            return;
        }
        double f = e.getDeltaY() > 0 ? 0.8 : 1.25;
        double at = viewStartUs + (Math.max(LABEL_W, e.getX()) - LABEL_W) * usPerPx();
        double frac = (at - viewStartUs) / viewSpanUs;
        viewSpanUs = clampSpan(viewSpanUs * f);
        if (!followLive.get()) {
            viewStartUs = at - frac * viewSpanUs;
        }
        redraw();
        e.consume();
    }

    private void onHover(MouseEvent e) {
        String text = "";
        if (snap != null && e.getX() > LABEL_W) {
            double at = viewStartUs + (e.getX() - LABEL_W) * usPerPx();
            for (int[] row : laneRows) {
                if (e.getY() >= row[1] && e.getY() < row[1] + sublaneH) {
                    TimelineModel.Span s = snap.spanAt(row[0], (long) at, (long) (3 * usPerPx()));
                    if (s != null) {
                        text = describe(s, snap.processes().get(s.pid()));
                    }
                }
            }
        }
        hover.set(text);
        tip.setText(text.isEmpty() ? "Wheel: zoom \u00b7 drag: pan \u00b7 double-click: whole run" : text);
    }

    static String describe(TimelineModel.Span s, String process) {
        return String.format(Locale.ROOT, "%s \u2014 %s%s%s%nstart %.3f ms, %.3f ms", process, s.name(),
                s.sequence() >= 0 ? ", sequence " + s.sequence() : "", s.position() >= 0 ? ", position " + s.position() : "",
                s.startUs() / 1e3, s.durUs() / 1e3);
    }

    /** Draws the current snapshot. */
    public void redraw() {
        double w = getWidth(), h = getHeight();
        if (canvas.getWidth() != w) {
            canvas.setWidth(w);
        }
        if (canvas.getHeight() != h) {
            canvas.setHeight(h);
        }
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, w, h); // a full clear lets JavaFX drop the queued commands of earlier frames
        g.setFill(Color.web("#fbfbfd"));
        g.fillRect(0, 0, w, h);
        laneRows.clear();
        g.setFont(Font.font(11));
        g.setTextBaseline(VPos.CENTER);
        if (snap == null || snap.processes().isEmpty()) {
            g.setFill(Color.GRAY);
            g.setTextAlign(TextAlignment.CENTER);
            g.fillText("The timeline fills when a run starts: one lane per board (compute, communication), coloured by sequence.",
                    w / 2, h / 2);
            g.setTextAlign(TextAlignment.LEFT);
            return;
        }
        if (followLive.get()) {
            viewStartUs = Math.max(0, snap.endUs() - viewSpanUs * 0.95);
        }
        drawAxis(g, w);
        double avail = h - CHART_H - AXIS_H - 12;
        sublaneH = Math.max(MIN_SUBLANE_H, Math.min(MAX_SUBLANE_H, (avail / snap.processes().size() - LANE_GAP - 2) / 2));
        double y = AXIS_H + 4;
        java.util.Map<Integer, Double> laneTop = new java.util.HashMap<>();
        int busy = live ? snap.busyPid() : -1;
        for (Map.Entry<Integer, String> p : snap.processes().entrySet()) {
            int pid = p.getKey();
            boolean lost = snap.lost().stream().anyMatch(l -> l.pid() == pid);
            double laneH = 2 * sublaneH + 2;
            if (y + laneH > h - CHART_H - 6) {
                break;
            }
            laneTop.put(pid, y);
            g.setFill(pid == busy ? Color.web("#fff4cc") : lost ? Color.web("#fde8e8") : Color.web("#f0f2f6"));
            g.fillRect(0, y - 2, w, laneH + 4);
            g.setFill(lost ? Color.web("#b3261e") : Color.web("#222"));
            String[] parts = laneLabel(p.getValue());
            g.fillText(clip(parts[0], 25), 6, y + sublaneH / 2);
            g.setFill(Color.web("#555"));
            g.fillText(clip(parts[1], 25), 6, y + sublaneH * 1.5 + 2);
            g.setFill(Color.web("#666"));
            g.fillText("compute", LABEL_W - 52, y + sublaneH / 2);
            g.fillText("comm", LABEL_W - 52, y + sublaneH * 1.5 + 2);
            double share = busyShare(snap.lanes().get(pid * 10 + RunListener.TID_COMPUTE));
            if (share >= 0) {
                g.setFill(Color.web("#555"));
                g.fillText(String.format(Locale.ROOT, "%3.0f%%", 100 * share), LABEL_W - 92, y + sublaneH / 2);
            }
            for (int tid = RunListener.TID_COMPUTE; tid <= RunListener.TID_COMM; tid++) {
                int key = pid * 10 + tid;
                double ly = y + (tid - 1) * (sublaneH + 2);
                laneRows.add(new int[] {key, (int) ly});
                List<TimelineModel.Span> spans = snap.lanes().get(key);
                if (spans != null) {
                    drawSpans(g, spans, ly, tid == RunListener.TID_COMM);
                }
            }
            for (TimelineModel.Lost l : snap.lost()) {
                if (l.pid() == pid) {
                    double lx = Math.min(x(l.atUs()), w - 4);
                    g.setStroke(Color.web("#b3261e"));
                    g.setLineWidth(2);
                    g.strokeLine(lx, y - 2, lx, y + laneH + 2);
                    g.setFill(Color.web("#b3261e"));
                    double tx = lx + 50 > w ? lx - 48 : lx + 4;
                    g.setFill(Color.WHITE);
                    g.fillRect(tx - 2, y + sublaneH / 2 - 7, 44, 14);
                    g.setFill(Color.web("#b3261e"));
                    g.fillText("\u2716 lost", tx, y + sublaneH / 2);
                    g.setLineWidth(1);
                }
            }
            y += laneH + LANE_GAP;
        }
        drawReplans(g, w, y);
        drawFlows(g, laneTop);
        drawTokenMarks(g, laneTop.get(RunListener.COORDINATOR));
        drawTokensChart(g, w, h);
    }

    /** A dashed line across the lanes where the run re-planned onto the remaining boards, labelled with the token. */
    private void drawReplans(GraphicsContext g, double w, double lanesBottom) {
        for (TimelineModel.ReplanMark r : snap.replans()) {
            double rx = x(r.atUs());
            if (rx < LABEL_W || rx > w - 2) {
                continue;
            }
            g.setStroke(REPLAN_COLOUR);
            g.setLineWidth(2);
            g.setLineDashes(6, 4);
            g.strokeLine(rx, AXIS_H, rx, lanesBottom);
            g.setLineDashes();
            g.setLineWidth(1);
            String label = "\u27f3 re-plan at token " + r.tokenIndex() + " \u2192 " + r.ranges().size()
                    + (r.ranges().size() == 1 ? " board" : " boards");
            double tw = 7 * label.length();
            double tx = rx + tw + 8 > w ? rx - tw - 6 : rx + 4;
            g.setFill(Color.WHITE);
            g.fillRect(tx - 2, AXIS_H + 1, tw + 4, 14);
            g.setFill(REPLAN_COLOUR);
            g.fillText(label, tx, AXIS_H + 8);
        }
    }

    static final Color REPLAN_COLOUR = Color.web("#6a1b9a");

    /** Flows drawn as arrows from the sender's communication lane to the receiver's compute lane (if few are visible). */
    private void drawFlows(GraphicsContext g, java.util.Map<Integer, Double> laneTop) {
        double minUs = viewStartUs, maxUs = viewStartUs + viewSpanUs;
        List<TimelineModel.Flow> visible = new ArrayList<>();
        for (TimelineModel.Flow f : snap.flows()) {
            if (f.toUs() >= minUs && f.fromUs() <= maxUs && laneTop.containsKey(f.fromPid()) && laneTop.containsKey(f.toPid())) {
                visible.add(f);
                if (visible.size() > Math.min(MAX_ARROWS, plotW() / 12)) {
                    return; // too dense to read: zoom in to see the hops
                }
            }
        }
        g.setStroke(Color.web("#444", 0.55));
        g.setFill(Color.web("#444", 0.55));
        g.setLineWidth(1);
        for (TimelineModel.Flow f : visible) {
            double x0 = x(f.fromUs()), x1 = x(f.toUs());
            double y0 = laneTop.get(f.fromPid()) + sublaneH * 1.5 + 2;
            double y1 = laneTop.get(f.toPid()) + (y0 < laneTop.get(f.toPid()) ? 0 : sublaneH);
            if (Math.max(x0, x1) < LABEL_W) {
                continue;
            }
            g.strokeLine(x0, y0, x1, y1);
            double a = Math.atan2(y1 - y0, x1 - x0);
            g.fillPolygon(new double[] {x1, x1 - 6 * Math.cos(a - 0.4), x1 - 6 * Math.cos(a + 0.4)},
                    new double[] {y1, y1 - 6 * Math.sin(a - 0.4), y1 - 6 * Math.sin(a + 0.4)}, 3);
        }
    }

    /** A small triangle per token above the coordinator's lane, coloured by sequence. */
    private void drawTokenMarks(GraphicsContext g, Double coordinatorTop) {
        if (coordinatorTop == null) {
            return;
        }
        double y = coordinatorTop - 2;
        double lastX = Double.NaN;
        for (TimelineModel.TokenMark t : snap.tokens()) {
            double x = x(t.atUs());
            if (x < LABEL_W || x > LABEL_W + plotW() || Math.abs(x - lastX) < 2) {
                continue;
            }
            lastX = x;
            g.setFill(SEQUENCE_COLOURS[Math.max(0, t.sequence()) % SEQUENCE_COLOURS.length]);
            g.fillPolygon(new double[] {x - 3, x + 3, x}, new double[] {y - 5, y - 5, y}, 3);
        }
    }

    /** Share of the visible window the lane's spans cover (utilisation), or -1 without spans. */
    private double busyShare(List<TimelineModel.Span> spans) {
        if (spans == null || spans.isEmpty()) {
            return -1;
        }
        // the part of the view that has happened and in which this lane existed
        double a = Math.max(viewStartUs, spans.get(0).startUs()), b = Math.min(viewStartUs + viewSpanUs, snap.endUs()), busy = 0;
        if (b - a < 1) {
            return -1;
        }
        for (TimelineModel.Span s : spans) {
            busy += Math.max(0, Math.min(b, s.endUs()) - Math.max(a, s.startUs()));
        }
        return Math.min(1, busy / (b - a));
    }

    private void drawSpans(GraphicsContext g, List<TimelineModel.Span> spans, double ly, boolean comm) {
        double minUs = viewStartUs, maxUs = viewStartUs + viewSpanUs;
        double lastX = -1;
        int lastSeq = Integer.MIN_VALUE;
        for (TimelineModel.Span s : spans) {
            if (s.endUs() < minUs || s.startUs() > maxUs) {
                continue;
            }
            double x0 = Math.max(LABEL_W, x(s.startUs()));
            double x1 = Math.min(LABEL_W + plotW(), x(s.endUs()));
            double wpx = Math.max(1, x1 - x0);
            if (wpx <= 1 && Math.floor(x0) == Math.floor(lastX) && s.sequence() == lastSeq) {
                continue; // same pixel column, same colour: nothing new to draw
            }
            lastX = x0;
            lastSeq = s.sequence();
            Color c = s.sequence() < 0 ? Color.GRAY : SEQUENCE_COLOURS[s.sequence() % SEQUENCE_COLOURS.length];
            g.setFill(comm ? c.deriveColor(0, 0.6, 1.15, 0.75) : c);
            g.fillRect(x0, ly, wpx, sublaneH);
        }
    }

    private void drawAxis(GraphicsContext g, double w) {
        g.setStroke(Color.web("#c8ccd4"));
        g.setFill(Color.web("#555"));
        double step = niceStep(viewSpanUs / 8);
        double first = Math.ceil(viewStartUs / step) * step;
        for (double t = first; t <= viewStartUs + viewSpanUs; t += step) {
            double x = x(t);
            g.strokeLine(x, AXIS_H - 4, x, getHeight() - CHART_H - 4);
            g.fillText(formatTime(t, step), x + 3, AXIS_H / 2);
        }
        g.fillText(followLive.get() ? "following live" : "paused view (double-click: whole run)", 6, AXIS_H / 2);
    }

    private void drawTokensChart(GraphicsContext g, double w, double h) {
        double top = h - CHART_H;
        g.setFill(Color.WHITE);
        g.fillRect(0, top, w, CHART_H);
        g.setStroke(Color.web("#c8ccd4"));
        g.strokeLine(0, top, w, top);
        double[] tps = snap.tokensPerSecond();
        double max = 1;
        for (double v : tps) {
            max = Math.max(max, v);
        }
        double last = tps.length == 0 ? 0 : tps[tps.length > 1 ? tps.length - 2 : 0];
        g.setFill(Color.web("#222"));
        g.fillText(String.format(Locale.ROOT, "tokens/s  (now %.0f, peak %.0f)", last, max), 6, top + 12);
        if (tps.length == 0) {
            return;
        }
        g.setStroke(Color.web("#0072B2"));
        g.setLineWidth(1.5);
        g.beginPath();
        boolean started = false;
        for (int i = 0; i < tps.length; i++) {
            double mid = (snap.firstBin() + i + 0.5) * TimelineModel.TOKEN_BIN_US;
            double x = x(mid);
            if (x < LABEL_W || x > LABEL_W + plotW()) {
                continue;
            }
            double y = h - 6 - (CHART_H - 22) * tps[i] / max;
            g.setFill(Color.web("#0072B2"));
            g.fillOval(x - 2, y - 2, 4, 4);
            if (started) {
                g.lineTo(x, y);
            } else {
                g.moveTo(x, y);
                started = true;
            }
        }
        g.stroke();
        g.setLineWidth(1);
    }

    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    static String formatTime(double us, double step) {
        if (step >= 1e6) {
            return String.format(Locale.ROOT, "%.0f s", us / 1e6);
        }
        if (step >= 1e5) {
            return String.format(Locale.ROOT, "%.1f s", us / 1e6);
        }
        if (step >= 1e3) {
            return String.format(Locale.ROOT, "%.0f ms", us / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f ms", us / 1e3);
    }

    /** "board b1 (127.0.0.1:7401): layers [0, 3)" -> {"b1 (127.0.0.1:7401)", "layers [0, 3)"}. */
    static String[] laneLabel(String name) {
        String n = name.startsWith("board ") ? name.substring(6) : name;
        int c = n.indexOf("): ");
        return c < 0 ? new String[] {n, ""} : new String[] {n.substring(0, c + 1), n.substring(c + 3)};
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "\u2026";
    }
}
