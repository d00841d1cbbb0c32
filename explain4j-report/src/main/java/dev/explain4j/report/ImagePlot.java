package dev.explain4j.report;

import dev.explain4j.model.ImageGeometry;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.function.IntBinaryOperator;

/**
 * The shared frame of the pictures drawn on one input image: the picture enlarged by nearest neighbour to at least
 * {@link #MIN_SIDE} pixels, pixel-column and pixel-row axes, and a legend strip underneath that each kind draws.
 */
abstract class ImagePlot extends Plot {
    static final int MIN_SIDE = 280;
    private static final int LEFT = 70;
    private static final int RIGHT = 30;
    private static final int TOP = 40;
    private static final int AXIS_ROOM = 40;

    final int row;
    final ImageGeometry geometry;
    final InputImage input;
    /** The row's attributions at the input's resolution, row-major [height, width], summed over channels. */
    final double[] map;
    final int scale;

    ImagePlot(PlotData data, int row, String picture) {
        super(data);
        this.row = data.checkRow(row);
        this.geometry = data.image(picture);
        this.map = data.imageMap(row, picture);
        this.input = InputImage.fromRow(data.inputRow(row), geometry);
        this.scale = Heatmap.upscaleFactor(geometry.height(), geometry.width(), MIN_SIDE);
    }

    /** 0xRRGGBB of image pixel (y, x) as this kind shows it. */
    abstract int pixel(int y, int x);

    /** Height of the legend strip under the axes. */
    abstract int legendHeight();

    /** Draws the legend with its top-left corner at (x, y), {@code width} wide. */
    abstract void legend(Graphics2D g, int x, int y, int width);

    /** The picture alone, enlarged: what {@link #draw} places in the frame. */
    final BufferedImage picture() {
        return enlarged(geometry.height(), geometry.width(), scale, this::pixel);
    }

    /** An h × w picture of {@code rgb(y, x)}, each pixel a k × k square. */
    static BufferedImage enlarged(int h, int w, int k, IntBinaryOperator rgb) {
        BufferedImage image = new BufferedImage(w * k, h * k, BufferedImage.TYPE_INT_RGB);
        int[] line = new int[w * k];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                java.util.Arrays.fill(line, x * k, (x + 1) * k, rgb.applyAsInt(y, x));
            }
            for (int i = 0; i < k; i++) {
                image.setRGB(0, y * k + i, w * k, 1, line, 0, w * k);
            }
        }
        return image;
    }

    String target() {
        return data.rowTarget(row).orElse(data.targetDescription());
    }

    int pictureWidth() {
        return geometry.width() * scale;
    }

    int pictureHeight() {
        return geometry.height() * scale;
    }

    @Override
    public int width() {
        return LEFT + Math.max(pictureWidth(), 240) + RIGHT;
    }

    @Override
    public int height() {
        return TOP + pictureHeight() + AXIS_ROOM + legendHeight() + 8;
    }

    @Override
    final void draw(Graphics2D g) {
        g.drawImage(picture(), LEFT, TOP, null);
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, TOP, pictureWidth() - 1, pictureHeight() - 1);
        Scale columns = Scale.exact(0, geometry.width(), LEFT, LEFT + pictureWidth());
        Scale rows = Scale.exact(0, geometry.height(), TOP, TOP + pictureHeight());
        xAxis(g, columns, LEFT, LEFT + pictureWidth(), TOP + pictureHeight(), "");
        g.setFont(SMALL_FONT);
        g.setColor(AXIS);
        text(g, "x (pixel column)", LEFT + pictureWidth(), TOP + pictureHeight() + 28, 1);
        yAxis(g, rows, TOP, TOP + pictureHeight(), LEFT, "y (pixel row)");
        legend(g, LEFT, TOP + pictureHeight() + AXIS_ROOM, Math.max(pictureWidth(), 240));
    }
}
