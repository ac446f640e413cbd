package org.airshard.app.gui.plan;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * AirComp tab: Run / Cancel with a progress bar, the live convergence of the running E[MSE] per SSCA
 * iteration, and per-device shares (continuous and rounded) as bars.
 */
public final class OptimizerPanel extends VBox {

    private final XYChart.Series<Number, Number> curve = new XYChart.Series<>();
    private final BarChart<String, Number> sharesChart = new BarChart<>(new CategoryAxis(), new NumberAxis());

    public OptimizerPanel(OptimizerViewModel vm) {
        getStyleClass().add("optimizer-panel");
        setId("optimizer-panel");
        Button run = new Button("Optimise");
        run.setId("optimizer-run");
        run.getStyleClass().add("accent");
        run.setMinWidth(Region.USE_PREF_SIZE);
        run.setOnAction(e -> vm.run());
        run.disableProperty().bind(vm.runningProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("optimizer-cancel");
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        cancel.setOnAction(e -> vm.cancel());
        cancel.disableProperty().bind(vm.runningProperty().not());
        Spinner<Integer> iterations = new Spinner<>(10, 5000, vm.iterationsProperty().get(), 50);
        iterations.setEditable(true);
        iterations.setPrefWidth(90);
        iterations.valueProperty().addListener((o, a, b) -> vm.iterationsProperty().set(b));
        iterations.disableProperty().bind(vm.runningProperty());
        Label itLabel = new Label("iterations");
        itLabel.getStyleClass().add("legend-note");
        ProgressBar bar = new ProgressBar();
        bar.setId("optimizer-progress");
        bar.progressProperty().bind(vm.progressProperty());
        bar.setPrefWidth(160);
        Label stale = new Label("stale: the topology changed since this run");
        stale.getStyleClass().add("stale-tag");
        stale.visibleProperty().bind(vm.staleProperty());
        stale.managedProperty().bind(vm.staleProperty());
        HBox head = new HBox(8, run, cancel, iterations, itLabel, bar, stale);
        head.setAlignment(Pos.CENTER_LEFT);
        head.setPadding(new Insets(6, 10, 2, 10));
        Label summary = new Label();
        summary.setId("optimizer-summary");
        summary.textProperty().bind(vm.summaryProperty());
        summary.setWrapText(true);
        summary.setMinHeight(Region.USE_PREF_SIZE);
        summary.setPadding(new Insets(4, 10, 4, 6));
        summary.getStyleClass().add("optimizer-summary");
        javafx.scene.control.ScrollPane summaryScroll = new javafx.scene.control.ScrollPane(summary);
        summaryScroll.setFitToWidth(true);
        summaryScroll.setPrefWidth(330);
        summaryScroll.setMinWidth(260);
        summaryScroll.getStyleClass().add("property-scroll");

        NumberAxis x = new NumberAxis();
        x.setLabel("SSCA iteration");
        NumberAxis y = new NumberAxis();
        y.setLabel("running E[MSE]");
        y.setForceZeroInRange(false);
        LineChart<Number, Number> conv = new LineChart<>(x, y);
        conv.setId("optimizer-convergence");
        conv.setAnimated(false);
        conv.setCreateSymbols(false);
        conv.setLegendVisible(false);
        curve.setName("running E[MSE]");
        conv.getData().add(curve);
        sharesChart.setId("optimizer-shares");
        sharesChart.setAnimated(false);
        sharesChart.getYAxis().setLabel("share of each layer");
        sharesChart.setLegendSide(javafx.geometry.Side.RIGHT);
        HBox charts = new HBox(4, conv, sharesChart, summaryScroll);
        HBox.setHgrow(conv, Priority.ALWAYS);
        HBox.setHgrow(sharesChart, Priority.ALWAYS);
        conv.setMinHeight(120);
        sharesChart.setMinHeight(120);
        VBox.setVgrow(charts, Priority.ALWAYS);

        vm.convergenceProperty().addListener((o, a, pts) -> {
            var data = new java.util.ArrayList<XYChart.Data<Number, Number>>(pts.size());
            for (OptimizerViewModel.Point p : pts) {
                data.add(new XYChart.Data<>(p.iteration(), p.runningMse()));
            }
            curve.getData().setAll(data);
        });
        vm.sharesProperty().addListener((o, a, s) -> {
            XYChart.Series<String, Number> cont = new XYChart.Series<>();
            cont.setName("continuous");
            XYChart.Series<String, Number> rounded = new XYChart.Series<>();
            rounded.setName("rounded");
            for (OptimizerViewModel.Share sh : s) {
                cont.getData().add(new XYChart.Data<>(sh.deviceId(), sh.continuous()));
                rounded.getData().add(new XYChart.Data<>(sh.deviceId(), sh.rounded()));
            }
            sharesChart.getData().setAll(java.util.List.of(cont, rounded));
        });
        getChildren().addAll(head, charts);
    }
}
