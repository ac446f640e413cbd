package org.airshard.app.gui.plan;

import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * Latency comparison: per-token time of each scheme as a stacked horizontal bar (compute, communication,
 * broadcast, server), tokens/s in the labels.
 */
public final class AnalysisPanel extends VBox {

    private final org.airshard.app.gui.charts.LatencyChart chart = new org.airshard.app.gui.charts.LatencyChart();

    public AnalysisPanel(AnalysisViewModel vm) {
        getStyleClass().add("analysis-panel");
        setId("analysis-panel");
        Button run = new Button("Analyze");
        run.setId("analysis-run");
        run.getStyleClass().add("accent");
        run.setMinWidth(Region.USE_PREF_SIZE);
        run.setOnAction(e -> vm.run());
        run.disableProperty().bind(vm.runningProperty());
        ProgressIndicator spin = new ProgressIndicator();
        spin.setPrefSize(18, 18);
        spin.visibleProperty().bind(vm.runningProperty());
        Label note = new Label("equal tensor shares, no optimisation; ms per generated token");
        note.getStyleClass().add("legend-note");
        Label stale = new Label("stale: the topology changed since this run");
        stale.getStyleClass().add("stale-tag");
        stale.visibleProperty().bind(vm.staleProperty());
        stale.managedProperty().bind(vm.staleProperty());
        HBox head = new HBox(8, run, spin, note, stale);
        head.setAlignment(Pos.CENTER_LEFT);
        head.setPadding(new Insets(6, 10, 2, 10));
        Label summary = new Label();
        summary.setId("analysis-summary");
        summary.textProperty().bind(vm.summaryProperty());
        summary.setWrapText(true);
        summary.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        summary.setPadding(new Insets(0, 10, 2, 10));

        chart.setId("analysis-chart");
        chart.setLegendSide(javafx.geometry.Side.RIGHT);
        chart.setCategoryGap(8);
        VBox.setVgrow(chart, Priority.ALWAYS);
        vm.rowsProperty().addListener((o, a, rows) -> show(rows));
        getChildren().addAll(head, summary, chart);
    }

    /** The latency chart (for export). */
    public StackedBarChart<Number, String> chart() {
        return chart;
    }

    private void show(java.util.List<AnalysisViewModel.Row> rows) {
        chart.show(rows);
    }
}
