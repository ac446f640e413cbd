package org.airshard.app.gui.topology;

import org.airshard.planner.topology.Device;
import org.airshard.planner.topology.Position;
import org.airshard.planner.topology.Topology;

/**
 * Maps floor-plan metres to canvas pixels: {@code screen = offset + world × scale}. Mutable, owned by
 * the canvas; kept free of JavaFX so zoom and fit arithmetic is unit-tested.
 */
public final class Viewport {

    public static final double MIN_SCALE = 2;     // px per metre
    public static final double MAX_SCALE = 400;
    public static final double DEFAULT_SCALE = 30;

    private double scalePxPerM = DEFAULT_SCALE;
    private double offsetXPx;
    private double offsetYPx;

    public double scale() {
        return scalePxPerM;
    }

    public double offsetX() {
        return offsetXPx;
    }

    public double offsetY() {
        return offsetYPx;
    }

    public double toScreenX(double xM) {
        return offsetXPx + xM * scalePxPerM;
    }

    public double toScreenY(double yM) {
        return offsetYPx + yM * scalePxPerM;
    }

    public double toWorldX(double sx) {
        return (sx - offsetXPx) / scalePxPerM;
    }

    public double toWorldY(double sy) {
        return (sy - offsetYPx) / scalePxPerM;
    }

    public Position toWorld(double sx, double sy) {
        return new Position(toWorldX(sx), toWorldY(sy));
    }

    public void panBy(double dxPx, double dyPx) {
        offsetXPx += dxPx;
        offsetYPx += dyPx;
    }

    /** Zooms by {@code factor} keeping the world point under (sx, sy) in place. */
    public void zoomAt(double factor, double sx, double sy) {
        double wx = toWorldX(sx);
        double wy = toWorldY(sy);
        scalePxPerM = clamp(scalePxPerM * factor);
        offsetXPx = sx - wx * scalePxPerM;
        offsetYPx = sy - wy * scalePxPerM;
    }

    /** Shows every node of {@code t} inside a {@code widthPx × heightPx} area with a margin. */
    public void fit(Topology t, double widthPx, double heightPx, double marginPx) {
        fit(t, widthPx, heightPx, marginPx, marginPx, marginPx, marginPx);
    }

    /** Like {@link #fit(Topology, double, double, double)} with a margin per side (room for overlays). */
    public void fit(Topology t, double widthPx, double heightPx, double leftPx, double topPx, double rightPx,
                    double bottomPx) {
        double minX = t.server().position().xM(), maxX = minX;
        double minY = t.server().position().yM(), maxY = minY;
        for (Device d : t.devices()) {
            double x = d.position().xM(), y = d.position().yM();
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                continue;
            }
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        if (!Double.isFinite(minX) || !Double.isFinite(minY)) {
            minX = maxX = minY = maxY = 0;
        }
        double w = Math.max(maxX - minX, 4), h = Math.max(maxY - minY, 4);
        double availW = Math.max(widthPx - leftPx - rightPx, 50), availH = Math.max(heightPx - topPx - bottomPx, 50);
        scalePxPerM = clamp(Math.min(availW / w, availH / h));
        double cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
        offsetXPx = leftPx + availW / 2 - cx * scalePxPerM;
        offsetYPx = topPx + availH / 2 - cy * scalePxPerM;
    }

    private static double clamp(double s) {
        return Math.max(MIN_SCALE, Math.min(MAX_SCALE, s));
    }

    /** A "nice" grid spacing in metres so lines are at least {@code minPx} apart. */
    public double gridStepM(double minPx) {
        double[] steps = {0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
        for (double s : steps) {
            if (s * scalePxPerM >= minPx) {
                return s;
            }
        }
        return 1000;
    }
}
