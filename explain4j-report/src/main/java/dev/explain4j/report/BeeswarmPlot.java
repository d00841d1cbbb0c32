package dev.explain4j.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SHAP's summary beeswarm: one dot per row per feature, x = the attribution, colour = the feature's input value
 * scaled per feature from its minimum (blue) to its maximum (red); features by mean |attribution|, most important on
 * top, at most {@link #DEFAULT_MAX_FEATURES} lines with the rest folded into one.
 *
 * <p>Where dots pile up the swarm grows vertically: dots falling into the same few-pixel bin of x are stacked
 * alternately above and below the line, in row order, and the stacks are squeezed to fit the line's height. Without
 * inputs (or on the folded line) the dots are grey.
 */
public final class BeeswarmPlot extends Plot {
    public static final int DEFAULT_MAX_FEATURES = 20;
    private static final int LEFT = 180;
    private static final int RIGHT = 80;
    private static final int TOP = 40;
    private static final int LINE = 30;
    private static final int BOTTOM = 50;
    private static final int WIDTH = 760;
    private static final double DOT = 5;

    private final FeatureRows lines;
    private final Scale scale;
    private final double[][] dotX;
    private final double[][] dotY;
    private final double[][] colour;

    private BeeswarmPlot(PlotData data, int maxFeatures) {
        super(data);
        this.lines = FeatureRows.of(data, maxFeatures);
        int n = data.rows();
        double min = 0;
        double max = 0;
        double[][] v = new double[lines.lines()][n];
        for (int l = 0; l < v.length; l++) {
            for (int r = 0; r < n; r++) {
                v[l][r] = lines.value(data, r, l);
                min = Math.min(min, v[l][r]);
                max = Math.max(max, v[l][r]);
            }
        }
        this.scale = Scale.of(min, max, LEFT, WIDTH - RIGHT);
        this.dotX = new double[v.length][n];
        this.dotY = new double[v.length][n];
        this.colour = new double[v.length][n];
        for (int l = 0; l < v.length; l++) {
            Map<Long, Integer> pile = new HashMap<>();
            int[] slot = new int[n];
            int highest = 0;
            for (int r = 0; r < n; r++) {
                dotX[l][r] = scale.pixel(v[l][r]);
                int k = pile.merge((long) Math.floor(dotX[l][r] / DOT), 1, Integer::sum) - 1;
                slot[r] = k % 2 == 1 ? (k + 1) / 2 : -k / 2;   // 0, +1, −1, +2, −2 ...
                highest = Math.max(highest, Math.abs(slot[r]));
            }
            double step = highest == 0 ? 0 : Math.min(DOT * 0.8, 0.42 * LINE / highest);
            for (int r = 0; r < n; r++) {
                dotY[l][r] = lineCentre(l) - slot[r] * step;
            }
            colour[l] = colours(lines.features()[l]);
        }
    }

    public static BeeswarmPlot of(PlotData data) {
        return new BeeswarmPlot(data, DEFAULT_MAX_FEATURES);
    }

    /** At most this many lines, the last one folding the rest. */
    public BeeswarmPlot withMaxFeatures(int max) {
        return new BeeswarmPlot(data, max);
    }

    private double[] colours(int feature) {
        double[] t = new double[data.rows()];
        if (feature == FeatureRows.FOLDED || !data.hasTabularInputs()) {
            java.util.Arrays.fill(t, Double.NaN);
            return t;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < t.length; r++) {
            double x = data.input(r, feature).orElseThrow();
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        for (int r = 0; r < t.length; r++) {
            t[r] = normalise(data.input(r, feature).orElseThrow(), min, max);
        }
        return t;
    }

    double lineCentre(int line) {
        return TOP + (line + 0.5) * LINE;
    }

    /** The feature on each line, top to bottom ({@link FeatureRows#FOLDED} for the folded one). */
    int[] featureOrder() {
        return lines.features().clone();
    }

    double dotX(int line, int row) {
        return dotX[line][row];
    }

    double dotY(int line, int row) {
        return dotY[line][row];
    }

    Scale scale() {
        return scale;
    }

    @Override
    public PlotKind kind() {
        return PlotKind.BEESWARM;
    }

    @Override
    public String title() {
        return data.attributions().method() + " over " + data.rows() + " rows (" + data.targetDescription() + ")";
    }

    @Override
    public int width() {
        return WIDTH;
    }

    @Override
    public int height() {
        return TOP + LINE * lines.lines() + BOTTOM;
    }

    @Override
    public String altText() {
        List<String> trends = new ArrayList<>();
        for (int l = 0; l < Math.min(3, lines.lines()); l++) {
            int f = lines.features()[l];
            if (f != FeatureRows.FOLDED && data.hasTabularInputs()) {
                double c = correlation(data.inputColumn(f), data.valueColumn(f));
                if (Math.abs(c) >= 0.5) {
                    trends.add("high " + data.featureName(f) + (c > 0 ? " raises" : " lowers") + " the output");
                }
            }
        }
        return "Beeswarm summary of " + data.attributions().method() + " attributions over " + data.rows()
                + " rows: one dot per row and feature, x = attribution, colour = the feature's value (blue low, red high). "
                + "Features by mean |attribution|: " + FeatureRows.leaders(data, lines, 5) + "."
                + (trends.isEmpty() ? "" : " " + String.join("; ", trends) + ".");
    }

    @Override
    void draw(Graphics2D g) {
        double bottom = TOP + LINE * lines.lines();
        marker(g, scale, 0, TOP, bottom, Color.GRAY);
        g.setFont(LABEL_FONT);
        for (int l = 0; l < lines.lines(); l++) {
            g.setColor(new Color(0xeeeeee));
            g.draw(new java.awt.geom.Line2D.Double(LEFT, lineCentre(l), WIDTH - RIGHT, lineCentre(l)));
            g.setColor(Color.BLACK);
            text(g, lines.label(data, l), LEFT - 8, lineCentre(l) + 4, 1);
            for (int r = 0; r < data.rows(); r++) {
                g.setColor(featureColor(colour[l][r]));
                g.fill(new Ellipse2D.Double(dotX[l][r] - DOT / 2, dotY[l][r] - DOT / 2, DOT, DOT));
            }
        }
        xAxis(g, scale, LEFT, WIDTH - RIGHT, bottom, "attribution (impact on the output: " + data.targetDescription() + ")");
        if (data.hasTabularInputs()) {
            featureColorBar(g, WIDTH - RIGHT + 22, TOP + 14, bottom - 14, "feature value");
        } else {
            g.setColor(AXIS);
            g.setFont(SMALL_FONT);
            text(g, "grey: no input values given", WIDTH - 8, TOP - 6, 1);
        }
    }
}
