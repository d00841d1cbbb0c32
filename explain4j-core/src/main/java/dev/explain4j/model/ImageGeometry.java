package dev.explain4j.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How the rows of an image input are laid out: rank-4 batches in NCHW or NHWC, or flat rows of c·h·w values that the
 * network reshapes (channels, then height, then width) itself.
 */
public record ImageGeometry(int height, int width, int channels, CNN2DFormat format, boolean flat) {

    /** The batch as [rows, channels, height, width] (a view or a copy; never modified). */
    public INDArray toNchw(INDArray batch) {
        long rows = batch.size(0);
        if (flat) {
            return batch.reshape('c', rows, channels, height, width);
        }
        return format == CNN2DFormat.NHWC ? batch.permute(0, 3, 1, 2) : batch;
    }

    /** The inverse of {@link #toNchw}: an [rows, c, h, w] array in this geometry's own layout. */
    public INDArray fromNchw(INDArray nchw) {
        long rows = nchw.size(0);
        if (flat) {
            return nchw.dup('c').reshape('c', rows, (long) channels * height * width);
        }
        return format == CNN2DFormat.NHWC ? nchw.permute(0, 2, 3, 1).dup('c') : nchw;
    }
}
