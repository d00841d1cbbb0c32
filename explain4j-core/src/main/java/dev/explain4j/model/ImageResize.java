package dev.explain4j.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Resizes per-row maps (Grad-CAM's [rows, h, w]) to an image's height and width with ND4J's image ops, following
 * PyTorch's {@code interpolate} with {@code align_corners=False}: pixel centres, borders clamped.
 */
public final class ImageResize {
    private ImageResize() {
    }

    /**
     * @param maps     [rows, h, w]
     * @param bilinear bilinear interpolation; false for nearest neighbour
     * @return [rows, height, width] in the maps' data type
     */
    public static INDArray resize(INDArray maps, int height, int width, boolean bilinear) {
        // the ops take NHWC images
        INDArray nhwc = maps.reshape(maps.size(0), maps.size(1), maps.size(2), 1);
        INDArray out = Nd4j.create(maps.dataType(), maps.size(0), height, width, 1);
        Nd4j.exec(DynamicCustomOp.builder(bilinear ? "resize_bilinear" : "resize_nearest_neighbor")
                .addInputs(nhwc).addOutputs(out).addIntegerArguments(height, width)
                .addBooleanArguments(false, bilinear).build());
        return out.reshape(maps.size(0), height, width);
    }
}
