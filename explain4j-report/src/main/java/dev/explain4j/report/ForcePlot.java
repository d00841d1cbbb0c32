package dev.explain4j.report;

import dev.explain4j.global.GlobalImportance;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;

/**
 * SHAP's force plot for one row, drawn static: one value axis with f(reference) and f(x) marked; the contributions
 * that raise the output are red segments pointing right, placed side by side so that they end at f(x), the one that
 * lowers it blue segments pointing left, starting at f(x). On each side the largest sits next to f(x), so the red
 * block spans [f(x) − Σ raises, f(x)], the blue one [f(x), f(x) + Σ |lowers|], and f(reference) = f(x) − Σ raises +
 * Σ |lowers| lies where the two pushes balance.
 *
 * <p>Features below {@link #FOLD_SHARE} of Σ |attribution| (and those beyond {@link #DEFAULT_MAX_FEATURES}) are folded
 * into one "N other features" segment per side, at its outer end. The part of f(x) − f(reference) the attributions do
 * not account for is a grey segment at the outer end of the side it pushes, as in {@link WaterfallPlot}. Labels
 * ("name = value") go under the segments, in two staggered lanes.
 */
public final class ForcePlot extends Plot {
    public static final int DEFAULT_MAX_FEATURES = 10;
    /** Features whose |attribution| is below this share of the row's Σ |attribution| are folded: they are slivers. */
    static final double FOLD_SHARE = 0.02;
    private static final int LEFT = 40;
    private static final int RIGHT = 40;
    private static final int WIDTH = 900;
    private static final int BAR_TOP = 86;
    private static final int BAR_HEIGHT = 26;
    private static final int HEIGHT = 250;

    /**
     * One segment, pushing from {@code start} (its outer end) to {@code end} (its end nearer f(x)), in output units:
     * end − start = value.
     *
     * @param kind a feature, the folded rest of one side, or the unattributed gap
     */
    record Segment(String label, double value, double start, double end, Kind kind) {
        enum Kind { FEATURE, FOLDED, GAP }
    }

    private final int row;
    private final RowOutputs ends;
    /** Raising segments from f(x) leftwards, then lowering ones from f(x) rightwards: nearest f(x) first on each side. */
    private final List<Segment> raising;
    private final List<Segment> lowering;
    private final Scale scale;

    private ForcePlot(PlotData data, int row, int maxFeatures) {
        super(data);
        if (maxFeatures < 1) {
            throw new IllegalArgumentException("a force plot shows at least 1 feature, got " + maxFeatures);
        }
        this.row = data.checkRow(row);
        this.ends = RowOutputs.of(data, row, "force plot");
        double[] a = data.row(row);
        double sumAbs = 0;
        for (double v : a) {
            sumAbs += Math.abs(v);
        }
        int[] order = GlobalImportance.byDecreasing(abs(a));
        List<Integer> up = new ArrayList<>();
        List<Integer> down = new ArrayList<>();
        double foldedUp = 0;
        double foldedDown = 0;
        int nFoldedUp = 0;
        int nFoldedDown = 0;
        for (int i = 0; i < order.length; i++) {
            int f = order[i];
            boolean shown = i < maxFeatures && Math.abs(a[f]) >= FOLD_SHARE * sumAbs && a[f] != 0;
            if (a[f] > 0) {
                if (shown) {
                    up.add(f);
                } else {
                    foldedUp += a[f];
                    nFoldedUp++;
                }
            } else if (a[f] < 0) {
                if (shown) {
                    down.add(f);
                } else {
                    foldedDown += a[f];
                    nFoldedDown++;
                }
            }
        }
        this.raising = side(a, up, foldedUp, nFoldedUp, ends.gap() > 0 ? ends.gap() : 0, -1);
        this.lowering = side(a, down, foldedDown, nFoldedDown, ends.gap() < 0 ? ends.gap() : 0, +1);
        double min = Math.min(ends.base(), ends.output());
        double max = Math.max(ends.base(), ends.output());
        for (Segment s : raising) {
            min = Math.min(min, s.start());
        }
        for (Segment s : lowering) {
            max = Math.max(max, s.start());
        }
        this.scale = Scale.of(min, max, LEFT, WIDTH - RIGHT);
    }

    /**
     * The segments of one side laid out from f(x) outwards: {@code direction} −1 for the raising side (it extends to
     * the left of f(x)), +1 for the lowering one.
     */
    private List<Segment> side(double[] a, List<Integer> features, double folded, int nFolded, double gap, int direction) {
        List<Segment> out = new ArrayList<>();
        double at = ends.output();
        for (int f : features) {
            double outer = at + direction * Math.abs(a[f]);
            out.add(new Segment(label(f, a[f]), a[f], outer, at, Segment.Kind.FEATURE));
            at = outer;
        }
        if (nFolded > 0) {
            double outer = at + direction * Math.abs(folded);
            out.add(new Segment(nFolded + (nFolded == 1 ? " other feature" : " other features"), folded, outer, at,
                    Segment.Kind.FOLDED));
            at = outer;
        }
        if (gap != 0) {
            double outer = at + direction * Math.abs(gap);
            out.add(new Segment("not attributed", gap, outer, at, Segment.Kind.GAP));
        }
        return List.copyOf(out);
    }

    private String label(int f, double value) {
        return data.input(row, f).map(v -> data.featureName(f) + " = " + Numbers.plain(v, 4)).orElse(data.featureName(f))
                + " (" + Numbers.signed(value, 3) + ")";
    }

