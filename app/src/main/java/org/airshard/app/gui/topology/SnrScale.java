package org.airshard.app.gui.topology;

import java.util.List;
import java.util.Locale;

/**
 * Colour scale for average uplink SNR (dB) used by the canvas and its legend. Colours are CSS hex strings
 * so this class stays free of JavaFX; the scale runs from red (≤ {@link #MIN_DB}) through amber to green
 * (≥ {@link #MAX_DB}).
 */
public final class SnrScale {

    public static final double MIN_DB = 0;
    public static final double MAX_DB = 40;

    /** Anchor colours at 0, 1/3, 2/3 and 1 of the range. */
    private static final int[][] STOPS = {
            {0xd6, 0x2f, 0x2f}, // red: aggregation very noisy
            {0xf0, 0x8c, 0x1a}, // orange
            {0xe8, 0xc5, 0x1c}, // amber
            {0x2e, 0xa0, 0x4f}, // green
    };

    private SnrScale() {
    }

    /** Position of {@code snrDb} on the scale, clamped to [0, 1]; NaN maps to 0. */
    public static double fraction(double snrDb) {
        if (Double.isNaN(snrDb)) {
            return 0;
        }
        return Math.max(0, Math.min(1, (snrDb - MIN_DB) / (MAX_DB - MIN_DB)));
    }

    /** Colour for {@code snrDb} as {@code #rrggbb}. */
    public static String colorHex(double snrDb) {
        double f = fraction(snrDb) * (STOPS.length - 1);
        int i = Math.min(STOPS.length - 2, (int) Math.floor(f));
        double t = f - i;
        int[] a = STOPS[i];
        int[] b = STOPS[i + 1];
        return String.format(Locale.ROOT, "#%02x%02x%02x", mix(a[0], b[0], t), mix(a[1], b[1], t), mix(a[2], b[2], t));
    }

    private static int mix(int a, int b, double t) {
        return (int) Math.round(a + (b - a) * t);
    }

    /** Tick values (dB) for the legend. */
    public static List<Double> ticks() {
        return List.of(0.0, 10.0, 20.0, 30.0, 40.0);
    }

    /** Human label for a value, e.g. {@code "12.3 dB"}. */
    public static String label(double snrDb) {
        return Double.isFinite(snrDb) ? String.format(Locale.ROOT, "%.1f dB", snrDb) : "n/a";
    }
}
