package dev.explain4j.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Horizontal bars of the k attributions with the largest magnitude, largest on top, with the feature's name (and
 * value, when given) and the signed attribution written at the bar's end. Red bars raise the explained output, blue
 * bars lower it: the ends of {@link Colormap#DIVERGING}, so tabular and image pictures read the same way.
 */
public final class BarChart {
    public static final int DEFAULT_TOP_K = 10;
    private static final int WIDTH = 520;
    private static final int ROW_HEIGHT = 24;
    private static final int CHROME_HEIGHT = 90;

    private BarChart() {
    }

    /**
     * @param attributions  one row of attributions
     * @param featureNames  a name per attribution (null or shorter: {@code x<i>} for the rest)
     * @param featureValues the input's values, shown as {@code name = value}; may be null
     * @param title         drawn above the chart; may be null
     */
    public static Chart topK(double[] attributions, List<String> featureNames, double[] featureValues, int k, String title) {
        if (k <= 0) {
            throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < attributions.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -Math.abs(attributions[i])).thenComparingInt(i -> i));
        List<Integer> shown = order.subList(0, Math.min(k, order.size()));

        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (int i : shown) {
            dataset.addValue(attributions[i], "attribution", new Feature(i, label(i, featureNames, featureValues)));
        }
        NumberAxis valueAxis = new NumberAxis("attribution");
        valueAxis.setUpperMargin(0.25);
        valueAxis.setLowerMargin(0.25);
        valueAxis.setAutoRangeIncludesZero(true);
        valueAxis.setNumberFormatOverride(Numbers.format(3, false));
        CategoryAxis featureAxis = new CategoryAxis(null);
        featureAxis.setMaximumCategoryLabelWidthRatio(0.45f);
        featureAxis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));

        BarRenderer renderer = new SignedBarRenderer(dataset);
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setMaximumBarWidth(0.7);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", Numbers.format(3, true)));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        renderer.setDefaultNegativeItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE9, TextAnchor.CENTER_RIGHT));

        CategoryPlot plot = new CategoryPlot(dataset, featureAxis, valueAxis, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setRangeZeroBaselineVisible(true);
        plot.setRangeZeroBaselinePaint(Color.DARK_GRAY);

        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle("red raises · blue lowers the output; top " + shown.size() + " of "
                + attributions.length + " by |attribution|", new Font(Font.SANS_SERIF, Font.PLAIN, 10)));
        return new Chart(chart, WIDTH, CHROME_HEIGHT + ROW_HEIGHT * Math.max(1, shown.size()));
    }

    private static String label(int i, List<String> names, double[] values) {
        String name = names != null && i < names.size() && names.get(i) != null ? names.get(i) : "x" + i;
        return values == null || i >= values.length ? name : name + " = " + Numbers.plain(values[i], 4);
    }

    /** A category key that keeps features with the same name apart. */
    private record Feature(int index, String label) implements Comparable<Feature> {
        @Override
        public int compareTo(Feature o) {
            return Integer.compare(index, o.index);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Colours each bar by its sign. */
    private static final class SignedBarRenderer extends BarRenderer {
        private final transient DefaultCategoryDataset dataset;

        SignedBarRenderer(DefaultCategoryDataset dataset) {
            this.dataset = dataset;
        }

        @Override
        public Paint getItemPaint(int row, int column) {
            Number v = dataset.getValue(row, column);
            return v != null && v.doubleValue() < 0 ? Colormap.DIVERGING.color(-1) : Colormap.DIVERGING.color(1);
        }
    }
}
