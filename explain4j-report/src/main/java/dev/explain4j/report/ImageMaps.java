package dev.explain4j.report;

import dev.explain4j.model.ImageResize;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import dev.explain4j.model.ImageGeometry;

import org.deeplearning4j.nn.conf.CNN2DFormat;

import java.util.Optional;

/**
 * Brings one row of attributions to a height × width map at the input's resolution, the form every image picture
 * and the agreement between methods work on.
 *
 * <p>Attributions with the input's shape are summed over channels (as Captum's visualiser does). Two-dimensional
 * maps per row (Grad-CAM's [rows, h, w]) are resized bilinearly when smaller than the input, with PyTorch's
 * {@code align_corners=False} convention. Other shapes (a dense layer's units, a convolutional layer's channels)
 * have no place on the image and give nothing.
 */
public final class ImageMaps {

    private ImageMaps() {
    }

    /**
     * @param rowShape the shape of one row of the attributions (the values' shape without its first dimension)
     * @param row      that row flattened row-major
     */
    public static Optional<double[]> toInputResolution(long[] rowShape, double[] row, ImageGeometry geometry) {
        int h = geometry.height();
        int w = geometry.width();
        if (rowShape.length == 2) {
            int mh = (int) rowShape[0];
            int mw = (int) rowShape[1];
            return Optional.of(mh == h && mw == w ? row.clone() : resizeBilinear(row, mh, mw, h, w));
        }
        if (row.length != PixelLayout.size(geometry)) {
            return Optional.empty();
        }
        double[] map = new double[h * w];
        for (int ch = 0; ch < geometry.channels(); ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    map[y * w + x] += row[PixelLayout.index(geometry, ch, y, x)];
                }
            }
        }
        return Optional.of(map);
    }

    /**
     * The image a row of {@code inputWidth} values is, told from the attributions' shape per row when the model is
     * not at hand (a JSON written by {@code explain}): [c, h, w] with c ≤ 4 is NCHW, [h, w, c] with c ≤ 4 NHWC; flat
     * rows (and per-row maps [h', w'] such as Grad-CAM's) are square images of at least 4×4, grey when the width is a
     * square, RGB (channel-major) when a third of it is. Empty when none of these fits.
     */
    public static Optional<ImageGeometry> geometryFor(long[] rowShape, int inputWidth) {
        if (rowShape.length == 3 && rowShape[0] * rowShape[1] * rowShape[2] == inputWidth) {
            if (rowShape[0] <= 4 && rowShape[2] > 4) {
                return Optional.of(new ImageGeometry((int) rowShape[1], (int) rowShape[2], (int) rowShape[0], CNN2DFormat.NCHW, false));
            }
            if (rowShape[2] <= 4) {
                return Optional.of(new ImageGeometry((int) rowShape[0], (int) rowShape[1], (int) rowShape[2], CNN2DFormat.NHWC, false));
            }
        }
        for (int channels : new int[] {1, 3}) {
            int side = (int) Math.round(Math.sqrt(inputWidth / (double) channels));
            // at least 4×4: a handful of tabular features is no picture
            if (side >= 4 && side * side * channels == inputWidth) {
                return Optional.of(new ImageGeometry(side, side, channels, CNN2DFormat.NCHW, true));
            }
        }
        return Optional.empty();
    }

    /** Bilinear resize of a row-major [h, w] map, sampling at pixel centres (align_corners=False). */
    public static double[] resizeBilinear(double[] map, int h, int w, int outH, int outW) {
        if (map.length != h * w) {
            throw new IllegalArgumentException("map has " + map.length + " values, expected " + h + "x" + w);
        }
        INDArray one = Nd4j.createFromArray(map).reshape(1, h, w);
        return ImageResize.resize(one, outH, outW, true).reshape(-1).toDoubleVector();
    }
}
