package org.airshard.app.gui.topology;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.Cursor;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.paint.CycleMethod;
import javafx.scene.paint.LinearGradient;
import javafx.scene.paint.Stop;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import org.airshard.planner.channel.LinkBudget;
import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.DeviceKind;
import org.airshard.planner.topology.DigitalLink;
import org.airshard.planner.topology.Position;
import org.airshard.planner.topology.Severity;
import org.airshard.planner.topology.Topology;
import org.airshard.planner.topology.ValidationIssue;
import org.airshard.planner.topology.ValidationReport;

/**
 * The topology drawn on a floor plan: grid, channels device → server coloured by average uplink SNR
 * (with a legend), digital links (selectable), and the server and devices as kind icons. Editing:
 * click / Shift+click / rubber band to select, drag to move (one undo step per drag, snapped when
 * snapping is on), place devices from the palette, link two nodes, wheel to zoom, right or middle drag
 * to pan, arrow keys to nudge. All state changes go through {@link TopologyEditorViewModel}.
 */
public final class TopologyCanvas extends StackPane {

    private static final double NODE_PX = 40;
    private static final double SERVER_PX = 48;
    private static final double LABEL_MAX_DEVICES = 40;
    /** Below this many pixels per metre, crowded topologies draw smaller nodes without name labels. */
    private static final double CROWDED_SCALE = 22;

    private final TopologyEditorViewModel vm;
    private final Viewport view = new Viewport();
    private final Pane surface = new Pane();
    private final Canvas background = new Canvas();
    private final Pane linkLayer = new Pane();
    private final Pane nodeLayer = new Pane();
    private final Rectangle rubberBand = new Rectangle();
    private final Region legend;
    private final Map<String, NodeView> nodes = new HashMap<>();
    private final Map<LinkKey, LinkView> links = new HashMap<>();

    private final ObjectProperty<DeviceKind> placeKind = new SimpleObjectProperty<>(this, "placeKind");
    private final BooleanProperty linkMode = new SimpleBooleanProperty(this, "linkMode");
    private final ObjectProperty<Map<String, String>> deviceTags =
            new SimpleObjectProperty<>(this, "deviceTags", Map.of());
    private final ReadOnlyStringWrapper pointer = new ReadOnlyStringWrapper(this, "pointer", "");
    private final ReadOnlyStringWrapper zoomText = new ReadOnlyStringWrapper(this, "zoomText", "");

    private boolean fitPending = true;
    /** Until the user pans or zooms, the view re-fits on resize (the first layout passes change the size). */
    private boolean autoFit = true;
    private String linkStart;
    private Object dragKey;
    private String dragAnchor;
    private Position dragPressWorld;
    private Position dragAnchorStart;
    private double panLastX, panLastY;
    private boolean panning;
    private double bandX0, bandY0;
    private boolean banding;
    private long lastRedrawNanos;
    private double nodeScale = 1.0;
    private boolean showNames = true;

    // ---- redraw speed (docs/benchmarks.md, canvas section)
    private static final Font SCALE_FONT = Font.font(11);
    private static final Font SNR_FONT = Font.font(10.5);
    private static final Color GRID_MINOR = Color.web("#e6e9ee"), GRID_MAJOR = Color.web("#d2d7df");
    private static final Color GRID_MINOR_DARK = Color.web("#2a3038"), GRID_MAJOR_DARK = Color.web("#353d47");
    private static final Color TEXT = Color.web("#1f2933"), TEXT_DARK = Color.web("#e6e9ee");
    private static final Color MUTED = Color.web("#5b6573"), MUTED_DARK = Color.web("#9aa4b1");
    private static final Color PILL = Color.web("#ffffff", 0.9), PILL_DARK = Color.web("#1d2228", 0.9);
    /** Screen margin (px) within which an off-screen node or label may still show (labels, tags, rings). */
    private static final double CULL_MARGIN = 120;
    private boolean optimized = true;
    /** Per-topology cache of each device's channel colour and SNR label (SNR costs logs and a sum per device). */
    private Topology channelCacheFor;
    private final Map<String, Color[]> channelColors = new HashMap<>();
    private final Map<String, String> channelLabels = new HashMap<>();
    private ValidationReport issuesCacheFor;
    private final Map<String, List<ValidationIssue>> issuesById = new HashMap<>();
    private boolean redrawQueued;
    private final Runnable pulseRedraw = this::onPulse;

