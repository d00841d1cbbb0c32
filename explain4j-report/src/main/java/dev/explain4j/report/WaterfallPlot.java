package dev.explain4j.report;

import dev.explain4j.global.GlobalImportance;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;

/**
 * SHAP's waterfall for one row: from f(reference) (the output at the reference, {@code referenceOutputs}) at the
 * bottom, each feature's attribution as an arrow (red raises, blue lowers), largest on top, to f(x) (the explained
 * output, {@code targetOutputs}). The smallest are folded into one "N other features" arrow. Without a reference
 * output the start is f(x) − Σ attributions. When the attributions do not add up to f(x) − f(reference) (a method
 * without completeness) a grey "not attributed" arrow closes the gap, so the picture never claims more than the
 * method does.
 */
public final class WaterfallPlot extends Plot {
    public static final int DEFAULT_MAX_FEATURES = 10;
    private static final int LEFT = 200;
    private static final int RIGHT = 40;
    private static final int TOP = 56;
    private static final int LINE = 28;
    private static final int BOTTOM = 60;
    private static final int WIDTH = 760;

    /** One arrow: it starts at {@code start}, adds {@code value}; {@code gap}: the unattributed rest. */
    record Step(String label, double value, double start, boolean gap) {
        double end() {
            return start + value;
        }
    }

    private final int row;
    private final RowOutputs ends;
    private final double base;
    private final double output;
    /** Top to bottom: the largest feature first. */
    private final List<Step> steps;
    private final Scale scale;

    private WaterfallPlot(PlotData data, int row, int maxFeatures) {
        super(data);
        if (maxFeatures < 2) {
            throw new IllegalArgumentException("a waterfall shows at least 2 features, got " + maxFeatures);
        }
        this.row = data.checkRow(row);
        this.ends = RowOutputs.of(data, row, "waterfall");
        this.output = ends.output();
        this.base = ends.base();
        double[] a = data.row(row);

        int[] order = GlobalImportance.byDecreasing(abs(a));
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        int shown = order.length <= maxFeatures ? order.length : maxFeatures - 1;
        for (int i = 0; i < shown; i++) {
            labels.add(label(order[i]));
            values.add(a[order[i]]);
        }
        if (shown < order.length) {
            double rest = 0;
            for (int i = shown; i < order.length; i++) {
                rest += a[order[i]];
            }
            labels.add((order.length - shown) + " other features");
            values.add(rest);
        }
        // accumulated bottom-up: the gap first, then the smallest, so the top arrow ends at f(x)
        List<Step> bottomUp = new ArrayList<>();
        double at = base;
        if (ends.hasGap()) {
            bottomUp.add(new Step("not attributed", ends.gap(), at, true));
            at += ends.gap();
        }
        for (int i = values.size() - 1; i >= 0; i--) {
            bottomUp.add(new Step(labels.get(i), values.get(i), at, false));
            at += values.get(i);
        }
        this.steps = List.copyOf(reversed(bottomUp));
        double min = Math.min(base, output);
        double max = Math.max(base, output);
        for (Step s : steps) {
            min = Math.min(min, Math.min(s.start(), s.end()));
            max = Math.max(max, Math.max(s.start(), s.end()));
        }
        this.scale = Scale.of(min, max, LEFT, WIDTH - RIGHT);
    }

    /** @param row 0-based */
    public static WaterfallPlot of(PlotData data, int row) {
        return new WaterfallPlot(data, row, DEFAULT_MAX_FEATURES);
    }

    public WaterfallPlot withMaxFeatures(int max) {
        return new WaterfallPlot(data, row, max);
    }

    private static List<Step> reversed(List<Step> list) {
        List<Step> out = new ArrayList<>(list);
        java.util.Collections.reverse(out);
        return out;
    }

    private String label(int f) {
        return data.input(row, f).map(v -> data.featureName(f) + " = " + Numbers.plain(v, 4)).orElse(data.featureName(f));
    }

    List<Step> steps() {
        return steps;
    }

    Scale scale() {
        return scale;
    }

    double lineCentre(int line) {
        return TOP + (line + 0.5) * LINE;
    }

    @Override
    public PlotKind kind() {
        return PlotKind.WATERFALL;
    }

    @Override
    public String title() {
        return data.attributions().method() + ", row " + (row + 1) + data.rowTarget(row).map(c -> ": " + c).orElse("");
    }

    @Override
    public int width() {
        return WIDTH;
    }

    @Override
    public int height() {
        return TOP + LINE * steps.size() + BOTTOM;
    }

    @Override
    public String altText() {
        List<String> top = new ArrayList<>();
        for (int i = 0; i < Math.min(3, steps.size()); i++) {
            top.add(steps.get(i).label() + " " + Numbers.signed(steps.get(i).value(), 3));
        }
        return "Waterfall of row " + (row + 1) + ": from " + baseName() + " = " + Numbers.plain(base, 4) + " to f(x) = "
                + Numbers.plain(output, 4) + "; largest contributions: " + String.join(", ", top) + ".";
    }

    private String baseName() {
        return ends.baseName();
    }

    @Override
    void draw(Graphics2D g) {
        double bottom = TOP + LINE * steps.size();
        marker(g, scale, base, TOP, bottom + 4, Color.GRAY);
        marker(g, scale, output, TOP - 8, bottom, Color.GRAY);
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            double y = lineCentre(i);
            double x0 = scale.pixel(s.start());
            double x1 = scale.pixel(s.end());
            g.setColor(s.gap() ? NEUTRAL : s.value() >= 0 ? RAISES : LOWERS);
            g.fill(arrow(x0, x1, y, LINE - 10));
            g.setColor(Color.BLACK);
            g.setFont(LABEL_FONT);
            text(g, s.label(), LEFT - 8, y + 4, 1);
            g.setFont(SMALL_FONT);
            // a value goes beyond the arrow's tip, or past its other end where the tip is too near the labels
            boolean right = s.value() >= 0 || Math.min(x0, x1) - 4 < LEFT + 40;
            text(g, Numbers.signed(s.value(), 3), right ? Math.max(x0, x1) + 4 : Math.min(x0, x1) - 4, y + 4, right ? 0 : 1);
        }
        g.setColor(Color.BLACK);
        g.setFont(SMALL_FONT);
        text(g, "f(x) = " + Numbers.plain(output, 4), scale.pixel(output), TOP - 12, 0.5);
        xAxis(g, scale, LEFT, WIDTH - RIGHT, bottom + 4, data.attributions().method() + " output: " + baseName() + " = "
                + Numbers.plain(base, 4) + " (dashed) → f(x)");
        g.setColor(AXIS);
        text(g, "red raises · blue lowers the output", WIDTH - RIGHT, TOP - 28, 1);
    }

    /** A horizontal arrow from x0 to x1 (its tip exactly at x1), centred on y. */
    static Path2D arrow(double x0, double x1, double y, double h) {
        double dir = Math.signum(x1 - x0);
        double tip = Math.min(8, Math.abs(x1 - x0));
        Path2D p = new Path2D.Double();
        p.moveTo(x0, y - h / 2);
        p.lineTo(x1 - dir * tip, y - h / 2);
        p.lineTo(x1, y);
        p.lineTo(x1 - dir * tip, y + h / 2);
        p.lineTo(x0, y + h / 2);
        p.closePath();
        return p;
    }
}
