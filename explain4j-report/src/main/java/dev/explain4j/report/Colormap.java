package dev.explain4j.report;

import java.awt.Color;

/**
 * A piecewise-linear colour scale over [−1, 1] (signed) or [0, 1] (one sign or magnitude).
 *
 * <p>Signed maps use a diverging blue–white–red scale (ColorBrewer RdBu end colours with a pure white centre, so a
 * zero attribution leaves the input untinted): blue lowers the explained output, red raises it, as in SHAP's plots.
 * Captum's default is red–white–green; blue/red reads for the common red–green colour blindness. Positive-only and
 * negative-only maps are the red and the blue half of the same scale, and magnitudes get a sequential purple scale
 * that carries no sign.
 */
public final class Colormap {

    public static final Colormap DIVERGING = new Colormap("blue-white-red", -1.0,
            new double[] {-1.0, -0.5, 0.0, 0.5, 1.0},
            new int[] {0x0571b0, 0x92c5de, 0xffffff, 0xf4a582, 0xca0020});
    public static final Colormap REDS = new Colormap("white-red", 0.0,
            new double[] {0.0, 0.5, 1.0}, new int[] {0xffffff, 0xf4a582, 0xca0020});
    public static final Colormap BLUES = new Colormap("white-blue", 0.0,
            new double[] {0.0, 0.5, 1.0}, new int[] {0xffffff, 0x92c5de, 0x0571b0});
    public static final Colormap PURPLES = new Colormap("white-purple", 0.0,
            new double[] {0.0, 0.5, 1.0}, new int[] {0xffffff, 0x9e9ac8, 0x54278f});

    private final String name;
    private final double min;
    private final double[] stops;
    private final int[] colors;

    private Colormap(String name, double min, double[] stops, int[] colors) {
        this.name = name;
        this.min = min;
        this.stops = stops;
        this.colors = colors;
    }

    /** The colour scale a heatmap of this sign mode uses. */
    public static Colormap forSign(SignMode sign) {
        return switch (sign) {
            case ALL -> DIVERGING;
            case POSITIVE -> REDS;
            case NEGATIVE -> BLUES;
            case ABSOLUTE_VALUE -> PURPLES;
        };
    }

    public String name() {
        return name;
    }

    /** Lowest value of the scale: −1 for the diverging one, 0 for the sequential ones. */
    public double min() {
        return min;
    }

    public double max() {
        return 1.0;
    }

    /** 0xRRGGBB for a value; values outside the scale take the end colour, NaN the centre. */
    public int rgb(double value) {
        if (Double.isNaN(value)) {
            value = min < 0 ? 0.0 : min;
        }
        if (value <= stops[0]) {
            return colors[0];
        }
        for (int i = 1; i < stops.length; i++) {
            if (value <= stops[i]) {
                double t = (value - stops[i - 1]) / (stops[i] - stops[i - 1]);
                return mix(colors[i - 1], colors[i], t);
            }
        }
        return colors[colors.length - 1];
    }

    public Color color(double value) {
        return new Color(rgb(value));
    }

    /** Linear mix of two 0xRRGGBB colours, t = 0 gives {@code a}. */
    static int mix(int a, int b, double t) {
        int r = (int) Math.round(((a >> 16) & 0xff) * (1 - t) + ((b >> 16) & 0xff) * t);
        int g = (int) Math.round(((a >> 8) & 0xff) * (1 - t) + ((b >> 8) & 0xff) * t);
        int bl = (int) Math.round((a & 0xff) * (1 - t) + (b & 0xff) * t);
        return (r << 16) | (g << 8) | bl;
    }

    @Override
    public String toString() {
        return "Colormap[" + name + "]";
    }
}