    public TopologyCanvas(TopologyEditorViewModel vm) {
        this.vm = vm;
        getStyleClass().add("topology-canvas");
        setId("topology-canvas");
        setFocusTraversable(true);
        setMinSize(200, 200);

        background.setMouseTransparent(true);
        linkLayer.setPickOnBounds(false);
        nodeLayer.setPickOnBounds(false);
        rubberBand.getStyleClass().add("rubber-band");
        rubberBand.setVisible(false);
        rubberBand.setMouseTransparent(true);
        surface.getChildren().addAll(background, linkLayer, nodeLayer, rubberBand);
        surface.getStyleClass().add("canvas-surface");
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(surface.widthProperty());
        clip.heightProperty().bind(surface.heightProperty());
        surface.setClip(clip);

        legend = createLegend();
        StackPane.setAlignment(legend, Pos.TOP_RIGHT);
        StackPane.setMargin(legend, new Insets(10));
        getChildren().addAll(surface, legend);

        surface.widthProperty().addListener((o, a, b) -> onResize());
        surface.heightProperty().addListener((o, a, b) -> onResize());
        vm.topologyProperty().addListener((o, a, b) -> redraw());
        vm.selectionProperty().addListener((o, a, b) -> redraw());
        vm.reportProperty().addListener((o, a, b) -> redraw());
        vm.documentGenerationProperty().addListener((o, a, b) -> {
            fitPending = true;
            autoFit = true;
        });
        placeKind.addListener((o, a, b) -> updateCursor());
        deviceTags.addListener((o, a, b) -> redraw());
        linkMode.addListener((o, a, b) -> {
            linkStart = null;
            updateCursor();
            redraw();
        });

        surface.addEventHandler(MouseEvent.MOUSE_PRESSED, this::onBackgroundPressed);
        surface.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::onBackgroundDragged);
        surface.addEventHandler(MouseEvent.MOUSE_RELEASED, this::onBackgroundReleased);
        surface.addEventHandler(MouseEvent.MOUSE_MOVED, e -> updatePointer(e.getX(), e.getY()));
        surface.addEventHandler(ScrollEvent.SCROLL, this::onScroll);
        addEventHandler(KeyEvent.KEY_PRESSED, this::onKey);
        sceneProperty().addListener((o, before, after) -> {
            if (before != null) {
                before.removePreLayoutPulseListener(pulseRedraw);
            }
            if (after != null) {
                after.addPreLayoutPulseListener(pulseRedraw);
            }
        });
    }

    // ---------------------------------------------------------------- public API

    /** Device kind the next click places, or null. The palette binds to it. */
    public ObjectProperty<DeviceKind> placeKindProperty() {
        return placeKind;
    }

    /** Short tags drawn above devices (e.g. a pipeline plan's layer range), by device id. */
    public ObjectProperty<Map<String, String>> deviceTagsProperty() {
        return deviceTags;
    }

    /** Whether clicks connect two nodes with a digital link. */
    public BooleanProperty linkModeProperty() {
        return linkMode;
    }

    /** World coordinates under the pointer, for the status bar. */
    public ReadOnlyStringProperty pointerProperty() {
        return pointer.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty zoomTextProperty() {
        return zoomText.getReadOnlyProperty();
    }

    public Viewport viewport() {
        return view;
    }

    public void zoomIn() {
        autoFit = false;
        view.zoomAt(1.25, surface.getWidth() / 2, surface.getHeight() / 2);
        redraw();
    }

    public void zoomOut() {
        autoFit = false;
        view.zoomAt(0.8, surface.getWidth() / 2, surface.getHeight() / 2);
        redraw();
    }

    public void fitToView() {
        autoFit = true;
        if (surface.getWidth() > 0 && surface.getHeight() > 0) {
            fitNow(vm.topology());
        } else {
            fitPending = true;
        }
        redraw();
    }

    /** Fits with room for the legend (top right) and the scale bar (bottom left) and the name labels. */
    private void fitNow(Topology t) {
        double w = surface.getWidth(), h = surface.getHeight();
        double legendW = (legend.getWidth() > 0 ? legend.getWidth() : 220) + 10 + 34;
        double legendH = (legend.getHeight() > 0 ? legend.getHeight() : 100) + 10 + 34;
        // Plain fit first; if a node would sit under the legend, keep clear of it by reserving either the
        // top band or the right band, whichever leaves the larger scale.
        view.fit(t, w, h, 60, 60, 60, 60);
        if (underLegend(t, w - legendW, legendH)) {
            Viewport top = new Viewport();
            top.fit(t, w, h, 60, legendH, 60, 60);
            Viewport right = new Viewport();
            right.fit(t, w, h, 60, 60, legendW, 60);
            view.fit(t, w, h, 60, top.scale() >= right.scale() ? legendH : 60, top.scale() >= right.scale() ? 60 : legendW, 60);
        }
        fitPending = false;
    }

    private boolean underLegend(Topology t, double minX, double maxY) {
        List<Position> ps = new java.util.ArrayList<>();
        ps.add(t.server().position());
        t.devices().forEach(d -> ps.add(d.position()));
        for (Position p : ps) {
            if (finite(p) && view.toScreenX(p.xM()) > minX && view.toScreenY(p.yM()) < maxY) {
                return true;
            }
        }
        return false;
    }

    /**
     * Chooses the drawing path: {@code true} (default) culls what is off screen and caches channel colours,
     * labels and issue lookups per topology; {@code false} is the earlier draw-everything path, kept as the
     * baseline of {@code CanvasBenchmarkTest}.
     */
    public void setOptimizedRedraw(boolean on) {
        if (optimized != on) {
            optimized = on;
            channelCacheFor = null;
            issuesCacheFor = null;
            redraw();
        }
    }

    /**
     * Asks for one redraw before the next frame: any number of pan/zoom/model events between two pulses
     * cost one redraw (the viewport itself changes at once).
     */
    public void requestRedraw() {
        if (!optimized || getScene() == null) {
            redraw();
            return;
        }
        if (!redrawQueued) {
            redrawQueued = true;
            javafx.application.Platform.requestNextPulse();
        }
    }

    /** Registered on the scene for as long as the canvas is in one; redraws when a redraw was requested. */
    private void onPulse() {
        if (redrawQueued) {
            redrawQueued = false;
            redraw();
        }
    }

    /** Time the last full redraw took, nanoseconds (for the responsiveness benchmark). */
    public long lastRedrawNanos() {
        return lastRedrawNanos;
    }

    /** The node view of a device or the server (for tests). */
    public Node nodeView(String id) {
        return nodes.get(id);
    }

    // ---------------------------------------------------------------- drawing

    private void onResize() {
        background.setWidth(surface.getWidth());
        background.setHeight(surface.getHeight());
        if (fitPending || autoFit) {
            fitToView();
        } else {
            redraw();
        }
    }

    /** Redraws everything from the ViewModel's current state. */
    public void redraw() {
        redrawQueued = false;
        long t0 = System.nanoTime();
        Topology t = vm.topology();
        if (fitPending && surface.getWidth() > 0) {
            fitNow(t);
        }
        boolean crowded = t.devices().size() > LABEL_MAX_DEVICES && view.scale() < CROWDED_SCALE;
        nodeScale = crowded ? Math.max(0.45, view.scale() / CROWDED_SCALE) : 1.0;
        showNames = !crowded;
        drawBackground(t);
        syncLinks(t);
        syncNodes(t);
        zoomText.set(String.format(Locale.ROOT, "%.0f px/m", view.scale()));
        lastRedrawNanos = System.nanoTime() - t0;
    }

    private void drawBackground(Topology t) {
        GraphicsContext g = background.getGraphicsContext2D();
        double w = background.getWidth(), h = background.getHeight();
        g.clearRect(0, 0, w, h);
        boolean dark = getScene() != null && getScene().getRoot().getStyleClass().contains("dark");
        // grid
        double step = view.gridStepM(28);
        Color minor = optimized ? (dark ? GRID_MINOR_DARK : GRID_MINOR) : dark ? Color.web("#2a3038") : Color.web("#e6e9ee");
        Color major = optimized ? (dark ? GRID_MAJOR_DARK : GRID_MAJOR) : dark ? Color.web("#353d47") : Color.web("#d2d7df");
        g.setLineWidth(1);
        double x0 = Math.floor(view.toWorldX(0) / step) * step;
        for (double x = x0; view.toScreenX(x) <= w; x += step) {
            boolean isMajor = Math.abs(Math.round(x / (step * 5)) * step * 5 - x) < 1e-9;
            g.setStroke(isMajor ? major : minor);
            double sx = Math.round(view.toScreenX(x)) + 0.5;
            g.strokeLine(sx, 0, sx, h);
        }
        double y0 = Math.floor(view.toWorldY(0) / step) * step;
        for (double y = y0; view.toScreenY(y) <= h; y += step) {
            boolean isMajor = Math.abs(Math.round(y / (step * 5)) * step * 5 - y) < 1e-9;
            g.setStroke(isMajor ? major : minor);
            double sy = Math.round(view.toScreenY(y)) + 0.5;
            g.strokeLine(0, sy, w, sy);
        }
        // scale bar
        g.setFill(optimized ? (dark ? MUTED_DARK : MUTED) : dark ? Color.web("#9aa4b1") : Color.web("#5b6573"));
        g.setStroke(g.getFill());
        g.setLineWidth(2);
        double barM = view.gridStepM(80);
        double bx = 16, by = h - 18;
        g.strokeLine(bx, by, bx + barM * view.scale(), by);
        g.strokeLine(bx, by - 4, bx, by + 4);
        g.strokeLine(bx + barM * view.scale(), by - 4, bx + barM * view.scale(), by + 4);
        g.setFont(optimized ? SCALE_FONT : Font.font(11));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText(TopologyProperties.fmt(barM) + " m", bx, by - 5);

        // channels device -> server, coloured by average uplink SNR
        Position sp = t.server().position();
        double sx = view.toScreenX(sp.xM()), sy = view.toScreenY(sp.yM());
        boolean labels = t.devices().size() <= LABEL_MAX_DEVICES;
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        if (optimized) {
            drawChannelsCulled(g, t, w, h, sx, sy, labels, dark);
            return;
        }
        for (Device d : t.devices()) {
            if (!finite(d.position())) {
                continue;
            }
            double snr = LinkBudget.uplinkSnrDb(t, d);
            Color c = Color.web(SnrScale.colorHex(snr));
            double dx = view.toScreenX(d.position().xM()), dy = view.toScreenY(d.position().yM());
            g.setStroke(c.deriveColor(0, 1, 1, 0.85));
            g.setLineWidth(vm.selection().contains(d.id()) ? 4 : 2.5);
            g.setLineDashes(null);
            g.strokeLine(dx, dy, sx, sy);
            if (labels && Math.hypot(dx - sx, dy - sy) > 90) {
                String text = SnrScale.label(snr);
                // 60 % of the way from the server: clear of the server icon and of mid-line link labels
                double mx = sx + 0.6 * (dx - sx), my = sy + 0.6 * (dy - sy);
                g.setFont(Font.font(10.5));
                double tw = text.length() * 6.2 + 8;
                g.setFill(dark ? Color.web("#1d2228", 0.9) : Color.web("#ffffff", 0.9));
                g.fillRoundRect(mx - tw / 2, my - 8, tw, 16, 8, 8);
                g.setStroke(c);
                g.setLineWidth(1);
                g.strokeRoundRect(mx - tw / 2, my - 8, tw, 16, 8, 8);
                g.setFill(dark ? Color.web("#e6e9ee") : Color.web("#1f2933"));
                g.fillText(text, mx, my);
            }
        }
    }

    /**
     * The channels device → server, skipping lines whose bounding box misses the screen, with colours and
     * labels from a per-topology cache and constant fonts.
     */
    private void drawChannelsCulled(GraphicsContext g, Topology t, double w, double h, double sx, double sy,
                                    boolean labels, boolean dark) {
        if (channelCacheFor != t) {
            channelCacheFor = t;
            channelColors.clear();
            channelLabels.clear();
            for (Device d : t.devices()) {
                if (finite(d.position())) {
                    double snr = LinkBudget.uplinkSnrDb(t, d);
                    Color c = Color.web(SnrScale.colorHex(snr));
                    channelColors.put(d.id(), new Color[] {c, c.deriveColor(0, 1, 1, 0.85)});
                    channelLabels.put(d.id(), SnrScale.label(snr));
                }
            }
        }
        g.setLineDashes(null);
        g.setFont(SNR_FONT);
        Color pill = dark ? PILL_DARK : PILL;
        Color text = dark ? TEXT_DARK : TEXT;
        boolean sOn = sx >= 0 && sx <= w && sy >= 0 && sy <= h;
        for (Device d : t.devices()) {
            Color[] c = channelColors.get(d.id());
            if (c == null) {
                continue;
            }
            double dx = view.toScreenX(d.position().xM()), dy = view.toScreenY(d.position().yM());
            if (!sOn && (Math.max(dx, sx) < 0 || Math.min(dx, sx) > w || Math.max(dy, sy) < 0 || Math.min(dy, sy) > h)) {
                continue; // the whole segment is off screen
            }
            g.setStroke(c[1]);
            g.setLineWidth(vm.selection().contains(d.id()) ? 4 : 2.5);
            g.strokeLine(dx, dy, sx, sy);
            if (labels && Math.hypot(dx - sx, dy - sy) > 90) {
                double mx = sx + 0.6 * (dx - sx), my = sy + 0.6 * (dy - sy);
                if (mx < -60 || mx > w + 60 || my < -10 || my > h + 10) {
                    continue;
                }
                String label = channelLabels.get(d.id());
                double tw = label.length() * 6.2 + 8;
                g.setFill(pill);
                g.fillRoundRect(mx - tw / 2, my - 8, tw, 16, 8, 8);
                g.setStroke(c[0]);
                g.setLineWidth(1);
                g.strokeRoundRect(mx - tw / 2, my - 8, tw, 16, 8, 8);
                g.setFill(text);
                g.fillText(label, mx, my);
            }
        }
    }

    private static boolean finite(Position p) {
        return Double.isFinite(p.xM()) && Double.isFinite(p.yM());
    }

    private void syncLinks(Topology t) {
        Set<LinkKey> alive = new HashSet<>();
        for (DigitalLink l : t.links()) {
            LinkKey k = LinkKey.of(l);
            alive.add(k);
            Position a = TopologyEdits.positionOf(t, l.from());
            Position b = TopologyEdits.positionOf(t, l.to());
            LinkView v = links.computeIfAbsent(k, this::newLinkView);
            if (a == null || b == null || !finite(a) || !finite(b)) {
                v.setVisible(false);
                continue;
            }
            double x1 = view.toScreenX(a.xM()), y1 = view.toScreenY(a.yM());
            double x2 = view.toScreenX(b.xM()), y2 = view.toScreenY(b.yM());
            if (optimized && offScreen(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2), 0)) {
                v.setVisible(false);
                continue;
            }
            v.setVisible(true);
            v.update(x1, y1, x2, y2, l, vm.selection().contains(k));
        }
        links.entrySet().removeIf(e -> {
            if (!alive.contains(e.getKey())) {
                linkLayer.getChildren().remove(e.getValue());
                return true;
            }
            return false;
        });
    }

    /** Whether the box misses the visible surface grown by {@code margin} px. */
    private boolean offScreen(double minX, double minY, double maxX, double maxY, double margin) {
        return maxX < -margin || minX > surface.getWidth() + margin || maxY < -margin || minY > surface.getHeight() + margin;
    }

    private List<ValidationIssue> issuesAbout(ValidationReport report, String id) {
        if (!optimized) {
            return report.about(id);
        }
        if (issuesCacheFor != report) {
            issuesCacheFor = report;
            issuesById.clear();
            for (ValidationIssue i : report.issues()) {
                if (!i.subjectId().isEmpty()) {
                    issuesById.computeIfAbsent(i.subjectId(), x -> new java.util.ArrayList<>()).add(i);
                }
            }
            issuesById.replaceAll((k, v) -> report.about(k)); // the report's own order and rules
        }
        return issuesById.getOrDefault(id, List.of());
    }

    private LinkView newLinkView(LinkKey k) {
        LinkView v = new LinkView(k);
        linkLayer.getChildren().add(v);
        return v;
    }

    private void syncNodes(Topology t) {
        Set<String> alive = new HashSet<>();
        ValidationReport report = vm.report();
        String sid = t.server().id();
        alive.add(sid);
        NodeView sv = nodes.get(sid);
        if (sv == null || !sv.server) {
            if (sv != null) {
                nodeLayer.getChildren().remove(sv);
            }
            sv = new NodeView(sid, true, null);
            nodes.put(sid, sv);
            nodeLayer.getChildren().add(sv);
        }
        sv.update(t.server().name(), null, t.server().position(), issuesAbout(report, sid), vm.selection().contains(sid),
                sid.equals(linkStart));
        for (Device d : t.devices()) {
            alive.add(d.id());
            NodeView v = nodes.get(d.id());
            if (v == null || v.server || v.kind != d.kind()) {
                if (v != null) {
                    nodeLayer.getChildren().remove(v);
                }
                v = new NodeView(d.id(), false, d.kind());
                nodes.put(d.id(), v);
                nodeLayer.getChildren().add(v);
            }
            if (optimized && finite(d.position()) && !vm.selection().contains(d.id())) {
                double x = view.toScreenX(d.position().xM()), y = view.toScreenY(d.position().yM());
                if (offScreen(x, y, x, y, CULL_MARGIN)) {
                    v.setVisible(false); // culled: not laid out, not rendered, not updated until back in view
                    continue;
                }
            }
            v.update(d.name(), d, d.position(), issuesAbout(report, d.id()), vm.selection().contains(d.id()),
                    d.id().equals(linkStart));
        }
        nodes.entrySet().removeIf(e -> {
            if (!alive.contains(e.getKey())) {
                nodeLayer.getChildren().remove(e.getValue());
                return true;
            }
            return false;
        });
        sv.toFront();
    }

    // ---------------------------------------------------------------- legend

    private Region createLegend() {
        Label title = new Label("Average uplink SNR");
        title.getStyleClass().add("legend-title");
        Stop[] stops = new Stop[11];
        for (int i = 0; i <= 10; i++) {
            double db = SnrScale.MIN_DB + (SnrScale.MAX_DB - SnrScale.MIN_DB) * i / 10.0;
            stops[i] = new Stop(i / 10.0, Color.web(SnrScale.colorHex(db)));
        }
        double barW = 180;
        Rectangle bar = new Rectangle(barW, 10, new LinearGradient(0, 0, 1, 0, true, CycleMethod.NO_CYCLE, stops));
        bar.setArcWidth(6);
        bar.setArcHeight(6);
        Pane ticks = new Pane();
        ticks.setPrefSize(barW, 14);
        for (double tick : SnrScale.ticks()) {
            Label l = new Label(TopologyProperties.fmt(tick));
            l.getStyleClass().add("legend-tick");
            l.setLayoutX(SnrScale.fraction(tick) * barW - (tick >= SnrScale.MAX_DB ? 14 : tick <= SnrScale.MIN_DB ? 0 : 6));
            ticks.getChildren().add(l);
        }
        Label unit = new Label("dB per antenna, full power, no fading");
        unit.getStyleClass().add("legend-note");
        Line dash = new Line(0, 0, 28, 0);
        dash.getStyleClass().add("legend-link");
        Label linkLabel = new Label("digital link (rate, latency)");
        linkLabel.getStyleClass().add("legend-note");
        HBox linkRow = new HBox(8, dash, linkLabel);
        linkRow.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(4, title, bar, ticks, unit, linkRow);
        box.getStyleClass().add("legend");
        box.setId("snr-legend");
        box.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        box.setMouseTransparent(true);
        return box;
    }

    // ---------------------------------------------------------------- interaction

    private void updateCursor() {
        surface.setCursor(placeKind.get() != null || linkMode.get() ? Cursor.CROSSHAIR : Cursor.DEFAULT);
    }

    private void updatePointer(double sx, double sy) {
        pointer.set(String.format(Locale.ROOT, "x %.2f m, y %.2f m", view.toWorldX(sx), view.toWorldY(sy)));
    }

    private void onBackgroundPressed(MouseEvent e) {
        requestFocus();
        if (e.getButton() == MouseButton.SECONDARY || e.getButton() == MouseButton.MIDDLE) {
            panning = true;
            panLastX = e.getX();
            panLastY = e.getY();
            surface.setCursor(Cursor.CLOSED_HAND);
            return;
        }
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        DeviceKind k = placeKind.get();
        if (k != null) {
            vm.addDevice(k, view.toWorld(e.getX(), e.getY()));
            if (!e.isShiftDown()) {
                placeKind.set(null);
            }
            return;
        }
        if (linkMode.get()) {
            linkStart = null;
            redraw();
            return;
        }
        banding = true;
        bandX0 = e.getX();
        bandY0 = e.getY();
        rubberBand.setX(bandX0);
        rubberBand.setY(bandY0);
        rubberBand.setWidth(0);
        rubberBand.setHeight(0);
        if (!e.isShiftDown() && !e.isShortcutDown()) {
            vm.clearSelection();
        }
    }

    private void onBackgroundDragged(MouseEvent e) {
        updatePointer(e.getX(), e.getY());
        if (panning) {
            autoFit = false;
            view.panBy(e.getX() - panLastX, e.getY() - panLastY);
            panLastX = e.getX();
            panLastY = e.getY();
            requestRedraw();
        } else if (banding) {
            rubberBand.setVisible(true);
            rubberBand.setX(Math.min(bandX0, e.getX()));
            rubberBand.setY(Math.min(bandY0, e.getY()));
            rubberBand.setWidth(Math.abs(e.getX() - bandX0));
            rubberBand.setHeight(Math.abs(e.getY() - bandY0));
        }
    }

    private void onBackgroundReleased(MouseEvent e) {
        if (panning) {
            panning = false;
            updateCursor();
        }
        if (banding) {
            banding = false;
            if (rubberBand.isVisible()) {
                rubberBand.setVisible(false);
                vm.selectInRect(view.toWorldX(bandX0), view.toWorldY(bandY0), view.toWorldX(e.getX()),
                        view.toWorldY(e.getY()), e.isShiftDown() || e.isShortcutDown());
            }
        }
    }

    private void onScroll(ScrollEvent e) {
        if (e.getDeltaY() == 0) {
            return;
        }
        autoFit = false;
        view.zoomAt(Math.pow(1.0015, e.getDeltaY()), e.getX(), e.getY());
        requestRedraw();
        e.consume();
    }

    private void onKey(KeyEvent e) {
        double step = vm.snapToGridProperty().get() ? TopologyEditorViewModel.GRID_M : 0.1;
        if (e.isShiftDown()) {
            step *= 10;
        }
        switch (e.getCode()) {
            case LEFT -> vm.moveSelection(-step, 0, null);
            case RIGHT -> vm.moveSelection(step, 0, null);
            case UP -> vm.moveSelection(0, -step, null);
            case DOWN -> vm.moveSelection(0, step, null);
            case ESCAPE -> {
                if (placeKind.get() != null || linkMode.get()) {
                    placeKind.set(null);
                    linkMode.set(false);
                } else {
                    vm.clearSelection();
                }
            }
            default -> {
                return;
            }
        }
        e.consume();
    }

    private void onNodePressed(String id, MouseEvent e) {
        requestFocus();
        e.consume();
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        if (linkMode.get()) {
            if (linkStart == null) {
                linkStart = id;
                vm.setStatus("Link from " + id + ": click the other end");
                redraw();
            } else if (!linkStart.equals(id)) {
                String a = linkStart;
                linkStart = null;
                vm.addLink(a, id);
                if (!e.isShiftDown()) {
                    linkMode.set(false);
                }
            }
            return;
        }
        if (placeKind.get() != null) {
            placeKind.set(null);
        }
        if (e.isShiftDown() || e.isShortcutDown()) {
            vm.clickNode(id, true);
            dragKey = null;
            return;
        }
        if (!vm.selection().contains(id)) {
            vm.clickNode(id, false);
        }
        dragKey = new Object();
        dragAnchor = id;
        dragPressWorld = view.toWorld(e.getSceneX() - surface.localToScene(0, 0).getX(),
                e.getSceneY() - surface.localToScene(0, 0).getY());
        dragAnchorStart = TopologyEdits.positionOf(vm.topology(), id);
    }

    private void onNodeDragged(MouseEvent e) {
        e.consume();
        if (dragKey == null || dragAnchorStart == null) {
            return;
        }
        double lx = e.getSceneX() - surface.localToScene(0, 0).getX();
        double ly = e.getSceneY() - surface.localToScene(0, 0).getY();
        updatePointer(lx, ly);
        Position w = view.toWorld(lx, ly);
        vm.dragSelectionTo(dragAnchor, new Position(dragAnchorStart.xM() + w.xM() - dragPressWorld.xM(),
                dragAnchorStart.yM() + w.yM() - dragPressWorld.yM()), dragKey);
    }

    private void onNodeReleased(MouseEvent e) {
        e.consume();
        dragKey = null;
        dragAnchor = null;
    }

    /** Right-click menu of a node. */
    private javafx.scene.control.ContextMenu nodeMenu(String id) {
        boolean isServer = vm.topology().server().id().equals(id);
        javafx.scene.control.MenuItem link = new javafx.scene.control.MenuItem("Link from here\u2026");
        link.setOnAction(e -> {
            linkMode.set(true);
            linkStart = id;
            vm.setStatus("Link from " + id + ": click the other end");
            redraw();
        });
        javafx.scene.control.MenuItem copy = new javafx.scene.control.MenuItem("Copy");
        copy.setOnAction(e -> vm.copySelection());
        javafx.scene.control.MenuItem dup = new javafx.scene.control.MenuItem("Duplicate");
        dup.setOnAction(e -> vm.duplicateSelection());
        javafx.scene.control.MenuItem del = new javafx.scene.control.MenuItem("Delete");
        del.setOnAction(e -> vm.deleteSelection());
        copy.setDisable(isServer && vm.selection().nodes().size() == 1);
        dup.setDisable(copy.isDisable());
        del.setDisable(copy.isDisable());
        return new javafx.scene.control.ContextMenu(link, new javafx.scene.control.SeparatorMenuItem(), copy, dup, del);
    }

    // ---------------------------------------------------------------- views

    /** One node: body with the kind icon, name label, problem badge, selection ring. */
    private final class NodeView extends Group {
        final String id;
        final boolean server;
        final DeviceKind kind;
        final Rectangle body;
        final Circle ring;
        final Label label;
        final Circle badge;
        final Label tag = new Label();
        final Tooltip tip = new Tooltip();

        NodeView(String id, boolean server, DeviceKind kind) {
            this.id = id;
            this.server = server;
            this.kind = kind;
            double s = server ? SERVER_PX : NODE_PX;
            getStyleClass().add("node-view");
            setId("node-" + id);
            ring = new Circle(0, 0, s * 0.78);
            ring.getStyleClass().add("selection-ring");
            body = new Rectangle(-s / 2, -s / 2, s, s);
            body.setArcWidth(server ? s : 12);
            body.setArcHeight(server ? s : 12);
            body.getStyleClass().addAll("node-body", server ? "kind-server" : "kind-" + kind.id());
            Node icon = server ? NodeGlyphs.serverIcon(s * 0.62) : NodeGlyphs.icon(kind, s * 0.6);
            icon.setLayoutX(-12);
            icon.setLayoutY(-12);
            label = new Label();
            label.getStyleClass().add("node-label");
            label.setMouseTransparent(true);
            badge = new Circle(s / 2 - 1, -s / 2 + 1, 6);
            badge.getStyleClass().add("problem-badge");
            badge.setMouseTransparent(true);
            tag.getStyleClass().add("node-tag");
            tag.setMouseTransparent(true);
            tag.setVisible(false);
            getChildren().addAll(ring, body, icon, label, badge, tag);
            tip.setOnShowing(e -> tip.setText(tooltipText()));
            Tooltip.install(body, tip);
            body.setCursor(Cursor.HAND);
            body.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> onNodePressed(id, e));
            body.addEventHandler(MouseEvent.MOUSE_DRAGGED, TopologyCanvas.this::onNodeDragged);
            body.addEventHandler(MouseEvent.MOUSE_RELEASED, TopologyCanvas.this::onNodeReleased);
            body.setOnContextMenuRequested(e -> {
                if (!vm.selection().contains(id)) {
                    vm.clickNode(id, false);
                }
                nodeMenu(id).show(body, e.getScreenX(), e.getScreenY());
                e.consume();
            });
        }

        private String shownName;
        private Boolean shownSelected;
        private Boolean shownLinkSource;
        private List<ValidationIssue> shownIssues;
        private Device device;

        void update(String name, Device d, Position p, List<ValidationIssue> issues, boolean selected, boolean linkSource) {
            if (!finite(p)) {
                setVisible(false);
                return;
            }
            setVisible(true);
            if (isCache() != optimized) {
                // a cached bitmap per node: panning blits it instead of re-rasterising the body's drop
                // shadow, the glyph and the labels every frame (re-made only when the node changes)
                setCache(optimized);
                setCacheHint(javafx.scene.CacheHint.SCALE);
            }
            device = d;
            setLayoutX(view.toScreenX(p.xM()));
            setLayoutY(view.toScreenY(p.yM()));
            setScaleX(nodeScale);
            setScaleY(nodeScale);
            label.setVisible(showNames || selected);
            String tagText = deviceTags.get() == null ? null : deviceTags.get().get(id);
            if (tagText == null) {
                tag.setVisible(false);
            } else {
                tag.setVisible(true);
                if (!tagText.equals(tag.getText())) {
                    tag.setText(tagText);
                    // a tag starting with ✖ reports a broken plan rule on this board
                    tag.getStyleClass().remove("broken");
                    if (tagText.startsWith("\u2716")) {
                        tag.getStyleClass().add("broken");
                    }
                    tag.applyCss();
                    double tw = tag.prefWidth(-1), th = tag.prefHeight(-1);
                    double s = server ? SERVER_PX : NODE_PX;
                    tag.setLayoutX(-tw / 2);
                    tag.setLayoutY(-s / 2 - th - 3);
                }
            }
            if (!name.equals(shownName)) {
                shownName = name;
                label.setText(name);
                double s = server ? SERVER_PX : NODE_PX;
                label.applyCss();
                double lw = label.prefWidth(-1);
                label.setLayoutX(-lw / 2);
                label.setLayoutY(s / 2 + 3);
            }
            if (!Boolean.valueOf(selected).equals(shownSelected) || !Boolean.valueOf(linkSource).equals(shownLinkSource)) {
                shownSelected = selected;
                shownLinkSource = linkSource;
                ring.setVisible(selected || linkSource);
                ring.getStyleClass().removeAll("link-source");
                if (linkSource) {
                    ring.getStyleClass().add("link-source");
                }
            }
            if (!issues.equals(shownIssues)) {
                shownIssues = issues;
                boolean err = issues.stream().anyMatch(i -> i.severity() == Severity.ERROR);
                badge.setVisible(!issues.isEmpty());
                badge.getStyleClass().removeAll("error", "warning");
                badge.getStyleClass().add(err ? "error" : "warning");
            }
        }

        /** Tooltip text, built when the tooltip is about to show. */
        String tooltipText() {
            StringBuilder sb = new StringBuilder(shownName == null ? id : shownName).append("  (").append(id).append(")\n");
            Device d = device;
            if (d != null) {
                sb.append(d.kind().displayName()).append(String.format(Locale.ROOT, " \u00b7 N_t %d \u00b7 %s GFLOP/s \u00b7 %s",
                        d.antennas(), TopologyProperties.fmt(d.flopsPerSecond() / 1e9),
                        org.airshard.planner.topology.Units.formatBytes(d.memoryBytes())));
                sb.append(String.format(Locale.ROOT, "\nuplink SNR %s at %.1f m",
                        SnrScale.label(vm.uplinkSnrDb(d)), vm.topology().distanceToServerM(d)));
            } else {
                sb.append("Edge server / access point \u00b7 N_r ").append(vm.topology().server().antennas());
            }
            if (shownIssues != null) {
                shownIssues.forEach(i -> sb.append('\n').append(i.isError() ? "error: " : "warning: ").append(i.message()));
            }
            return sb.toString();
        }
    }

    /** One digital link: a dashed line with a rate label, selectable. */
    private final class LinkView extends Group {
        final LinkKey key;
        final Line hit = new Line();
        final Line line = new Line();
        final Label label = new Label();
        double lw, lh;

        LinkView(LinkKey key) {
            this.key = key;
            setId("link-" + key.a() + "--" + key.b());
            hit.getStyleClass().add("link-hit");
            line.getStyleClass().add("link-line");
            line.setMouseTransparent(true);
            label.getStyleClass().add("link-label");
            label.setMouseTransparent(true);
            getChildren().addAll(hit, line, label);
            hit.setCursor(Cursor.HAND);
            hit.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
                requestFocus();
                e.consume();
                vm.clickLink(key, e.isShiftDown() || e.isShortcutDown());
            });
        }

        void update(double x1, double y1, double x2, double y2, DigitalLink l, boolean selected) {
            for (Line ln : List.of(hit, line)) {
                ln.setStartX(x1);
                ln.setStartY(y1);
                ln.setEndX(x2);
                ln.setEndY(y2);
            }
            line.getStyleClass().remove("selected");
            if (selected) {
                line.getStyleClass().add("selected");
            }
            String text = rate(l.rateBitsPerSecond()) + " \u00b7 " + TopologyProperties.fmt(l.latencyS() * 1e3) + " ms";
            if (!text.equals(label.getText())) {
                label.setText(text);
                label.applyCss();
                lw = label.prefWidth(-1);
                lh = label.prefHeight(-1);
            }
            // beside the line's midpoint, offset along the normal so it does not sit on channel labels
            double len = Math.max(1, Math.hypot(x2 - x1, y2 - y1));
            double nx = -(y2 - y1) / len, ny = (x2 - x1) / len;
            if (ny > 0) {
                nx = -nx;
                ny = -ny;
            }
            double off = lh / 2 + 4;
            label.setLayoutX((x1 + x2) / 2 + nx * off - lw / 2);
            label.setLayoutY((y1 + y2) / 2 + ny * off - lh / 2);
            label.setVisible(Math.hypot(x2 - x1, y2 - y1) > lw + 60);
            if (label.isCache() != optimized) {
                label.setCache(optimized); // the rate label moves with the link: blit its bitmap, do not re-render text
            }
        }
    }

    static String rate(double bps) {
        if (bps >= 1e9) {
            return TopologyProperties.fmt(bps / 1e9) + " Gbit/s";
        }
        if (bps >= 1e6) {
            return TopologyProperties.fmt(bps / 1e6) + " Mbit/s";
        }
        return TopologyProperties.fmt(bps / 1e3) + " kbit/s";
    }
}
