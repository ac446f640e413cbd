package org.airshard.app.gui.beam;

import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Side;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * Beamformers and energy: pick a channel realisation, Solve, then |A| and |B_n| heatmaps on the left and
 * per-device energy per layer per token (compute, radio, unused budget; the bar's full length is P_n^max)
 * on the right.
 */
public final class BeamformerPanel extends VBox {

    private final HeatmapView heatmaps = new HeatmapView();
    private final StackedBarChart<Number, String> energyChart = new StackedBarChart<>(new NumberAxis(), new CategoryAxis());

    public BeamformerPanel(BeamformerViewModel vm) {
        setId("beamformer-panel");
        Spinner<Integer> realisation = new Spinner<>(1, 10_000, vm.realisationProperty().get() + 1);
        realisation.setId("beam-realisation");
        realisation.setEditable(true);
        realisation.setPrefWidth(80);
        realisation.setMinWidth(Region.USE_PREF_SIZE);
        realisation.valueProperty().addListener((o, a, b) -> vm.realisationProperty().set(b - 1));
        Button solve = new Button("Solve");
        solve.setId("beam-solve");
        solve.getStyleClass().add("accent");
        solve.setMinWidth(Region.USE_PREF_SIZE);
        solve.setTooltip(new Tooltip("Solve the short-term AirComp problem (SDR + randomisation + polish) for this realisation"));
        solve.setOnAction(e -> vm.solve());
        solve.disableProperty().bind(vm.runningProperty().or(vm.energyProperty().isNull())
                .or(javafx.beans.binding.Bindings.createBooleanBinding(() -> vm.energyProperty().get().isEmpty(), vm.energyProperty())));
        ProgressIndicator spin = new ProgressIndicator();
        spin.setPrefSize(18, 18);
        spin.visibleProperty().bind(vm.runningProperty());
        Label rl = new Label("channel realisation");
        rl.setMinWidth(Region.USE_PREF_SIZE);
        Label summary = new Label();
        summary.setId("beam-summary");
        summary.textProperty().bind(vm.summaryProperty());
        summary.getStyleClass().add("legend-note");
        summary.setMinWidth(0);
        summary.setWrapText(true);
        summary.setPadding(new Insets(0, 8, 2, 8));
        HBox head = new HBox(8, rl, realisation, solve, spin);
        head.setAlignment(Pos.CENTER_LEFT);
        head.setPadding(new Insets(4, 8, 2, 8));

        NumberAxis joules = (NumberAxis) energyChart.getXAxis();
        joules.setLabel("J (bar length = budget P_n^max)");
        energyChart.setId("energy-chart");
        energyChart.getStyleClass().add("energy-chart");
        energyChart.setAnimated(false);
        energyChart.setLegendSide(Side.BOTTOM);
        energyChart.setCategoryGap(8);
        energyChart.setTitle("Energy per layer per token");
        energyChart.setMinHeight(120);
        vm.beamsProperty().addListener((o, a, b) -> heatmaps.show(b));
        vm.energyProperty().addListener((o, a, rows) -> showEnergy(rows));

        SplitPane split = new SplitPane(heatmaps, energyChart);
        split.setDividerPositions(0.55);
        VBox.setVgrow(split, Priority.ALWAYS);
        getChildren().addAll(head, summary, split);
    }

    public HeatmapView heatmaps() {
        return heatmaps;
    }

    public StackedBarChart<Number, String> energyChart() {
        return energyChart;
    }

    private void showEnergy(List<BeamformerViewModel.EnergyRow> rows) {
        XYChart.Series<Number, String> compute = new XYChart.Series<>();
        compute.setName("compute");
        XYChart.Series<Number, String> radio = new XYChart.Series<>();
        radio.setName("radio (2 all-reduces)");
        XYChart.Series<Number, String> unused = new XYChart.Series<>();
        unused.setName("unused budget");
        CategoryAxis axis = (CategoryAxis) energyChart.getYAxis();
        List<BeamformerViewModel.EnergyRow> top = new java.util.ArrayList<>(rows);
        java.util.Collections.reverse(top);
        for (BeamformerViewModel.EnergyRow r : top) {
            double rad = Double.isNaN(r.radioJ()) ? 0 : r.radioJ();
            String cat = r.deviceId() + (r.withinBudget() ? "" : " \u2716");
            add(compute, r.computeJ(), cat, r);
            add(radio, rad, cat, r);
            add(unused, Math.max(0, r.budgetJ() - r.computeJ() - rad), cat, r);
        }
        axis.getCategories().setAll(top.stream().map(r -> r.deviceId() + (r.withinBudget() ? "" : " \u2716")).toList());
        energyChart.getData().setAll(List.of(compute, radio, unused));
    }

    private static void add(XYChart.Series<Number, String> s, double v, String cat, BeamformerViewModel.EnergyRow r) {
        XYChart.Data<Number, String> d = new XYChart.Data<>(v, cat);
        d.nodeProperty().addListener((o, a, node) -> {
            if (node != null) {
                Tooltip.install(node, new Tooltip(String.format(Locale.ROOT,
                        "%s: compute %.3g J, radio %s, radio allowance %.3g J, budget P_n^max %.3g J", r.deviceId(), r.computeJ(),
                        Double.isNaN(r.radioJ()) ? "not solved" : String.format(Locale.ROOT, "%.3g J", r.radioJ()), r.allowanceJ(),
                        r.budgetJ())));
            }
        });
        s.getData().add(d);
    }
}
