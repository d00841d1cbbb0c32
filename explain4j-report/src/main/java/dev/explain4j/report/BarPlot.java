package dev.explain4j.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * SHAP's global bar: mean |attribution| per feature over the rows, most important on top, the rest folded as in
 * {@link BeeswarmPlot}. When the rows explain different classes each bar is stacked by class: class c's segment is
 * Σ |attribution| over the rows explaining c, divided by all rows, so the segments add up to the bar's mean.
 */
public final class BarPlot extends Plot {
    private static final int LEFT = 180;
    private static final int RIGHT = 150;
    private static final int TOP = 40;
    private static final int LINE = 26;
    private static final int BOTTOM = 50;
    private static final int WIDTH = 760;
    private static final int[] PALETTE = {0xca0020, 0x0571b0, 0x4dac26, 0xe66101, 0x5e3c99, 0x1b7837, 0x8c510a, 0x01665e,
            0xc51b7d, 0x636363};

    private final FeatureRows lines;
    private final int[] classes;
    /** [line][class]: the class's share of the line's mean |attribution|. */
    private final double[][] segments;
    private final Scale scale;

    private BarPlot(PlotData data, int maxFeatures) {
        super(data);
        this.lines = FeatureRows.of(data, maxFeatures);
        int[] targets = data.differingTargets().orElse(null);
        this.classes = targets == null ? new int[] {-1} : new TreeSet<>(Arrays.stream(targets).boxed().toList())
                .stream().mapToInt(Integer::intValue).toArray();
        this.segments = new double[lines.lines()][classes.length];
        double max = 0;
        for (int l = 0; l < segments.length; l++) {
            for (int r = 0; r < data.rows(); r++) {
                int c = targets == null ? 0 : Arrays.binarySearch(classes, targets[r]);
                segments[l][c] += Math.abs(lines.value(data, r, l)) / data.rows();
            }
            max = Math.max(max, total(l));
        }
        this.scale = Scale.of(0, max, LEFT, WIDTH - RIGHT);
    }

    public static BarPlot of(PlotData data) {
        return new BarPlot(data, BeeswarmPlot.DEFAULT_MAX_FEATURES);
    }

    public BarPlot withMaxFeatures(int max) {
        return new BarPlot(data, max);
    }

    /** The line's mean |attribution| (for the folded line: of the summed folded attributions). */
    double total(int line) {
        double sum = 0;
        for (double s : segments[line]) {
            sum += s;
        }
        return sum;
    }

    /** The bar's length in pixels. */
    double barLength(int line) {
        return scale.pixel(total(line)) - scale.pixel(0);
    }

    int[] featureOrder() {
        return lines.features().clone();
    }

    @Override
    public PlotKind kind() {
        return PlotKind.BAR;
    }

    @Override
    public String title() {
        return "mean |" + data.attributions().method() + "| over " + data.rows() + " rows"
                + (classes.length > 1 ? ", by class" : " (" + data.targetDescription() + ")");
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
        return "Bar chart of the mean absolute " + data.attributions().method() + " attribution per feature over "
                + data.rows() + " rows" + (classes.length > 1 ? ", stacked by the class each row explains" : "")
                + ". Largest: " + FeatureRows.leaders(data, lines, 5) + ".";
    }

    private Color classColor(int c) {
        return classes.length == 1 ? RAISES : new Color(PALETTE[c % PALETTE.length]);
    }

    @Override
    void draw(Graphics2D g) {
        double bottom = TOP + LINE * lines.lines();
        g.setFont(LABEL_FONT);
        for (int l = 0; l < lines.lines(); l++) {
            double y = TOP + l * LINE + 4;
            double x = scale.pixel(0);
            for (int c = 0; c < classes.length; c++) {
                double w = scale.pixel(segments[l][c]) - scale.pixel(0);
                g.setColor(classColor(c));
                g.fill(new Rectangle2D.Double(x, y, w, LINE - 8));
                x += w;
            }
            g.setColor(Color.BLACK);
            text(g, lines.label(data, l), LEFT - 8, y + LINE / 2.0, 1);
            g.setFont(SMALL_FONT);
            text(g, Numbers.plain(total(l), 3), x + 4, y + LINE / 2.0 - 1, 0);
            g.setFont(LABEL_FONT);
        }
        xAxis(g, scale, LEFT, WIDTH - RIGHT, bottom, "mean |attribution|");
        if (classes.length > 1) {
            g.setFont(SMALL_FONT);
            for (int c = 0; c < classes.length; c++) {
                double y = TOP + 6 + c * 16;
                g.setColor(classColor(c));
                g.fill(new Rectangle2D.Double(WIDTH - RIGHT + 40, y, 10, 10));
                g.setColor(Color.BLACK);
                text(g, data.className(classes[c]), WIDTH - RIGHT + 56, y + 9, 0);
            }
        }
    }
}
