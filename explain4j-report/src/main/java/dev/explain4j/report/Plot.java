package dev.explain4j.report;

import dev.explain4j.io.AtomicFiles;
import org.jfree.svg.SVGGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The shared base of the SHAP-style plots: one Java2D drawing, rendered headless to PNG or to SVG (JFreeSVG), with
 * a title, axis labels, a legend or colour bar, and an alt text for the report. Subclasses lay out their picture
 * once, when made, so that what they draw and what tests measure are the same numbers.
 */
public abstract class Plot {
    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Font SMALL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    static final Color RAISES = Colormap.DIVERGING.color(1);
    static final Color LOWERS = Colormap.DIVERGING.color(-1);
    static final Color NEUTRAL = new Color(0x999999);
    static final Color AXIS = Color.DARK_GRAY;

    final PlotData data;

    Plot(PlotData data) {
        this.data = data;
    }

    public abstract PlotKind kind();

    public abstract String title();

    /** What the picture shows, in words, for people who cannot see it. */
    public abstract String altText();

    public abstract int width();

    public abstract int height();

    /** Draws everything below the title on a white canvas of {@link #width()} × {@link #height()}. */
    abstract void draw(Graphics2D g);

    public final BufferedImage render() {
        BufferedImage image = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            paint(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    public final byte[] png() {
        return Png.encode(render());
    }

    /** A standalone SVG document; JFreeSVG escapes the text it draws. */
    public final String svg() {
        SVGGraphics2D g = new SVGGraphics2D(width(), height());
        paint(g);
        return g.getSVGDocument();
    }

    /** Writes PNG or SVG by the file's extension, atomically. */
    public final void write(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        byte[] bytes;
        if (name.endsWith(".png")) {
            bytes = png();
        } else if (name.endsWith(".svg")) {
            bytes = svg().getBytes(StandardCharsets.UTF_8);
        } else {
            throw new IllegalArgumentException(file + ": expected a file name ending in .png or .svg");
        }
        AtomicFiles.writeBytes(file, out -> out.write(bytes));
    }

    private void paint(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width(), height());
        g.setFont(TITLE_FONT);
        g.setColor(Color.BLACK);
        text(g, title(), width() / 2.0, 20, 0.5);
        draw(g);
    }

    /** Draws {@code s} with its baseline at y; {@code anchor} 0 = left end at x, 0.5 = centred, 1 = right end. */
    static void text(Graphics2D g, String s, double x, double y, double anchor) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (x - anchor * fm.stringWidth(s)), (float) y);
    }

    /** A horizontal value axis along y from the scale's pixels, with ticks, their values and a label under them. */
    static void xAxis(Graphics2D g, Scale scale, double left, double right, double y, String label) {
        g.setColor(AXIS);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Line2D.Double(left, y, right, y));
        g.setFont(SMALL_FONT);
        for (double t : scale.ticks()) {
            double x = scale.pixel(t);
            g.draw(new Line2D.Double(x, y, x, y + 4));
            text(g, Numbers.plain(t, 3), x, y + 15, 0.5);
        }
        g.setFont(LABEL_FONT);
        text(g, label, (left + right) / 2, y + 32, 0.5);
    }

    /** A vertical value axis at x from the scale's pixels (top to bottom), ticks to its left, label rotated beside them. */
    static void yAxis(Graphics2D g, Scale scale, double top, double bottom, double x, String label) {
        g.setColor(AXIS);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Line2D.Double(x, top, x, bottom));
        g.setFont(SMALL_FONT);
        for (double t : scale.ticks()) {
            double y = scale.pixel(t);
            g.draw(new Line2D.Double(x - 4, y, x, y));
            text(g, Numbers.plain(t, 3), x - 6, y + 4, 1);
        }
        rotatedLabel(g, label, x - 48, (top + bottom) / 2);
    }

    /** A label read bottom to top, centred on (x, y). */
    static void rotatedLabel(Graphics2D g, String label, double x, double y) {
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2, x, y);
        r.setFont(LABEL_FONT);
        r.setColor(AXIS);
        text(r, label, x, y + 4, 0.5);
        r.dispose();
    }

    /** A vertical dashed line at value v over [top, bottom]. */
    static void marker(Graphics2D g, Scale scale, double v, double top, double bottom, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
        double x = scale.pixel(v);
        g.draw(new Line2D.Double(x, top, x, bottom));
        g.setStroke(new BasicStroke(1f));
    }

    /** Blue (low) to red (high) through purple, SHAP's reading of a feature's value; grey where there is none. */
    static Color featureColor(double t) {
        if (Double.isNaN(t)) {
            return NEUTRAL;
        }
        return new Color(Colormap.mix(Colormap.DIVERGING.rgb(-1), Colormap.DIVERGING.rgb(1), Math.max(0, Math.min(1, t))));
    }

    /** The vertical colour bar of {@link #featureColor}: "high" on top, "low" below, the quantity beside it. */
    static void featureColorBar(Graphics2D g, double x, double top, double bottom, String quantity) {
        featureColorBar(g, x, top, bottom, quantity, "high", "low");
    }

    /** As {@link #featureColorBar(Graphics2D, double, double, double, String)} with the ends labelled by the caller. */
    static void featureColorBar(Graphics2D g, double x, double top, double bottom, String quantity, String high, String low) {
        int steps = 64;
        double h = (bottom - top) / steps;
        for (int i = 0; i < steps; i++) {
            g.setColor(featureColor(1 - (i + 0.5) / steps));
            g.fill(new Rectangle2D.Double(x, top + i * h, 10, h + 0.5));
        }
        g.setColor(AXIS);
        g.setFont(SMALL_FONT);
        text(g, high, x + 5, top - 4, 0.5);
        text(g, low, x + 5, bottom + 12, 0.5);
        rotatedLabel(g, quantity, x + 24, (top + bottom) / 2);
    }

    /** Pearson correlation of two equally long series; 0 when either is constant (no direction to report). */
    static double correlation(double[] u, double[] v) {
        double mu = 0;
        double mv = 0;
        for (int i = 0; i < u.length; i++) {
            mu += u[i] / u.length;
            mv += v[i] / v.length;
        }
        double suv = 0;
        double suu = 0;
        double svv = 0;
        for (int i = 0; i < u.length; i++) {
            suv += (u[i] - mu) * (v[i] - mv);
            suu += (u[i] - mu) * (u[i] - mu);
            svv += (v[i] - mv) * (v[i] - mv);
        }
        return suu > 0 && svv > 0 ? suv / Math.sqrt(suu * svv) : 0;
    }

    static double[] abs(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.abs(a[i]);
        }
        return out;
    }

    /** Position of v in [min, max] as 0..1; 0.5 when the range is empty. */
    static double normalise(double v, double min, double max) {
        return max > min ? (v - min) / (max - min) : 0.5;
    }
}
