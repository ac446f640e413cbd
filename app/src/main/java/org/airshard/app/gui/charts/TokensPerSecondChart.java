package org.airshard.app.gui.charts;

import java.util.List;
import javafx.geometry.Side;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import org.airshard.app.gui.plan.PipelineViewModel;

/** Predicted tokens/s against S (sequences in flight), one line per partition (ours, baselines, edited). */
public final class TokensPerSecondChart extends LineChart<Number, Number> {

    public TokensPerSecondChart() {
        super(new NumberAxis(), new NumberAxis());
        getXAxis().setLabel("S, sequences in flight");
        getYAxis().setLabel("tokens/s");
        setAnimated(false);
        setCreateSymbols(false);
        setLegendSide(Side.BOTTOM);
        setMinHeight(120);
        getStyleClass().add("tokens-chart");
    }

    public void show(List<PipelineViewModel.Curve> curves) {
        List<XYChart.Series<Number, Number>> all = new java.util.ArrayList<>();
        for (PipelineViewModel.Curve c : curves) {
            XYChart.Series<Number, Number> s = new XYChart.Series<>();
            s.setName(c.name());
            for (double[] p : c.points()) {
                s.getData().add(new XYChart.Data<>(p[0], p[1]));
            }
            all.add(s);
        }
        getData().setAll(all);
        for (int i = 0; i < all.size(); i++) {
            javafx.scene.Node line = all.get(i).getNode();
            if (line != null && !curves.get(i).fits()) {
                line.setStyle("-fx-stroke-dash-array: 6 4;");
            }
        }
    }
}
