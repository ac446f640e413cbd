package org.airshard.app.gui.charts;

import java.util.List;
import java.util.Locale;
import javafx.geometry.Side;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Tooltip;
import org.airshard.app.gui.plan.PipelineViewModel;

/**
 * Memory per board against its capacity: bars for what the placement needs, what is usable (capacity less
 * headroom) and the capacity, in GiB; a bar that does not fit is drawn in the error colour.
 */
public final class MemoryChart extends BarChart<String, Number> {

    private static final double GIB = 1024.0 * 1024 * 1024;

    public MemoryChart() {
        super(new CategoryAxis(), new NumberAxis());
        getYAxis().setLabel("GiB");
        setAnimated(false);
        setLegendSide(Side.BOTTOM);
        setBarGap(1);
        setCategoryGap(10);
        setMinHeight(120);
        getStyleClass().add("memory-chart");
    }

    public void show(List<PipelineViewModel.MemoryBar> bars) {
        XYChart.Series<String, Number> need = new XYChart.Series<>();
        need.setName("needed");
        XYChart.Series<String, Number> usable = new XYChart.Series<>();
        usable.setName("usable");
        XYChart.Series<String, Number> capacity = new XYChart.Series<>();
        capacity.setName("capacity");
        for (PipelineViewModel.MemoryBar b : bars) {
            XYChart.Data<String, Number> d = new XYChart.Data<>(b.deviceId(), b.neededBytes() / GIB);
            d.nodeProperty().addListener((o, a, node) -> {
                if (node != null) {
                    Tooltip.install(node, new Tooltip(String.format(Locale.ROOT, "%s needs %.2f GiB of %.2f GiB usable%s",
                            b.deviceId(), b.neededBytes() / GIB, b.usableBytes() / GIB, b.fits() ? "" : " \u2716 does not fit")));
                }
            });
            need.getData().add(d);
            usable.getData().add(new XYChart.Data<>(b.deviceId(), b.usableBytes() / GIB));
            capacity.getData().add(new XYChart.Data<>(b.deviceId(), b.capacityBytes() / GIB));
        }
        getData().setAll(List.of(need, usable, capacity));
        // BarChart resets a bar's style classes when it creates it: mark bars over capacity inline afterwards
        // (series colours come from .memory-chart in the theme)
        for (int i = 0; i < bars.size(); i++) {
            if (!bars.get(i).fits() && need.getData().get(i).getNode() != null) {
                need.getData().get(i).getNode().setStyle("-fx-bar-fill: -as-error;");
            }
        }
    }
}
