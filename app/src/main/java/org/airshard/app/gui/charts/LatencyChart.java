package org.airshard.app.gui.charts;

import java.util.List;
import javafx.geometry.Side;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.chart.XYChart;
import org.airshard.app.gui.plan.AnalysisViewModel;

/**
 * Per-token latency as horizontal stacked bars (compute, all-reduce or hops, broadcast, server), one bar per
 * row, first row at the top.
 */
public final class LatencyChart extends StackedBarChart<Number, String> {

    private final CategoryAxis rowsAxis;

    public LatencyChart() {
        this(new NumberAxis(), new CategoryAxis());
    }

    private LatencyChart(NumberAxis value, CategoryAxis rows) {
        super(value, rows);
        this.rowsAxis = rows;
        value.setLabel("ms per token");
        value.setForceZeroInRange(true);
        setAnimated(false);
        setLegendSide(Side.BOTTOM);
        setCategoryGap(6);
        setMinHeight(120);
        getStyleClass().add("latency-chart");
    }

    public void show(List<AnalysisViewModel.Row> rows) {
        XYChart.Series<Number, String> compute = series("compute");
        XYChart.Series<Number, String> comm = series("all-reduce / hops");
        XYChart.Series<Number, String> bcast = series("broadcast");
        XYChart.Series<Number, String> server = series("server");
        List<AnalysisViewModel.Row> top = new java.util.ArrayList<>(rows);
        java.util.Collections.reverse(top); // a category axis on the left draws its first category at the bottom
        for (AnalysisViewModel.Row r : top) {
            compute.getData().add(new XYChart.Data<>(r.computeMs(), r.name()));
            comm.getData().add(new XYChart.Data<>(r.communicationMs(), r.name()));
            bcast.getData().add(new XYChart.Data<>(r.broadcastMs(), r.name()));
            server.getData().add(new XYChart.Data<>(r.serverMs(), r.name()));
        }
        rowsAxis.getCategories().setAll(top.stream().map(AnalysisViewModel.Row::name).toList());
        getData().setAll(List.of(compute, comm, bcast, server));
    }

    private static XYChart.Series<Number, String> series(String name) {
        XYChart.Series<Number, String> s = new XYChart.Series<>();
        s.setName(name);
        return s;
    }
}
