package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * 2-D max and average pooling through libnd4j's pooling ops with oneDNN turned off for the call.
 *
 * <p>DL4J's {@code SubsamplingLayer} calls the same ops, but in the oneDNN build of libnd4j they then run on oneDNN,
 * which on NCHW arrays was 3-4x slower than libnd4j's own kernels with identical results (640 maps of 20 × 24 × 24:
 * forward 135 against 35 ms, backward 210 against 85 ms); pooling was a third of the benchmark CNN's pass. The ops'
 * arguments are DL4J's, so outputs equal the layer's. p-norm pooling goes through DL4J.
 */
final class PoolingStep {
    private final Map<Layer, INDArray> inputs = new IdentityHashMap<>();

    static boolean handles(Layer layer) {
        return layer.getClass() == SubsamplingLayer.class && (configuration(layer).getPoolingType() == PoolingType.MAX
                || configuration(layer).getPoolingType() == PoolingType.AVG);
    }

    /** The layer's output for a 4-D input, keeping the input for {@link #backward}. */
    INDArray forward(Layer layer, INDArray input) {
        inputs.put(layer, input);
        return pool(layer, input);
    }

    /** The layer's output on {@code input}. */
    static INDArray pool(Layer layer, INDArray input) {
        return new NativeOp(opName(layer, ""), arguments(layer), input).run(false);
    }

    /** ∂/∂input at {@code input} from ∂/∂output: for max pooling, each output's value sent to its arg-max. */
    static INDArray gradient(Layer layer, INDArray input, INDArray epsilon) {
        return new NativeOp(opName(layer, "_bp"), arguments(layer), input, epsilon.castTo(input.dataType())).run(false);
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
