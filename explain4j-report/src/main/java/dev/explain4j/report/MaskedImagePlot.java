package dev.explain4j.report;

import dev.explain4j.global.GlobalImportance;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;

/**
 * One row's input image with only its most attributed pixels shown: the top {@code percent}% of pixels by
 * |attribution| (summed over channels, as the heatmaps) keep their colour, every other pixel is dimmed to
 * {@link #DIMMED} of its brightness, so the image's outline stays readable while the eye goes to what the method
 * picked. The number kept is ⌈percent · pixels / 100⌉; ties in |attribution| go to the lower pixel index.
 */
public final class MaskedImagePlot extends ImagePlot {
    public static final double DEFAULT_PERCENT = 10;
    /** The brightness left to a masked pixel. */
    static final double DIMMED = 0.2;

    private final double percent;
    private final boolean[] kept;

    private MaskedImagePlot(PlotData data, int row, double percent) {
        super(data, row, "masked image");
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("the share of pixels a masked image keeps must be in (0, 100] percent, got "
                    + percent);
        }
        this.percent = percent;
        this.kept = top(map, percent);
    }

    /** @param row 0-based; keeps the top {@link #DEFAULT_PERCENT}% */
    public static MaskedImagePlot of(PlotData data, int row) {
        return new MaskedImagePlot(data, row, DEFAULT_PERCENT);
    }

    public MaskedImagePlot withPercent(double percent) {
        return new MaskedImagePlot(data, row, percent);
    }

    /** Which of the map's pixels are among the top {@code percent}% by |value|. */
    static boolean[] top(double[] map, double percent) {
        int keep = (int) Math.ceil(percent * map.length / 100.0 - 1e-9);
        int[] order = GlobalImportance.byDecreasing(abs(map));
        boolean[] out = new boolean[map.length];
        for (int i = 0; i < Math.min(keep, order.length); i++) {
            out[order[i]] = true;
        }
        return out;
    }

    boolean kept(int y, int x) {
        return kept[y * geometry.width() + x];
    }

    int keptCount() {
        int n = 0;
        for (boolean k : kept) {
            n += k ? 1 : 0;
        }
        return n;
    }

    @Override
    int pixel(int y, int x) {
        int rgb = input.rgb(y, x);
        return kept(y, x) ? rgb : Colormap.mix(0x000000, rgb, DIMMED);
    }

    @Override
    int legendHeight() {
        return 36;
    }

    @Override
    void legend(Graphics2D g, int x, int y, int width) {
        g.setColor(Color.WHITE);
        g.fill(new Rectangle2D.Double(x, y + 4, 10, 10));
        g.setColor(Color.GRAY);
        g.draw(new Rectangle2D.Double(x, y + 4, 10, 10));
        g.setColor(new Color(Colormap.mix(0x000000, 0xffffff, DIMMED)));
        g.fill(new Rectangle2D.Double(x, y + 20, 10, 10));
        g.setColor(AXIS);
        g.setFont(SMALL_FONT);
        text(g, "as the input: the top " + Numbers.plain(percent, 3) + "% of pixels by |attribution|", x + 14, y + 13, 0);
        text(g, "dimmed to " + Numbers.plain(100 * DIMMED, 2) + "% brightness: the rest", x + 14, y + 29, 0);
    }

    @Override
    public PlotKind kind() {
        return PlotKind.MASKED_IMAGE;
    }

    @Override
    public String title() {
        return "top " + Numbers.plain(percent, 3) + "% of " + data.attributions().method() + ", row " + (row + 1) + " (" + target() + ")";
    }

    @Override
    public String altText() {
        return "Input image of row " + (row + 1) + " with only the " + keptCount() + " pixels of largest |"
                + data.attributions().method() + " attribution| (top " + Numbers.plain(percent, 3) + "%) shown bright, "
                + "explaining " + target() + "; the other pixels are dimmed.";
    }
}
