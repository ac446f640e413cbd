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
        // follow the theme: the dark variant is a style class on the scene's root
        javafx.collections.ListChangeListener<String> themeChanged = c -> draw();
        sceneProperty().addListener((o, a, sc) -> {
            if (a != null) {
                a.getRoot().getStyleClass().removeListener(themeChanged);
            }
            if (sc != null) {
                sc.getRoot().getStyleClass().addListener(themeChanged);
            }
            draw();
        });
    }

    private boolean dark() {
        return dark || getScene() != null && getScene().getRoot().getStyleClass().contains("dark");
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
        Color text = dark() ? Color.web("#d8dce3") : Color.web("#2b2f36");
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
        for (BeamformerViewModel.Magnitudes m : beams.b()) {
            bMax = Math.max(bMax, m.max());
        }
        // colour bar on the left, then the maps in a flow: the largest cell size (≤ 34 px) at which they fit
        double barW = 44;
        double left = 10 + barW;
        double gap = 22;
        double labelH = 18;
        double footH = 16;
        double[] labelW = new double[maps.size()];
        javafx.scene.text.Text probe = new javafx.scene.text.Text();
        probe.setFont(Font.font(12));
        for (int k = 0; k < maps.size(); k++) {
            probe.setText(maps.get(k).label() + " \u2605");
            labelW[k] = Math.max(probe.getLayoutBounds().getWidth(), 90);
        }
        double cell = 34;
        double[][] pos = new double[maps.size()][2];
        for (; cell >= 4; cell -= 1) {
            double x = left;
            double y = 4;
            double rowH = 0;
            boolean fits = true;
            for (int k = 0; k < maps.size(); k++) {
                int rows = maps.get(k).mag().length;
                int cols = rows == 0 ? 0 : maps.get(k).mag()[0].length;
                double bw = Math.max(cols * cell, labelW[k]);
                double bh = labelH + rows * cell + footH;
                if (x > left && x + bw > w - 6) {
                    x = left;
                    y += rowH + 8;
                    rowH = 0;
                }
                pos[k][0] = x;
                pos[k][1] = y;
                x += bw + gap;
                rowH = Math.max(rowH, bh);
            }
            if (y + rowH <= h - 2) {
                break;
            }
        }
        cell = Math.max(4, cell);
        for (int k = 0; k < maps.size(); k++) {
            BeamformerViewModel.Magnitudes m = maps.get(k);
            double scale = k == 0 ? m.max() : bMax;
            int rows = m.mag().length;
            int cols = rows == 0 ? 0 : m.mag()[0].length;
            double x = pos[k][0];
            double top = pos[k][1] + labelH;
            g.setFill(text);
            g.setFont(Font.font(12));
            boolean binding = k > 0 && k - 1 == beams.binding();
            g.fillText(m.label() + (binding ? " \u2605" : ""), x, pos[k][1]);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    g.setFill(viridis(scale > 0 ? m.mag()[i][j] / scale : 0));
                    g.fillRect(x + j * cell, top + i * cell, cell - 1, cell - 1);
                }
            }
            g.setFill(text);
            g.setFont(Font.font(10));
            g.fillText(String.format(Locale.ROOT, "%d\u00d7%d \u00b7 max %.3g", rows, cols, m.max()), x, top + rows * cell + 2);
        }
        // colour bar (each map is scaled to its own maximum: |A| alone, all |B_n| together)
        double bh = Math.max(40, Math.min(h - 40, 160));
        for (int i = 0; i < 50; i++) {
            g.setFill(viridis(1 - i / 49.0));
            g.fillRect(10, 22 + i * bh / 50, 12, bh / 50 + 1);
        }
        g.setFill(text);
        g.setFont(Font.font(10));
        g.fillText("max", 10, 8);
        g.fillText("0", 26, 22 + bh - 10);
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
