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
 * AirComp tab: Run / Cancel with a progress bar over inner tabs: the live convergence of the running E[MSE]
 * per SSCA iteration with per-device shares (continuous and rounded); the baselines (E[MSE] and latency per
 * token against equal / compute-proportional splits and digital / uncoded-FDMA schemes); the plan editor;
 * beamformer heatmaps and per-device energy. Every chart exports as PNG or SVG from its context menu.
 */
public final class OptimizerPanel extends VBox {

    private final XYChart.Series<Number, Number> curve = new XYChart.Series<>();
    private final BarChart<String, Number> sharesChart = new BarChart<>(new CategoryAxis(), new NumberAxis());
    private final org.airshard.app.gui.charts.MseChart mseChart = new org.airshard.app.gui.charts.MseChart();
    private final org.airshard.app.gui.charts.LatencyChart latencyChart = new org.airshard.app.gui.charts.LatencyChart();
    private final javafx.scene.control.TabPane tabs = new javafx.scene.control.TabPane();

    /** Optimiser only (no plan editor, beamformers or export). */
    public OptimizerPanel(OptimizerViewModel vm) {
        this(vm, null, null, null);
    }

    /**
     * @param plan   the tensor-plan editor fed with each finished run, or null
     * @param beams  beamformers and energy, fed with the run and the edited shares, or null
     * @param export chart export (context menus), or null
     */
    public OptimizerPanel(OptimizerViewModel vm, org.airshard.app.gui.tensor.TensorPlanViewModel plan,
                          org.airshard.app.gui.beam.BeamformerViewModel beams, org.airshard.app.gui.charts.ChartExport export) {
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
        sharesChart.setLegendSide(javafx.geometry.Side.BOTTOM);
        summaryScroll.setPrefWidth(300);
        summaryScroll.setMinWidth(200);
        HBox charts = new HBox(4, conv, sharesChart, summaryScroll);
        HBox.setHgrow(conv, Priority.ALWAYS);
        HBox.setHgrow(sharesChart, Priority.ALWAYS);
        conv.setMinHeight(120);
        sharesChart.setMinHeight(120);
        

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
        tabs.setId("optimizer-tabs");
        tabs.getStyleClass().add("inner-tabs");
        tabs.setTabClosingPolicy(javafx.scene.control.TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getTabs().add(tab("Convergence", "opt-tab-convergence", charts));
        mseChart.setId("optimizer-mse-chart");
        mseChart.setTitle("All-reduce E[MSE]");
        latencyChart.setId("optimizer-latency-chart");
        latencyChart.setTitle("Latency per token");
        javafx.scene.control.SplitPane baselines = new javafx.scene.control.SplitPane(mseChart, latencyChart);
        baselines.setDividerPositions(0.45);
        tabs.getTabs().add(tab("Baselines", "opt-tab-baselines", baselines));
        vm.lastRunProperty().addListener((o, a, last) -> {
            if (last == null) {
                mseChart.getData().clear();
                latencyChart.getData().clear();
            } else {
                mseChart.show(BaselineComparison.mseBars(last.report()));
                latencyChart.show(BaselineComparison.latencyRows(last));
            }
        });
        if (beams != null) { // before the plan editor's: an edited plan's shares must meet the run they belong to
            vm.lastRunProperty().addListener((o, a, last) -> beams.load(last));
        }
        if (plan != null) {
            tabs.getTabs().add(tab("Edit plan", "opt-tab-plan", new org.airshard.app.gui.tensor.TensorPlanPanel(plan, export == null ? null : export.dialogs(), export == null ? msg -> { } : export.status())));
            vm.lastRunProperty().addListener((o, a, last) -> plan.load(last));
        }
        if (beams != null) {
            org.airshard.app.gui.beam.BeamformerPanel bp = new org.airshard.app.gui.beam.BeamformerPanel(beams);
            tabs.getTabs().add(tab("Beamformers & energy", "opt-tab-beams", bp));
            if (plan != null) {
                plan.planProperty().addListener((o, a, p) -> {
                    var cur = vm.lastRunProperty().get();
                    if (cur != null && p != null && p.tensor() != null && (a == null || a.tensor() == null
                            || !a.tensor().shares().equals(p.tensor().shares()))) {
                        beams.setShares(org.airshard.app.gui.tensor.TensorPlanViewModel.heldShares(p, cur.topology(), cur.model()));
                    }
                });
            }
            if (export != null) {
                export.install(bp.heatmaps(), "beamformers");
                export.install(bp.energyChart(), "energy");
            }
        }
        if (export != null) {
            export.install(conv, "convergence");
            export.install(sharesChart, "shares");
            export.install(mseChart, "mse-baselines");
            export.install(latencyChart, "latency-baselines");
        }
        VBox.setVgrow(tabs, Priority.ALWAYS);
        getChildren().addAll(head, tabs);
    }

    /** The inner tabs (convergence, baselines, plan editor, beamformers). */
    public javafx.scene.control.TabPane tabs() {
        return tabs;
    }

    private static javafx.scene.control.Tab tab(String title, String id, javafx.scene.Node content) {
        javafx.scene.control.Tab t = new javafx.scene.control.Tab(title, content);
        t.setId(id);
        return t;
    }
}
