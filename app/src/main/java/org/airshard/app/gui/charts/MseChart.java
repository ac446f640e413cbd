package org.airshard.app.gui.charts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Tooltip;
import javafx.util.StringConverter;
import org.airshard.app.gui.plan.BaselineComparison;

/**
 * All-reduce E[MSE] per (split × scheme) as horizontal bars. When the values span more than two decades the
 * axis is logarithmic (bars show log10, ticks read 1e-3 …); infeasible splits are listed with no bar and
 * "(infeasible)" in their name. Tooltips give mean ± 95 % CI.
 */
public final class MseChart extends BarChart<Number, String> {

    private final NumberAxis valueAxis;
    private final CategoryAxis rowsAxis;

    public MseChart() {
        this(new NumberAxis(), new CategoryAxis());
    }

    private MseChart(NumberAxis value, CategoryAxis rows) {
        super(value, rows);
        this.valueAxis = value;
        this.rowsAxis = rows;
        setAnimated(false);
        setLegendVisible(false);
        setCategoryGap(6);
        setMinHeight(120);
        getStyleClass().add("mse-chart");
    }

    public void show(List<BaselineComparison.MseBar> bars) {
        boolean log = BaselineComparison.needsLogScale(bars);
        valueAxis.setLabel(log ? "E[MSE] (log scale)" : "E[MSE]");
        valueAxis.setForceZeroInRange(!log);
        valueAxis.setTickLabelFormatter(log ? new StringConverter<>() {
            @Override
            public String toString(Number v) {
                return String.format(Locale.ROOT, "1e%.1f", v.doubleValue()).replace(".0", "");
            }

            @Override
            public Number fromString(String s) {
                return 0;
            }
        } : null);
        XYChart.Series<Number, String> s = new XYChart.Series<>();
        List<BaselineComparison.MseBar> top = new ArrayList<>(bars);
        Collections.reverse(top);
        List<String> cats = new ArrayList<>();
        double floor = Double.POSITIVE_INFINITY;
        for (BaselineComparison.MseBar b : top) {
            if (b.feasible() && b.mse().mean() > 0) {
                floor = Math.min(floor, Math.floor(Math.log10(b.mse().mean())) - 1);
            }
        }
        for (BaselineComparison.MseBar b : top) {
            String name = b.feasible() ? b.name() : b.name() + " (infeasible)";
            cats.add(name);
            if (b.feasible()) {
                double v = log ? Math.log10(Math.max(b.mse().mean(), 1e-300)) - floor : b.mse().mean();
                XYChart.Data<Number, String> d = new XYChart.Data<>(v, name);
                d.nodeProperty().addListener((o, a, node) -> {
                    if (node != null) {
                        Tooltip.install(node, new Tooltip(String.format(Locale.ROOT, "%s\nE[MSE] %.4g \u00b1 %.2g (%d samples)",
                                b.name(), b.mse().mean(), b.mse().ci95(), b.mse().samples())));
                    }
                });
                s.getData().add(d);
            }
        }
        if (log) {
            double f = floor;
            valueAxis.setTickLabelFormatter(new StringConverter<>() {
                @Override
                public String toString(Number v) {
                    double e = v.doubleValue() + f;
                    return Math.abs(e - Math.rint(e)) < 1e-6 ? "1e" + (long) Math.rint(e) : "";
                }

                @Override
                public Number fromString(String str) {
                    return 0;
                }
            });
        }
        rowsAxis.getCategories().setAll(cats);
        getData().setAll(List.of(s));
        for (XYChart.Data<Number, String> d : s.getData()) { // ours in the accent colour, the rest grey
            if (d.getNode() != null) {
                d.getNode().setStyle("-fx-bar-fill: " + (d.getYValue().startsWith("SSCA \u00b7 AirComp") ? "-as-accent" : "#8f99a5") + ";");
            }
        }
    }
}
