package io.clipstream.cli.checkpoints;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws a {@link LearningCurve} as a PNG: losses above, recalls and zero-shot accuracies (0–1) below, one step axis. */
public final class LearningCurveChart {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    private LearningCurveChart() {
    }

    public static JFreeChart chart(LearningCurve curve, String title) {
        // Steps from 0, in whole steps: a run of one checkpoint otherwise spans a hair's width around its step, every
        // tick reading the same number.
        NumberAxis steps = new NumberAxis("step");
        steps.setAutoRangeIncludesZero(true);
        steps.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(steps);
        plot.setGap(12);
        NumberAxis loss = new NumberAxis("loss");
        loss.setAutoRangeIncludesZero(false);
        plot.add(subplot(curve.losses(), loss), 1);
        NumberAxis rate = new NumberAxis("recall@5 / zero-shot top-1");
        rate.setRange(0, 1);
        plot.add(subplot(curve.rates(), rate), 1);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Writes the chart headless (no display needed: servers and CI have none). */
    public static void writePng(LearningCurve curve, String title, Path out, int width, int height) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(out.toFile(), chart(curve, title), width, height);
    }

    private static XYPlot subplot(List<LearningCurve.Series> series, NumberAxis axis) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        int index = 0;
        for (LearningCurve.Series s : series) {
            if (s.points().isEmpty()) {
                continue;
            }
            XYSeries xy = new XYSeries(s.name(), true, false);
            s.points().forEach(p -> xy.add(p.step(), p.value()));
            data.addSeries(xy);
            renderer.setSeriesPaint(index, PALETTE[index % PALETTE.length]);
            renderer.setSeriesStroke(index, new BasicStroke(2f));
            index++;
        }
        XYPlot plot = new XYPlot(data, null, axis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }
}
