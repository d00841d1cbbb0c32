package dev.explain4j.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;

/**
 * The strip under every heatmap: the colour scale, the attribution values at its ends (the scale at which values are
 * clipped) and one line saying what the colours mean.
 */
final class ColorLegend {
    static final int HEIGHT = 42;
    private static final int BAR_HEIGHT = 9;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    private ColorLegend() {
    }

    /** Draws the legend with its top-left corner at (x, y). */
    static void draw(Graphics2D g, int x, int y, int width, Normalization.NormalizedMap map) {
        Colormap colormap = Colormap.forSign(map.sign());
        int barX = x + 6;
        int barWidth = width - 12;
        for (int i = 0; i < barWidth; i++) {
            double t = colormap.min() + (colormap.max() - colormap.min()) * i / Math.max(1, barWidth - 1);
            g.setColor(colormap.color(t));
            g.fillRect(barX + i, y + 4, 1, BAR_HEIGHT);
        }
        g.setColor(Color.GRAY);
        g.drawRect(barX, y + 4, barWidth - 1, BAR_HEIGHT);

        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(FONT);
        g.setColor(Color.DARK_GRAY);
        FontMetrics fm = g.getFontMetrics();
        int labelY = y + 4 + BAR_HEIGHT + fm.getAscent() + 1;
        String[] ends = endLabels(map);
        g.drawString(ends[0], barX, labelY);
        if (ends[1] != null) {
            g.drawString(ends[1], barX + (barWidth - fm.stringWidth(ends[1])) / 2, labelY);
        }
        g.drawString(ends[2], barX + barWidth - fm.stringWidth(ends[2]), labelY);
        String meaning = meaning(map);
        g.drawString(meaning, x + Math.max(2, (width - fm.stringWidth(meaning)) / 2), labelY + fm.getHeight());
    }

    /** Left, centre (may be null) and right labels: the attribution values the scale's ends stand for. */
    static String[] endLabels(Normalization.NormalizedMap map) {
        if (map.empty()) {
            return new String[] {"0", null, "0"};
        }
        double s = Math.abs(map.scale());
        return switch (map.sign()) {
            case ALL -> new String[] {"≤" + format(-s), "0", "≥" + format(s)};
            case POSITIVE -> new String[] {"0", null, "≥" + format(s)};
            case NEGATIVE -> new String[] {"0", null, "≤" + format(-s)};
            case ABSOLUTE_VALUE -> new String[] {"0", null, "|a|≥" + format(s)};
        };
    }

    /** What the colours mean, in words. */
    static String meaning(Normalization.NormalizedMap map) {
        if (map.empty()) {
            return switch (map.sign()) {
                case ALL, ABSOLUTE_VALUE -> "all attributions are zero";
                case POSITIVE -> "no positive attribution";
                case NEGATIVE -> "no negative attribution";
            };
        }
        return switch (map.sign()) {
            case ALL -> "blue lowers · red raises the output";
            case POSITIVE -> "red raises the output";
            case NEGATIVE -> "blue lowers the output";
            case ABSOLUTE_VALUE -> "purple: magnitude, either sign";
        };
    }

    static String format(double v) {
        return Numbers.signed(v, 3);
    }
}
