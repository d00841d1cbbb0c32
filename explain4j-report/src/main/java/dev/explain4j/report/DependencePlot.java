package dev.explain4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.util.Arrays;
import java.util.Comparator;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * SHAP's dependence (scatter) plot: one dot per row, x = a feature's input value, y = its attribution, coloured by
 * the value of the feature it interacts with most, with a colour bar for that feature.
 *
 * <p>The interacting feature is chosen by this criterion (in the spirit of SHAP's {@code approximate_interactions},
 * not its formula): the rows are sorted by the plotted feature's value and cut into bins of about a tenth of the rows
 * (at least 3); within a bin the feature's own value hardly changes, so the spread of its attribution there is what
 * its value does not explain. Each other feature j scores the share of that spread (the within-bin sum of squares,
 * over all bins) removed by fitting one straight line in x_j per bin. A line per bin, not one overall, because an
 * interaction such as x·z flips its slope in z with the sign of x and would cancel out in a single fit. The highest
 * score wins, ties to the lower index. With fewer than {@link #MIN_ROWS} rows, no spread, or no score above 0, the
 * dots stay grey: no interaction is claimed.
 */
public final class DependencePlot extends Plot {
    /** Below this many rows a bin holds too few rows for a residual to mean anything. */
    static final int MIN_ROWS = 6;
    private static final int BINS = 10;
    private static final int LEFT = 90;
    private static final int RIGHT = 110;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final int WIDTH = 720;
    private static final int HEIGHT = 460;
    private static final double DOT = 6;

    private final int feature;
    private final double[] scores;
    private final OptionalInt interaction;
    private final Scale xScale;
    private final Scale yScale;
    private final double[] dotX;
    private final double[] dotY;
    private final double[] colour;

    private DependencePlot(PlotData data, int feature) {
        super(data);
        if (!data.hasTabularInputs()) {
            throw new IllegalArgumentException("a dependence plot puts each row's value of a feature on x, so it needs "
                    + "the explained inputs with one value per attribution (the --input rows)");
        }
        this.feature = data.checkFeature(feature);
        int n = data.rows();
        double[] x = column(feature);
        double[] a = data.valueColumn(feature);
        this.scores = interactionScores(x, a);
        int best = -1;
        for (int j = 0; j < scores.length; j++) {
            if (scores[j] > 0 && (best < 0 || scores[j] > scores[best])) {
                best = j;
            }
        }
        this.interaction = best < 0 ? OptionalInt.empty() : OptionalInt.of(best);
        this.xScale = Scale.of(min(x), max(x), LEFT, WIDTH - RIGHT);
        this.yScale = Scale.of(Math.min(0, min(a)), Math.max(0, max(a)), HEIGHT - BOTTOM, TOP);
        this.dotX = new double[n];
        this.dotY = new double[n];
        this.colour = new double[n];
        double[] c = interaction.isPresent() ? column(interaction.getAsInt()) : null;
        for (int r = 0; r < n; r++) {
            dotX[r] = xScale.pixel(x[r]);
            dotY[r] = yScale.pixel(a[r]);
            colour[r] = c == null ? Double.NaN : normalise(c[r], min(c), max(c));
        }
    }

    /** The plot of the feature with the largest mean |attribution|. */
    public static DependencePlot of(PlotData data) {
        return new DependencePlot(data, data.importanceOrder()[0]);
    }

    /** @param feature 0-based index of the feature on x */
    public static DependencePlot of(PlotData data, int feature) {
        return new DependencePlot(data, feature);
    }

    private double[] column(int f) {
        return data.inputColumn(f);
    }

    /**
     * Per feature j, the share of the within-bin sum of squares of the attribution that one straight line in x_j per
     * bin removes (0 for the plotted feature itself and for features constant within every bin).
     */
    private double[] interactionScores(double[] x, double[] a) {
        double[] out = new double[data.width()];
        int n = x.length;
        if (n < MIN_ROWS) {
            return out;
        }
        int[] order = IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble((Integer r) -> x[r]))
                .mapToInt(Integer::intValue).toArray();
        int binSize = Math.max(3, (n + BINS - 1) / BINS);
        double[][] columns = new double[out.length][];
        for (int j = 0; j < out.length; j++) {
            columns[j] = j == feature ? null : column(j);
        }
        double spread = 0;
        double[] explained = new double[out.length];
        for (int start = 0; start < n; start += binSize) {
            // a last bin too small for a line joins the one before it
            int end = n - (start + binSize) < 3 ? n : start + binSize;
            int size = end - start;
            double ma = 0;
            for (int i = start; i < end; i++) {
                ma += a[order[i]] / size;
            }
            for (int i = start; i < end; i++) {
                spread += (a[order[i]] - ma) * (a[order[i]] - ma);
            }
            for (int j = 0; j < out.length; j++) {
                if (columns[j] == null) {
                    continue;
                }
                double mc = 0;
                for (int i = start; i < end; i++) {
                    mc += columns[j][order[i]] / size;
                }
                double sxy = 0;
                double sxx = 0;
                for (int i = start; i < end; i++) {
                    double dc = columns[j][order[i]] - mc;
                    sxy += dc * (a[order[i]] - ma);
                    sxx += dc * dc;
                }
                explained[j] += sxx > 0 ? sxy * sxy / sxx : 0;
            }
            start = end - binSize;
        }
        for (int j = 0; j < out.length; j++) {
            out[j] = spread > 0 ? explained[j] / spread : 0;
        }
        return out;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    int feature() {
        return feature;
    }

    /** The feature the dots are coloured by, if one explains part of the residual spread. */
    OptionalInt interactionFeature() {
        return interaction;
    }

    double interactionScore(int j) {
        return scores[j];
    }

    int dots() {
        return dotX.length;
    }

    double dotX(int row) {
        return dotX[row];
    }

    double dotY(int row) {
        return dotY[row];
    }

    Scale xScale() {
        return xScale;
    }

    Scale yScale() {
        return yScale;
    }

    @Override
    public PlotKind kind() {
        return PlotKind.DEPENDENCE;
    }

    @Override
    public String title() {
        return data.attributions().method() + " dependence on " + data.featureName(feature) + " (" + data.targetDescription() + ")";
    }

    @Override
    public int width() {
        return WIDTH;
    }

    @Override
    public int height() {
        return HEIGHT;
    }

    @Override
    public String altText() {
        return "Dependence plot of " + data.rows() + " rows: x = the value of " + data.featureName(feature)
                + ", y = its " + data.attributions().method() + " attribution; trend correlation "
                + Numbers.plain(correlation(column(feature), data.valueColumn(feature)), 2) + ". "
                + interaction.stream().mapToObj(j -> "Colour: " + data.featureName(j) + " (blue low, red high), the feature "
                        + "explaining most of the spread its own value leaves (" + Numbers.plain(100 * scores[j], 2) + "%).")
                .findFirst().orElse("Grey: no other feature explains the remaining spread.");
    }

    @Override
    void draw(Graphics2D g) {
        double bottom = HEIGHT - BOTTOM;
        g.setColor(new Color(0xdddddd));
        g.setStroke(new BasicStroke(1f));
        g.draw(new Line2D.Double(LEFT, yScale.pixel(0), WIDTH - RIGHT, yScale.pixel(0)));
        for (int r = 0; r < dotX.length; r++) {
            g.setColor(featureColor(colour[r]));
            g.fill(new Ellipse2D.Double(dotX[r] - DOT / 2, dotY[r] - DOT / 2, DOT, DOT));
        }
        xAxis(g, xScale, LEFT, WIDTH - RIGHT, bottom, data.featureName(feature) + " (input value)");
        yAxis(g, yScale, TOP, bottom, LEFT, "attribution of " + data.featureName(feature));
        if (interaction.isPresent()) {
            double[] c = column(interaction.getAsInt());
            featureColorBar(g, WIDTH - RIGHT + 30, TOP + 14, bottom - 14, data.featureName(interaction.getAsInt()),
                    Numbers.plain(max(c), 3), Numbers.plain(min(c), 3));
        } else {
            g.setColor(AXIS);
            g.setFont(SMALL_FONT);
            text(g, "grey: no interacting feature found", WIDTH - 8, TOP - 6, 1);
        }
    }
}
