package org.airshard.planner.topology;

/** Unit conversions used across the planner. */
public final class Units {

    private Units() {
    }

    /** dBm → W: 10^((dBm − 30)/10). */
    public static double dbmToW(double dbm) {
        return Math.pow(10, (dbm - 30) / 10.0);
    }

    /** W → dBm. */
    public static double wToDbm(double w) {
        return 10 * Math.log10(w) + 30;
    }

    /** Linear power ratio → dB. */
    public static double toDb(double ratio) {
        return 10 * Math.log10(ratio);
    }

    /** dB → linear power ratio. */
    public static double fromDb(double db) {
        return Math.pow(10, db / 10.0);
    }

    /** Human-readable bytes (binary prefixes). */
    public static String formatBytes(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = 0;
        while (Math.abs(v) >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? String.format(java.util.Locale.ROOT, "%.0f %s", v, units[i])
                : String.format(java.util.Locale.ROOT, "%.2f %s", v, units[i]);
    }
}
