package dev.explain4j.report;

import dev.explain4j.global.FeatureEffect;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Line2D;
import java.util.Arrays;

/**
 * The picture of a {@link FeatureEffect}, as scikit-learn's {@code PartialDependenceDisplay} and alibi's ALE plot
 * draw it: a line of the effect over the feature's grid (for partial dependence with each row's ICE curve faint
 * behind it), the feature's deciles as faint vertical lines so that regions with little data are seen as such; for
 * a pair a heatmap over the two grids with a colour bar. PNG or SVG through {@link Chart}.
 */
public final class EffectPlot {
    /** ICE curves drawn at most: beyond it evenly spaced rows are drawn (and the subtitle says how many). */
    public static final int MAX_CURVES = 100;
    private static final int WIDTH = 560;
    private static final int HEIGHT = 400;
    private static final Color EFFECT = Colormap.DIVERGING.color(1);
    private static final Color CURVE = new Color(0, 0, 0, 40);
    private static final Color DECILE = new Color(0x999999);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    private EffectPlot() {
    }

    /**
     * @param effect      what to draw; its ICE curves, when it has them, are drawn too
     * @param targetLabel how to name the output the effect is of ("virginica", "class 2")
     */
    public static Chart of(FeatureEffect effect, String targetLabel) {
        JFreeChart chart = effect.isPair() ? heatmap(effect, targetLabel) : line(effect, targetLabel);
        chart.setBackgroundPaint(Color.WHITE);
        return new Chart(chart, WIDTH, HEIGHT);
    }

    /** The title of the picture, also its alt text's first words. */
    public static String title(FeatureEffect effect, String targetLabel) {
        String what = effect.kind() == FeatureEffect.Kind.PARTIAL_DEPENDENCE ? "Partial dependence" : "Accumulated local effects";
        return what + " of " + targetLabel + " on " + String.join(" and ", effect.featureNames());
    }

    /** What the picture shows, for people who cannot see it. */
    public static String altText(FeatureEffect effect, String targetLabel) {
        double[] v = effect.values();
        double lo = Arrays.stream(v).min().orElse(0);
        double hi = Arrays.stream(v).max().orElse(0);
        return title(effect, targetLabel) + " over " + effect.rows() + " rows: from " + Numbers.plain(lo, 3) + " to "
                + Numbers.plain(hi, 3) + (effect.isPair() ? " (heatmap)" : ", " + Numbers.plain(v[0], 3) + " at the lowest "
                + effect.featureNames().get(0) + " and " + Numbers.plain(v[v.length - 1], 3) + " at the highest");
    }

    private static JFreeChart line(FeatureEffect effect, String targetLabel) {
        double[] grid = effect.grid(0);
        XYSeriesCollection dataset = new XYSeriesCollection();
        dataset.addSeries(series("effect", grid, effect.values()));
        double[][] curves = effect.individual();
        int step = Math.max(1, (curves.length + MAX_CURVES - 1) / MAX_CURVES);
        int drawn = 0;
        for (int r = 0; r < curves.length; r += step) {
            dataset.addSeries(series("row " + (r + 1), grid, curves[r]));
            drawn++;
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, EFFECT);
        renderer.setSeriesStroke(0, new BasicStroke(2.5f));
        for (int s = 1; s < dataset.getSeriesCount(); s++) {
            renderer.setSeriesPaint(s, CURVE);
            renderer.setSeriesStroke(s, new BasicStroke(0.8f));
        }
        String featureName = effect.featureNames().get(0);
        NumberAxis x = new NumberAxis(featureName);
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(effect.kind() == FeatureEffect.Kind.PARTIAL_DEPENDENCE ? targetLabel
                : "effect on " + targetLabel + " (centred)");
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(dataset, x, y, renderer);
        // series are drawn in reverse so the effect (series 0) lies on top of the ICE curves
        plot.setSeriesRenderingOrder(org.jfree.chart.plot.SeriesRenderingOrder.REVERSE);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        for (double d : effect.deciles()[0]) {
            plot.addDomainMarker(new ValueMarker(d, DECILE, new BasicStroke(0.6f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f)));
        }
        LegendItemCollection legend = new LegendItemCollection();
        legend.add(legendLine(effect.kind() == FeatureEffect.Kind.PARTIAL_DEPENDENCE ? "average (partial dependence)"
                : "accumulated local effect", EFFECT, 2.5f));
        if (drawn > 0) {
            legend.add(legendLine("ICE: " + drawn + (drawn < curves.length ? " of " + curves.length : "") + " rows",
                    new Color(0, 0, 0, 110), 0.8f));
        }
        legend.add(legendLine("deciles of " + featureName, DECILE, 0.6f));
        plot.setFixedLegendItems(legend);
        JFreeChart chart = new JFreeChart(title(effect, targetLabel), TITLE, plot, true);
        chart.addSubtitle(new TextTitle(subtitle(effect), SMALL));
        return chart;
    }

