package dev.explain4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;

/**
 * SHAP's decision plot: every row's output built up feature by feature. The y axis holds the features by mean
 * |attribution|, least important at the bottom and most important on top (the folded rest of {@link FeatureRows}
 * lowest of all); the x axis is the model output. Each row is a polyline that starts at the bottom at its
 * f(reference), adds one feature's attribution per line going up, and ends at the top at f(x); its colour is its
 * f(x), from blue (lowest f(x) among the rows) to red (highest).
 *
 * <p>Where a row's attributions leave part of f(x) − f(reference) unexplained (see {@link RowOutputs}), a bottom line
 * "not attributed" takes that part first, so every path still ends at f(x) and the picture claims no more than the
 * method.
 */
public final class DecisionPlot extends Plot {
    private static final int LEFT = 190;
    private static final int RIGHT = 90;
    private static final int TOP = 56;
    private static final int LINE = 26;
    private static final int BOTTOM = 56;
    private static final int WIDTH = 800;

    private final FeatureRows lines;
    private final boolean gapLine;
    /** [row][point]: the cumulative output at each level, from the start (point 0) to f(x) (the last point). */
    private final double[][] paths;
    private final double[] outputs;
    private final double minOutput;
    private final double maxOutput;
    private final Scale scale;

    private DecisionPlot(PlotData data, int maxFeatures) {
        super(data);
        this.lines = FeatureRows.of(data, maxFeatures);
        int n = data.rows();
        RowOutputs[] ends = new RowOutputs[n];
        boolean anyGap = false;
        for (int r = 0; r < n; r++) {
            ends[r] = RowOutputs.of(data, r, "decision plot");
            anyGap |= ends[r].hasGap();
        }
        this.gapLine = anyGap;
        int levels = lines.lines() + (gapLine ? 1 : 0);
        this.paths = new double[n][levels + 1];
        this.outputs = new double[n];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < n; r++) {
            double at = ends[r].base();
            int p = 0;
            paths[r][p++] = at;
            if (gapLine) {
                at += ends[r].gap();
                paths[r][p++] = at;
            }
            for (int l = lines.lines() - 1; l >= 0; l--) {
                at += lines.value(data, r, l);
                paths[r][p++] = at;
            }
            outputs[r] = ends[r].output();
            for (double v : paths[r]) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            lo = Math.min(lo, outputs[r]);
            hi = Math.max(hi, outputs[r]);
        }
        this.minOutput = lo;
        this.maxOutput = hi;
        this.scale = Scale.of(min, max, LEFT, WIDTH - RIGHT);
    }

    public static DecisionPlot of(PlotData data) {
        return new DecisionPlot(data, BeeswarmPlot.DEFAULT_MAX_FEATURES);
    }

    /** At most this many feature lines, the last (lowest) one folding the rest. */
    public DecisionPlot withMaxFeatures(int max) {
        return new DecisionPlot(data, max);
    }

    /** Points of a row's path: the start, then one per level from the bottom up; the last is f(x). */
    double[] path(int row) {
        return paths[row].clone();
    }

    /** Levels from the bottom (the start) up: 0 is the start, {@link #levels()} the top feature. */
    int levels() {
        return paths[0].length - 1;
    }

    /** The pixel height of level k (0 = the start line at the bottom). */
    double levelY(int k) {
        return TOP + LINE * (levels() - k) + LINE / 2.0;
    }

    /** The features from the top line down, as {@link FeatureRows} orders them. */
    int[] featureOrder() {
        return lines.features().clone();
    }

    Scale scale() {
        return scale;
    }

    Color rowColor(int row) {
        return featureColor(normalise(outputs[row], minOutput, maxOutput));
    }

    @Override
    public PlotKind kind() {
        return PlotKind.DECISION;
    }

    @Override
    public String title() {
        return data.attributions().method() + " decision plot, " + data.rows() + " rows (" + data.targetDescription() + ")";
    }

    @Override
    public int width() {
        return WIDTH;
    }

    @Override
    public int height() {
        return TOP + LINE * (levels() + 1) + BOTTOM;
    }

    @Override
    public String altText() {
        return "Decision plot of " + data.rows() + " rows: each line starts at the row's reference output at the bottom "
                + "and adds one feature's " + data.attributions().method() + " attribution per level up to f(x) at the top; "
                + "features from the top: " + FeatureRows.leaders(data, lines, 5) + "; outputs from "
                + Numbers.plain(minOutput, 4) + " (blue) to " + Numbers.plain(maxOutput, 4) + " (red).";
    }

    @Override
    void draw(Graphics2D g) {
        double bottom = TOP + LINE * (levels() + 1);
        g.setFont(LABEL_FONT);
        for (int k = 1; k <= levels(); k++) {
            double y = levelY(k);
            g.setColor(new Color(0xeeeeee));
            g.setStroke(new BasicStroke(1f));
            g.draw(new Line2D.Double(LEFT, y, WIDTH - RIGHT, y));
            g.setColor(Color.BLACK);
            text(g, levelLabel(k), LEFT - 8, y + 4, 1);
        }
        g.setColor(AXIS);
        g.setFont(SMALL_FONT);
        text(g, "start: f(reference)", LEFT - 8, levelY(0) + 4, 1);
        g.setStroke(new BasicStroke(1.3f));
        for (int r = 0; r < paths.length; r++) {
            Path2D p = new Path2D.Double();
            p.moveTo(scale.pixel(paths[r][0]), levelY(0));
            for (int k = 1; k < paths[r].length; k++) {
                p.lineTo(scale.pixel(paths[r][k]), levelY(k));
            }
            g.setColor(rowColor(r));
            g.draw(p);
        }
        xAxis(g, scale, LEFT, WIDTH - RIGHT, bottom, data.attributions().method() + " model output ("
                + data.targetDescription() + "): f(reference) at the bottom, f(x) at the top");
        featureColorBar(g, WIDTH - RIGHT + 30, TOP + 14, bottom - 14, "f(x)", Numbers.plain(maxOutput, 3),
                Numbers.plain(minOutput, 3));
    }

    private String levelLabel(int k) {
        if (gapLine && k == 1) {
            return "not attributed";
        }
        int line = levels() - k;
        return lines.label(data, line);
    }
}
