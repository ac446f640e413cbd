package org.airshard.app.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.airshard.planner.json.Json;
import org.airshard.planner.sweep.SweepTable;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws a {@link SweepTable} as a line chart (JFreeChart, headless) and writes it as PNG. */
public final class SweepChart {

    private SweepChart() {
    }

    public static JFreeChart chart(SweepTable t) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (SweepTable.Series s : t.series()) {
            XYSeries xy = new XYSeries(s.name());
            for (int i = 0; i < t.x().size(); i++) {
                double y = s.y().get(i);
                if (!Double.isNaN(y) && (!t.logY() || y > 0)) {
                    xy.add(t.x().get(i).doubleValue(), y);
                }
            }
            data.addSeries(xy);
        }
        JFreeChart c = ChartFactory.createXYLineChart(t.title(), t.xLabel(), t.yLabel(), data, PlotOrientation.VERTICAL,
                true, false, false);
        c.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        XYPlot plot = c.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        if (t.logY()) {
            LogAxis axis = new LogAxis(t.yLabel());
            axis.setSmallestValue(1e-12);
            plot.setRangeAxis(axis);
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < t.series().size(); i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(r);
        return c;
    }

    /** Writes the chart as a PNG atomically. */
    public static void writePng(SweepTable t, Path file, int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(bytes, chart(t), width, height);
        Json.writeAtomically(file, bytes.toByteArray());
    }
}
