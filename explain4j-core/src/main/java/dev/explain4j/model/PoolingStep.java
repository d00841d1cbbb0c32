package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.layers.convolution.subsampling.Subsampling1DLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * 2-D and 1-D max and average pooling through libnd4j's 2-D pooling ops with oneDNN turned off for the call.
 *
 * <p>DL4J's {@code SubsamplingLayer} calls the same ops, but in the oneDNN build of libnd4j they then run on oneDNN,
 * which on NCHW arrays was 3-4x slower than libnd4j's own kernels with identical results (640 maps of 20 × 24 × 24:
 * forward 135 against 35 ms, backward 210 against 85 ms); pooling was a third of the benchmark CNN's pass. The ops'
 * arguments are DL4J's, so outputs equal the layer's. p-norm pooling goes through DL4J.
 *
 * <p>A 1-D pooling layer is a 2-D one over [time, 1] in DL4J's configuration ([k, 1] kernel, NHWC for channels-last
 * sequences): its input is viewed as that map. DL4J's own backward pass of a channels-last 1-D pooling reshapes the
 * epsilon as channels-first and fails ("New shape length doesn't match original length"; cnn_1d_doublecount of the
 * Keras corpus).
 */
final class PoolingStep {
    private final Map<Layer, INDArray> inputs = new IdentityHashMap<>();

    static boolean handles(Layer layer) {
        return (layer.getClass() == SubsamplingLayer.class || layer.getClass() == Subsampling1DLayer.class)
                && (configuration(layer).getPoolingType() == PoolingType.MAX
                || configuration(layer).getPoolingType() == PoolingType.AVG);
    }

    /** The layer's output for its input (4-D, or 3-D for 1-D pooling), keeping the input for {@link #backward}. */
    INDArray forward(Layer layer, INDArray input) {
        inputs.put(layer, input);
        return pool(layer, input);
    }

    /** The layer's output on {@code input}. */
    static INDArray pool(Layer layer, INDArray input) {
        INDArray pooled = new NativeOp(opName(layer, ""), arguments(layer), asMap(layer, input)).run(false);
        return input.rank() == 3 ? asSequence(layer, pooled) : pooled;
    }

    /** ∂/∂input at {@code input} from ∂/∂output: for max pooling, each output's value sent to its arg-max. */
    static INDArray gradient(Layer layer, INDArray input, INDArray epsilon) {
        INDArray map = asMap(layer, input);
        INDArray mapEpsilon = asMap(layer, epsilon.castTo(input.dataType()));
        long[] pooled = new NativeOp(opName(layer, ""), arguments(layer), map).outputShape();
        if (!java.util.Arrays.equals(mapEpsilon.shape(), pooled)) {
            // seen on a Keras graph whose flatten hands a channels-last 1-D pooling a channels-first gradient
            throw new IllegalArgumentException("cannot differentiate through layer " + LayerSteps.describe(layer)
                    + ": the gradient from the layers after it has shape " + java.util.Arrays.toString(epsilon.shape())
                    + ", which is not the shape of the layer's output for an input of shape "
                    + java.util.Arrays.toString(input.shape()));
        }
        INDArray gradient = new NativeOp(opName(layer, "_bp"), arguments(layer), map, mapEpsilon).run(false);
        return input.rank() == 3 ? gradient.reshape('c', input.shape()) : gradient;
    }

    /** A sequence of a 1-D pooling layer as the map its 2-D op pools: [n, t, 1, c] (NHWC) or [n, c, t, 1]; else as is. */
    private static INDArray asMap(Layer layer, INDArray input) {
        if (input.rank() != 3) {
            return input;
        }
        INDArray c = input.dup('c');
        return configuration(layer).getCnn2dDataFormat() == CNN2DFormat.NHWC
                ? c.reshape('c', c.size(0), c.size(1), 1, c.size(2)) : c.reshape('c', c.size(0), c.size(1), c.size(2), 1);
    }

    /** The pooled map of a 1-D pooling layer as the sequence the layer outputs. */
    private static INDArray asSequence(Layer layer, INDArray map) {
        return configuration(layer).getCnn2dDataFormat() == CNN2DFormat.NHWC
                ? map.reshape('c', map.size(0), map.size(1), map.size(3)) : map.reshape('c', map.size(0), map.size(1), map.size(2));
    }

    static boolean isMax(Layer layer) {
        return configuration(layer).getPoolingType() == PoolingType.MAX;
    }

    /** Whether {@link #forward} ran for this layer in the current pass. */
    boolean hasForward(Layer layer) {
        return inputs.containsKey(layer);
    }

    /** ∂f/∂input from ∂f/∂output. */
    INDArray backward(Layer layer, INDArray epsilon) {
        return gradient(layer, inputs.remove(layer), epsilon);
    }

    /** Forgets what the last pass kept. */
    void clear() {
        inputs.clear();
    }

    private static String opName(Layer layer, String suffix) {
        return (configuration(layer).getPoolingType() == PoolingType.MAX ? "maxpool2d" : "avgpool2d") + suffix;
    }

    /** kH, kW, sH, sW, pH, pW, dH, dW, same mode, divisor mode (average), NHWC: as DL4J's layer passes them. */
    private static int[] arguments(Layer layer) {
        org.deeplearning4j.nn.conf.layers.SubsamplingLayer conf = configuration(layer);
        int[] k = conf.getKernelSize();
        int[] s = conf.getStride();
        int[] p = conf.getPadding();
        int[] d = conf.getDilation();
        boolean excludePadding = conf.getPoolingType() == PoolingType.AVG && conf.isAvgPoolIncludePadInDivisor();
        return new int[]{k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1],
                conf.getConvolutionMode() == ConvolutionMode.Same ? 1 : 0, excludePadding ? 1 : 0,
                conf.getCnn2dDataFormat() == CNN2DFormat.NHWC ? 1 : 0};
    }

    private static org.deeplearning4j.nn.conf.layers.SubsamplingLayer configuration(Layer layer) {
        return (org.deeplearning4j.nn.conf.layers.SubsamplingLayer) layer.conf().getLayer();
    }
}
