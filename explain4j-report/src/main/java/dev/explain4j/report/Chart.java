package dev.explain4j.report;

import dev.explain4j.io.AtomicFiles;

import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A drawn chart of a given size, as PNG (for the report) or SVG (for print and papers). */
public final class Chart {
    private final JFreeChart chart;
    private final int width;
    private final int height;

    Chart(JFreeChart chart, int width, int height) {
        this.chart = chart;
        this.width = width;
        this.height = height;
    }

    /** The JFreeChart object, for callers who want to restyle it. */
    public JFreeChart jfreeChart() {
        return chart;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public BufferedImage render() {
        return chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
    }

    public byte[] png() {
        return Png.encode(render());
    }

    /** A standalone SVG document; JFreeSVG escapes the text it draws. */
    public String svg() {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(0, 0, width, height));
        return g.getSVGDocument();
    }

    public void writePng(Path target) {
        byte[] bytes = png();
        AtomicFiles.writeBytes(target, out -> out.write(bytes));
    }

    public void writeSvg(Path target) {
        byte[] bytes = svg().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeBytes(target, out -> out.write(bytes));
    }
}