    /** @param row 0-based */
    public static ForcePlot of(PlotData data, int row) {
        return new ForcePlot(data, row, DEFAULT_MAX_FEATURES);
    }

    /** At most this many features get a segment of their own; the rest are folded per side. */
    public ForcePlot withMaxFeatures(int max) {
        return new ForcePlot(data, row, max);
    }

    /** Raising segments, nearest f(x) first; each ends where the next one starts, the first at f(x). */
    List<Segment> raising() {
        return raising;
    }

    /** Lowering segments, nearest f(x) first. */
    List<Segment> lowering() {
        return lowering;
    }

    RowOutputs ends() {
        return ends;
    }

    Scale scale() {
        return scale;
    }

    double barCentre() {
        return BAR_TOP + BAR_HEIGHT / 2.0;
    }

    @Override
    public PlotKind kind() {
        return PlotKind.FORCE;
    }

    @Override
    public String title() {
        return data.attributions().method() + " force plot, row " + (row + 1) + data.rowTarget(row).map(c -> ": " + c).orElse("");
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
        return "Force plot of row " + (row + 1) + ": from " + ends.baseName() + " = " + Numbers.plain(ends.base(), 4)
                + " to f(x) = " + Numbers.plain(ends.output(), 4) + ". Raising it most: " + leaders(raising)
                + ". Lowering it most: " + leaders(lowering) + ".";
    }

    private static String leaders(List<Segment> side) {
        List<String> out = new ArrayList<>();
        for (Segment s : side) {
            if (s.kind() == Segment.Kind.FEATURE && out.size() < 3) {
                out.add(s.label());
            }
        }
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    @Override
    void draw(Graphics2D g) {
        double y = barCentre();
        int lane = 0;
        for (List<Segment> side : List.of(raising, lowering)) {
            for (Segment s : side) {
                double x0 = scale.pixel(s.start());
                double x1 = scale.pixel(s.end());
                g.setColor(s.kind() == Segment.Kind.GAP ? NEUTRAL : s.value() > 0 ? RAISES : LOWERS);
                g.fill(chevron(x0, x1, y, BAR_HEIGHT));
                g.setColor(Color.WHITE);
                g.setStroke(new BasicStroke(1f));
                g.draw(chevron(x0, x1, y, BAR_HEIGHT));
                if (s.kind() != Segment.Kind.GAP || Math.abs(x1 - x0) > 2) {
                    double mid = (x0 + x1) / 2;
                    double labelY = BAR_TOP + BAR_HEIGHT + 18 + (lane % 2) * 14;
                    g.setColor(new Color(0xbbbbbb));
                    g.draw(new Line2D.Double(mid, BAR_TOP + BAR_HEIGHT + 2, mid, labelY - 10));
                    g.setColor(s.value() > 0 && s.kind() != Segment.Kind.GAP ? RAISES.darker()
                            : s.kind() == Segment.Kind.GAP ? AXIS : LOWERS.darker());
                    g.setFont(SMALL_FONT);
                    text(g, s.label(), Math.max(LEFT, Math.min(WIDTH - RIGHT, mid)), labelY,
                            mid < WIDTH * 0.2 ? 0 : mid > WIDTH * 0.8 ? 1 : 0.5);
                    lane++;
                }
            }
        }
        marker(g, scale, ends.base(), BAR_TOP - 14, BAR_TOP + BAR_HEIGHT + 4, Color.GRAY);
        marker(g, scale, ends.output(), BAR_TOP - 28, BAR_TOP + BAR_HEIGHT + 4, Color.BLACK);
        g.setFont(LABEL_FONT);
        g.setColor(Color.BLACK);
        text(g, "f(x) = " + Numbers.plain(ends.output(), 4), scale.pixel(ends.output()), BAR_TOP - 32, 0.5);
        g.setColor(AXIS);
        g.setFont(SMALL_FONT);
        text(g, ends.baseName() + " = " + Numbers.plain(ends.base(), 4), scale.pixel(ends.base()), BAR_TOP - 18, 0.5);
        g.setFont(SMALL_FONT);
        g.setColor(RAISES);
        text(g, "raises the output →", LEFT, 46, 0);
        g.setColor(LOWERS);
        text(g, "← lowers the output", WIDTH - RIGHT, 46, 1);
        xAxis(g, scale, LEFT, WIDTH - RIGHT, HEIGHT - 56, data.attributions().method() + " output ("
                + data.rowTarget(row).orElse(data.targetDescription()) + "): red pushes up from " + ends.baseName() + ", blue pushes down, to f(x)");
    }

    /** A segment from x0 to x1 whose both ends are notched the way it points (SHAP's chevrons). */
    static Path2D chevron(double x0, double x1, double y, double h) {
        double left = Math.min(x0, x1);
        double right = Math.max(x0, x1);
        double dir = Math.signum(x1 - x0) == 0 ? 1 : Math.signum(x1 - x0);
        double tip = Math.min(6, (right - left) / 2);
        Path2D p = new Path2D.Double();
        if (dir > 0) {
            p.moveTo(left, y - h / 2);
            p.lineTo(right - tip, y - h / 2);
            p.lineTo(right, y);
            p.lineTo(right - tip, y + h / 2);
            p.lineTo(left, y + h / 2);
            p.lineTo(left + tip, y);
        } else {
            p.moveTo(right, y - h / 2);
            p.lineTo(left + tip, y - h / 2);
            p.lineTo(left, y);
            p.lineTo(left + tip, y + h / 2);
            p.lineTo(right, y + h / 2);
            p.lineTo(right - tip, y);
        }
        p.closePath();
        return p;
    }
}
