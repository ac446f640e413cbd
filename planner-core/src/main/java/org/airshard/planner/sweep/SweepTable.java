package org.airshard.planner.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The result of a sweep: an x column and one or more y series, with units in the column names, written as
 * CSV and drawn as a chart by the app. Missing points (infeasible) are NaN and written as empty cells.
 *
 * @param name   sweep id
 * @param title  chart title
 * @param xLabel x column name with unit
 * @param yLabel y axis label with unit
 * @param logY   whether the y axis is logarithmic
 * @param x      x values
 * @param series named y series, each as long as x
 * @param notes  remarks (settings, what is not comparable)
 */
public record SweepTable(String name, String title, String xLabel, String yLabel, boolean logY, List<Double> x,
                         List<Series> series, List<String> notes) {

    /** One named y series. */
    public record Series(String name, List<Double> y) {
    }

    /** CSV: header {@code xLabel,series...}; NaN as an empty cell; '#' comment lines for the notes. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder();
        for (String n : notes) {
            sb.append("# ").append(n.replace('\n', ' ')).append('\n');
        }
        sb.append(csv(xLabel));
        for (Series s : series) {
            sb.append(',').append(csv(s.name()));
        }
        sb.append('\n');
        for (int i = 0; i < x.size(); i++) {
            sb.append(num(x.get(i)));
            for (Series s : series) {
                sb.append(',').append(num(s.y().get(i)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Builder for series filled point by point. */
    public static final class Builder {
        private final List<Double> x = new ArrayList<>();
        private final List<String> names;
        private final List<List<Double>> ys = new ArrayList<>();

        public Builder(List<String> seriesNames) {
            this.names = List.copyOf(seriesNames);
            for (int i = 0; i < names.size(); i++) {
                ys.add(new ArrayList<>());
            }
        }

        public Builder add(double xv, double... yv) {
            if (yv.length != names.size()) {
                throw new IllegalArgumentException("one value per series expected");
            }
            x.add(xv);
            for (int i = 0; i < yv.length; i++) {
                ys.get(i).add(yv[i]);
            }
            return this;
        }

        public SweepTable build(String name, String title, String xLabel, String yLabel, boolean logY, List<String> notes) {
            List<Series> s = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                s.add(new Series(names.get(i), List.copyOf(ys.get(i))));
            }
            return new SweepTable(name, title, xLabel, yLabel, logY, List.copyOf(x), s, List.copyOf(notes));
        }
    }
}
