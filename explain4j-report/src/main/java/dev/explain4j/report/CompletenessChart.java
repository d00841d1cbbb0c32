package dev.explain4j.report;

import dev.explain4j.core.Attributions;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Optional;

/**
 * The quality figures of a method that promises completeness (Integrated Gradients): the completeness delta per row,
 * and, when the steps were chosen adaptively, each row's |delta| against the steps it took.
 */
public final class CompletenessChart {
    private static final int WIDTH = 520;
    private static final int HEIGHT = 300;
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    private CompletenessChart() {
    }

    /** δ = Σ attributions − (f(x) − f(baseline)) per row; empty when the method reports no delta. */
    public static Optional<Chart> deltaPerRow(Attributions attributions, List<String> rowLabels) {
        Optional<double[]> deltas = attributions.completenessDelta();
        if (deltas.isEmpty()) {
            return Optional.empty();
        }
        double[] delta = deltas.get();
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (int r = 0; r < delta.length; r++) {
            String label = rowLabels != null && r < rowLabels.size() ? rowLabels.get(r) : "row " + r;
            dataset.addValue(delta[r], "delta", new RowKey(r, label));
        }
        CategoryAxis rows = new CategoryAxis("sample");
        rows.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        rows.setMaximumCategoryLabelWidthRatio(2.0f);
        NumberAxis values = new NumberAxis("completeness δ");
        values.setAutoRangeIncludesZero(true);
        values.setNumberFormatOverride(Numbers.format(3, false));
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, new Color(0x54278f));
        renderer.setMaximumBarWidth(0.08);
        CategoryPlot plot = new CategoryPlot(dataset, rows, values, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setRangeZeroBaselineVisible(true);
        JFreeChart chart = new JFreeChart(attributions.method() + ": completeness per sample",
                new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle("δ = Σ attributions − (f(x) − f(baseline)); 0 is exact", SMALL));
        return Optional.of(new Chart(chart, WIDTH, HEIGHT));
    }

    /** Each row's |δ| against the integration steps adaptive IG used for it; empty unless both are reported. */
    public static Optional<Chart> deltaAgainstSteps(Attributions attributions) {
        Optional<int[]> stepsUsed = attributions.stepsUsed();
        Optional<double[]> deltas = attributions.completenessDelta();
        if (stepsUsed.isEmpty() || deltas.isEmpty()) {
            return Optional.empty();
        }
        int[] steps = stepsUsed.get();
        double[] delta = deltas.get();
        XYSeries series = new XYSeries("rows", false, true);
        for (int r = 0; r < steps.length; r++) {
            series.add(steps[r], Math.abs(delta[r]));
        }
        NumberAxis stepsAxis = new NumberAxis("steps used");
        stepsAxis.setAutoRangeIncludesZero(false);
        stepsAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis deltaAxis = new NumberAxis("|completeness δ|");
        deltaAxis.setAutoRangeIncludesZero(true);
        deltaAxis.setNumberFormatOverride(Numbers.format(3, false));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        renderer.setSeriesPaint(0, new Color(0x54278f));
        XYPlot plot = new XYPlot(new XYSeriesCollection(series), stepsAxis, deltaAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = new JFreeChart(attributions.method() + ": |δ| against steps",
                new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        String tolerance = attributions.parameters().getOrDefault("tolerance", "?");
        chart.addSubtitle(new TextTitle("adaptive steps, one point per sample; tolerance " + tolerance, SMALL));
        return Optional.of(new Chart(chart, WIDTH, HEIGHT));
    }

    private record RowKey(int row, String label) implements Comparable<RowKey> {
        @Override
        public int compareTo(RowKey o) {
            return Integer.compare(row, o.row);
        }

        @Override
        public String toString() {
            return label;
        }
    }
}
