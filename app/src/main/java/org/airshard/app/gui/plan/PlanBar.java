package org.airshard.app.gui.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.airshard.planner.topology.Units;

/**
 * The pipeline plan as one bar: a band per ring member, as wide as its share of the model's layers, with
 * its board, range and memory. The boundary between two bands can be dragged (snapped to whole layers by
 * {@link PipelineViewModel#dragBoundaryTo}); the ViewModel re-checks and re-predicts as it moves, and a band
 * whose board breaks a rule turns red and says which. Esc during a drag puts the boundary back.
 */
public final class PlanBar extends Region {

    /** How close (px) to a boundary a press must be to grab it. */
    static final double GRAB_PX = 7;
    private static final double PAD = 10;

    private final PipelineViewModel vm;
    private final List<VBox> bands = new ArrayList<>();
    private final List<Region> handles = new ArrayList<>();
    private final Label empty = new Label("Run the partitioner, then drag a boundary between two boards to move layers.");

    public PlanBar(PipelineViewModel vm) {
        this.vm = vm;
        setId("plan-bar");
        getStyleClass().add("plan-bar");
        setMinHeight(54);
        setPrefHeight(54);
        setMaxHeight(54);
        setFocusTraversable(true);
        empty.getStyleClass().add("legend-note");
        getChildren().add(empty);
        vm.membersProperty().addListener((o, a, m) -> rebuild());
        vm.boardProblemsProperty().addListener((o, a, m) -> rebuild());
        vm.memoryProperty().addListener((o, a, m) -> rebuild());
        addEventHandler(MouseEvent.MOUSE_MOVED, e -> setCursor(boundaryAt(e.getX()) >= 0 ? Cursor.H_RESIZE : Cursor.DEFAULT));
        addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            int b = e.getButton() == MouseButton.PRIMARY ? boundaryAt(e.getX()) : -1;
            if (b >= 0 && vm.beginBoundaryDrag(b)) {
                requestFocus();
                setCursor(Cursor.H_RESIZE);
                e.consume();
            }
        });
        addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            if (vm.dragging()) {
                vm.dragBoundaryTo(layerAt(e.getX()));
                e.consume();
            }
        });
        addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
            if (vm.dragging()) {
                vm.dragBoundaryTo(layerAt(e.getX()));
                vm.endBoundaryDrag();
                e.consume();
            }
        });
        addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ESCAPE && vm.dragging()) {
                vm.cancelBoundaryDrag();
                e.consume();
            }
        });
        rebuild();
    }

    private int totalLayers() {
        var p = vm.planProperty().get();
        return p == null ? 0 : p.layers();
    }

    private double barWidth() {
        return Math.max(1, getWidth() - 2 * PAD);
    }

    /** x (local px) of the boundary at layer {@code layer}. */
    double xOfLayer(double layer) {
        int n = totalLayers();
        return PAD + (n == 0 ? 0 : layer / n * barWidth());
    }

    /** Fractional layer position under local x. */
    double layerAt(double x) {
        return (x - PAD) / barWidth() * totalLayers();
    }

    /** The boundary (0-based) within {@link #GRAB_PX} of x, nearest first, or -1. */
    int boundaryAt(double x) {
        int best = -1;
        double bestD = GRAB_PX;
        for (int b = 0; b < vm.boundaryCount(); b++) {
            double d = Math.abs(xOfLayer(vm.boundaryLayer(b)) - x);
            if (d <= bestD) {
                bestD = d;
                best = b;
            }
        }
        return best;
    }

    private void rebuild() {
        var members = vm.membersProperty().get();
        Map<String, String> problems = vm.boardProblemsProperty().get();
        Map<String, PipelineViewModel.MemoryBar> mem = new java.util.HashMap<>();
        for (var m : vm.memoryProperty().get()) {
            mem.put(m.deviceId(), m);
        }
        if (bands.size() != members.size()) {
            getChildren().clear();
            bands.clear();
            handles.clear();
            for (int k = 0; k < members.size(); k++) {
                VBox band = new VBox(0, new Label(), new Label());
                band.getStyleClass().add("plan-band");
                band.setAlignment(Pos.CENTER_LEFT);
                band.setPadding(new Insets(2, 6, 2, 6));
                band.setMouseTransparent(false);
                for (var n : band.getChildren()) {
                    ((Label) n).setMinWidth(0);
                    n.setMouseTransparent(true);
                }
                Tooltip tip = new Tooltip();
                Tooltip.install(band, tip);
                band.getProperties().put(Tooltip.class, tip);
                bands.add(band);
                getChildren().add(band);
            }
            for (int b = 0; b + 1 < members.size(); b++) {
                Region h = new Region();
                h.setId("plan-boundary-" + b);
                h.getStyleClass().add("plan-boundary");
                h.setMouseTransparent(true);
                handles.add(h);
                getChildren().add(h);
            }
            if (members.isEmpty()) {
                getChildren().add(empty);
            }
        }
        for (int k = 0; k < members.size(); k++) {
            var m = members.get(k);
            VBox band = bands.get(k);
            band.setId("plan-band-" + m.deviceId());
            String problem = problems.get(m.deviceId());
            band.getStyleClass().removeAll("plan-band-broken", "plan-band-alt");
            if (problem != null) {
                band.getStyleClass().add("plan-band-broken");
            } else if (k % 2 == 1) {
                band.getStyleClass().add("plan-band-alt");
            }
            var bar = mem.get(m.deviceId());
            String memText = bar == null ? "" : String.format(Locale.ROOT, " \u00b7 %s / %s", Units.formatBytes(bar.neededBytes()),
                    Units.formatBytes(bar.usableBytes()));
            ((Label) band.getChildren().get(0)).setText((problem != null ? "\u2716 " : "") + m.deviceId() + "  "
                    + (m.layers() > 0 ? m.rangeLabel() : "no layers") + " (" + m.layers() + ")");
            ((Label) band.getChildren().get(1)).setText(problem != null ? problem.lines().findFirst().orElse("")
                    : Double.isNaN(m.stageMs()) ? memText.replaceFirst("^ \u00b7 ", "")
                    : String.format(Locale.ROOT, "%.2f ms/token", m.stageMs()) + memText);
            ((Tooltip) band.getProperties().get(Tooltip.class)).setText((m.deviceId() + ": layers " + (m.layers() > 0 ? m.rangeLabel() : "none")
                    + memText + (problem != null ? "\n" + problem : "")
                    + (k + 1 < members.size() ? "\nDrag the right edge to move layers to or from " + members.get(k + 1).deviceId() : "")));
        }
        requestLayout();
    }

    @Override
    protected void layoutChildren() {
        var members = vm.membersProperty().get();
        double h = getHeight();
        if (members.isEmpty() || bands.size() != members.size()) {
            empty.resizeRelocate(PAD, 0, Math.max(0, getWidth() - 2 * PAD), h);
            return;
        }
        for (int k = 0; k < members.size(); k++) {
            var m = members.get(k);
            double x0 = xOfLayer(m.firstLayer());
            double x1 = xOfLayer(m.lastLayerExclusive());
            bands.get(k).resizeRelocate(x0, 4, Math.max(0, x1 - x0), h - 8);
        }
        for (int b = 0; b < handles.size(); b++) {
            double x = xOfLayer(members.get(b).lastLayerExclusive());
            handles.get(b).resizeRelocate(x - 2, 0, 4, h);
        }
    }
}