    private static JFreeChart heatmap(FeatureEffect effect, String targetLabel) {
        double[] g0 = effect.grid(0);
        double[] g1 = effect.grid(1);
        double[] values = effect.values();
        // cells by grid index, one per point however unevenly the grid is spaced (distinct values of a small
        // data set are), and the axes name each cell's value
        double[][] xyz = new double[3][values.length];
        for (int p = 0; p < values.length; p++) {
            xyz[0][p] = p / g1.length;
            xyz[1][p] = p % g1.length;
            xyz[2][p] = values[p];
        }
        DefaultXYZDataset dataset = new DefaultXYZDataset();
        dataset.addSeries("partial dependence", xyz);
        double lo = Arrays.stream(values).min().orElse(0);
        double hi = Arrays.stream(values).max().orElse(1);
        PaintScale scale = new Sequential(lo, hi > lo ? hi : lo + 1);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(scale);
        NumberAxis x = gridAxis(effect.featureNames().get(0), g0);
        NumberAxis y = gridAxis(effect.featureNames().get(1), g1);
        XYPlot plot = new XYPlot(dataset, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = new JFreeChart(title(effect, targetLabel), TITLE, plot, false);
        NumberAxis barAxis = new NumberAxis(targetLabel);
        barAxis.setTickLabelFont(SMALL);
        barAxis.setRange(scale.getLowerBound(), scale.getUpperBound());
        PaintScaleLegend bar = new PaintScaleLegend(scale, barAxis);
        bar.setPosition(RectangleEdge.RIGHT);
        bar.setStripWidth(12);
        bar.setMargin(4, 4, 40, 4);
        bar.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(bar);
        chart.addSubtitle(new TextTitle(subtitle(effect), SMALL));
        return chart;
    }

    private static String subtitle(FeatureEffect effect) {
        return effect.rows() + " rows, " + Arrays.stream(effect.grids()).map(g -> Integer.toString(g.length))
                .reduce((a, b) -> a + " × " + b).orElse("") + (effect.kind() == FeatureEffect.Kind.PARTIAL_DEPENDENCE
                ? " grid points" : " interval edges (quantiles)");
    }

    private static XYSeries series(String key, double[] x, double[] y) {
        XYSeries s = new XYSeries(key, false, true);
        for (int i = 0; i < x.length; i++) {
            s.add(x[i], y[i]);
        }
        return s;
    }

    private static LegendItem legendLine(String label, Color color, float width) {
        LegendItem item = new LegendItem(label, null, null, null, new Line2D.Double(-7, 0, 7, 0), new BasicStroke(width), color);
        item.setLabelFont(SMALL);
        return item;
    }

    /** An axis of grid indices labelled with the grid's values; every other label left out past 12 points. */
    private static NumberAxis gridAxis(String label, double[] grid) {
        int every = grid.length > 12 ? 2 : 1;
        String[] symbols = new String[grid.length];
        for (int i = 0; i < grid.length; i++) {
            symbols[i] = i % every == 0 ? Numbers.plain(grid[i], 3) : "";
        }
        SymbolAxis axis = new SymbolAxis(label, symbols);
        axis.setGridBandsVisible(false);
        axis.setTickLabelFont(SMALL);
        return axis;
    }

    /** {@link Colormap#PURPLES} stretched over [lower, upper]: a sequential map, as the output is not signed. */
    private record Sequential(double lower, double upper) implements PaintScale {
        @Override
        public double getLowerBound() {
            return lower;
        }

        @Override
        public double getUpperBound() {
            return upper;
        }

        @Override
        public Paint getPaint(double value) {
            return Colormap.PURPLES.color((value - lower) / (upper - lower));
        }
    }
}
