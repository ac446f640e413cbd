package org.airshard.app.gui.beam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * Beamformer magnitude heatmaps: |A| (rows = receive antennas, columns = streams) on its own colour scale,
 * then every |B_n| (rows = device antennas) on one shared scale so devices compare directly. Colour map:
 * viridis; each map has its colour bar's maximum printed under it. The device whose budget binds is
 * marked with a star.
 */
public final class HeatmapView extends Region {

    private final Canvas canvas = new Canvas();
    private BeamformerViewModel.Beams beams;
    private boolean dark;

    public HeatmapView() {
        getStyleClass().add("heatmap-view");
        setId("beam-heatmaps");
        getChildren().add(canvas);
        setMinSize(200, 120);
        setPrefSize(600, 240);
    }

    public void setDark(boolean dark) {
        this.dark = dark;
        draw();
    }

    public void show(BeamformerViewModel.Beams b) {
        beams = b;
        draw();
    }

    public Canvas canvas() {
        return canvas;
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(Math.max(1, getWidth()));
        canvas.setHeight(Math.max(1, getHeight()));
        draw();
    }

    private void draw() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, w, h);
        Color text = dark ? Color.web("#d8dce3") : Color.web("#2b2f36");
        g.setFont(Font.font(12));
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.LEFT);
        if (beams == null) {
            g.setFill(text);
            g.fillText("No beamformers yet: choose a realisation and press Solve.", 12, 12);
            return;
        }
        List<BeamformerViewModel.Magnitudes> maps = new ArrayList<>();
        maps.add(beams.a());
        maps.addAll(beams.b());
        double bMax = 0;
        int maxRows = 1;
        int totalCols = 0;
        for (BeamformerViewModel.Magnitudes m : maps) {
            maxRows = Math.max(maxRows, m.mag().length);
            totalCols += m.mag().length == 0 ? 0 : m.mag()[0].length;
        }
        for (BeamformerViewModel.Magnitudes m : beams.b()) {
            bMax = Math.max(bMax, m.max());
        }
        double gap = 26;
        double top = 22;
        double bottom = 30;
        double cell = Math.min((h - top - bottom) / maxRows, (w - 16 - gap * maps.size() - 60) / Math.max(1, totalCols));
        cell = Math.max(4, Math.min(34, cell));
        double x = 10;
        for (int k = 0; k < maps.size(); k++) {
            BeamformerViewModel.Magnitudes m = maps.get(k);
            double scale = k == 0 ? m.max() : bMax;
            int rows = m.mag().length;
            int cols = rows == 0 ? 0 : m.mag()[0].length;
            g.setFill(text);
            boolean binding = k > 0 && k - 1 == beams.binding();
            g.fillText(m.label() + (binding ? " \u2605" : ""), x, 4);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    g.setFill(viridis(scale > 0 ? m.mag()[i][j] / scale : 0));
                    g.fillRect(x + j * cell, top + i * cell, cell - 1, cell - 1);
                }
            }
            g.setFill(text);
            g.setFont(Font.font(10));
            g.fillText(String.format(Locale.ROOT, "%d\u00d7%d \u00b7 max %.3g", rows, cols, m.max()), x, top + rows * cell + 3);
            g.setFont(Font.font(12));
            double labelW = 7 * (m.label().length() + 2);
            x += Math.max(cols * cell, Math.max(labelW, 86)) + gap;
        }
        // colour bar
        double bx = Math.min(w - 40, x);
        double bh = Math.max(40, maxRows * cell);
        for (int i = 0; i < 50; i++) {
            g.setFill(viridis(1 - i / 49.0));
            g.fillRect(bx, top + i * bh / 50, 12, bh / 50 + 1);
        }
        g.setFill(text);
        g.setFont(Font.font(10));
        g.fillText("max", bx + 15, top - 2);
        g.fillText("0", bx + 15, top + bh - 10);
    }

    /** Viridis colour map, t in [0, 1] (5-point piecewise-linear approximation). */
    public static Color viridis(double t) {
        double[][] stops = {
            {0.267, 0.005, 0.329}, {0.229, 0.322, 0.546}, {0.128, 0.567, 0.551}, {0.369, 0.789, 0.383}, {0.993, 0.906, 0.144}};
        double v = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t)) * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) Math.floor(v));
        double f = v - i;
        return Color.color(stops[i][0] + f * (stops[i + 1][0] - stops[i][0]), stops[i][1] + f * (stops[i + 1][1] - stops[i][1]),
                stops[i][2] + f * (stops[i + 1][2] - stops[i][2]));
    }
}
