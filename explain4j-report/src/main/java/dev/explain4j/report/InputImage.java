package dev.explain4j.report;

import dev.explain4j.model.ImageGeometry;

import java.awt.image.BufferedImage;

/**
 * One image input prepared for display: intensities in [0, 1], channel-major.
 *
 * <p>Rows in [0, 1] are shown as they are; other non-negative rows are divided by their maximum (Captum divides by
 * 255, which leaves data of other ranges, such as the 0..16 digits, nearly black); rows with negative values
 * (standardised inputs) are stretched from their minimum to their maximum, because clipping them, as Captum does,
 * would show a mostly black picture.
 */
public final class InputImage {
    private final int height;
    private final int width;
    private final int channels;
    private final double[] intensities;

    private InputImage(int height, int width, int channels, double[] intensities) {
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.intensities = intensities;
    }

    /** @param row one sample flattened in the model's own input layout (see {@link ImageGeometry}) */
    public static InputImage fromRow(double[] row, ImageGeometry geometry) {
        if (row.length != PixelLayout.size(geometry)) {
            throw new IllegalArgumentException("an image of " + geometry.height() + "x" + geometry.width() + "x"
                    + geometry.channels() + " needs " + PixelLayout.size(geometry) + " values per row, got " + row.length);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : row) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double offset;
        double range;
        if (min >= 0 && max <= 1.0) {
            offset = 0;
            range = 1;
        } else if (min >= 0) {
            offset = 0;
            range = max;
        } else {
            offset = min;
            range = max > min ? max - min : 1;
        }
        int h = geometry.height();
        int w = geometry.width();
        int c = geometry.channels();
        double[] out = new double[h * w * c];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = (row[PixelLayout.index(geometry, ch, y, x)] - offset) / range;
                    out[(ch * h + y) * w + x] = Math.max(0.0, Math.min(1.0, v));
                }
            }
        }
        return new InputImage(h, w, c, out);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    /** Mean over channels in [0, 1], Captum's greyscale background for blended heatmaps. */
    public double gray(int y, int x) {
        double sum = 0;
        for (int ch = 0; ch < channels; ch++) {
            sum += intensities[(ch * height + y) * width + x];
        }
        return sum / channels;
    }

    /** 0xRRGGBB of a pixel: the three channels for an RGB image, the mean as grey otherwise. */
    public int rgb(int y, int x) {
        if (channels == 3) {
            int r = to255(intensities[y * width + x]);
            int g = to255(intensities[(height + y) * width + x]);
            int b = to255(intensities[(2 * height + y) * width + x]);
            return (r << 16) | (g << 8) | b;
        }
        int v = to255(gray(y, x));
        return (v << 16) | (v << 8) | v;
    }

    /** The input itself, enlarged by nearest neighbour so that its longer side is at least {@code minSide} pixels. */
    public BufferedImage render(int minSide) {
        int k = Heatmap.upscaleFactor(height, width, minSide);
        BufferedImage image = new BufferedImage(width * k, height * k, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height * k; y++) {
            for (int x = 0; x < width * k; x++) {
                image.setRGB(x, y, rgb(y / k, x / k));
            }
        }
        return image;
    }

    static int to255(double v) {
        return (int) Math.round(Math.max(0.0, Math.min(1.0, v)) * 255.0);
    }
}
