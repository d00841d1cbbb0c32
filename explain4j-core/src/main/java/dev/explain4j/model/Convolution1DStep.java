package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * 1-D convolutions in channels-last (NWC) layout, as Keras import configures them, and dilated ones in either layout,
 * computed as the 2-D convolutions over [time, 1] that libnd4j's {@code conv1d} runs for DL4J's layer: the sequence
 * in NCW viewed as an NCHW map, through libnd4j's {@code conv2d} and {@code conv2d_bp}.
 *
 * <p>DL4J 1.0.0-M2.1's own backward pass of an NWC layer hands libnd4j's {@code conv1d_bp} an epsilon in the other
 * layout; the kernel rejects it after writing its error to stderr, and in a run with such failures a later conv1d
 * read a corrupted rank. A dilated convolution fails in DL4J's forward pass already: oneDNN refuses libnd4j's
 * description of it ("could not create a descriptor for a dilated convolution"; cnn1d_21, cnn1d_23 and
 * batchNormError2 of the Keras corpus), and libnd4j's {@code conv1d} calls {@code conv2d} as a nested op that
 * may use oneDNN whatever its caller allows. Here a dilated convolution runs {@code conv2d} on libnd4j's own kernel,
 * as DL4J's output does with helpers turned off. Causal padding is the left padding it is, then a valid convolution.
 */
final class Convolution1DStep {
    /** libnd4j's weight layout code for [kH, kW, in channels, out channels]. */
    private static final int WEIGHTS_HWIO = 0;

    /** The layer's input as an NCHW map (causal padding added) and its pre-activation, for the backward pass. */
    private record Kept(INDArray map, INDArray preActivation) {
    }

    private final Map<Layer, Kept> kept = new IdentityHashMap<>();

    static boolean handles(Layer layer) {
        return layer instanceof org.deeplearning4j.nn.layers.convolution.Convolution1DLayer
                && (configuration(layer).getRnnDataFormat() == RNNFormat.NWC || dilated(layer));
    }

    INDArray forward(Layer layer, INDArray input) {
        BaseLayer<?> conv = (BaseLayer<?>) layer;
        INDArray weights = conv.getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray x = ncw(layer, input).castTo(weights.dataType());
        int left = causalPadding(layer);
        if (left > 0) {
            x = Nd4j.concat(2, Nd4j.zeros(x.dataType(), x.size(0), x.size(1), left), x);
        }
        INDArray map = x.reshape('c', x.size(0), x.size(1), x.size(2), 1);
        INDArray z = new NativeOp("conv2d", arguments(layer), leading(conv, map)).run(!dilated(layer));
        z = z.reshape('c', z.size(0), z.size(1), z.size(2));
        kept.put(layer, new Kept(map, z));
        return fromNcw(layer, conv.layerConf().getActivationFn().getActivation(z.dup('c'), false));
    }

    boolean hasForward(Layer layer) {
        return kept.containsKey(layer);
    }

    INDArray backward(Layer layer, INDArray epsilon) {
        BaseLayer<?> conv = (BaseLayer<?>) layer;
        Kept forward = kept.remove(layer);
        INDArray z = forward.preActivation();
        INDArray delta = conv.layerConf().getActivationFn()
                .backprop(z.dup('c'), ncw(layer, epsilon).castTo(z.dataType())).getFirst();
        INDArray[] leading = leading(conv, forward.map());
        INDArray[] inputs = Arrays.copyOf(leading, leading.length + 1);
        inputs[leading.length] = delta.reshape('c', delta.size(0), delta.size(1), delta.size(2), 1);
        INDArray gradient = new NativeOp("conv2d_bp", arguments(layer), inputs).run(!dilated(layer));
        gradient = gradient.reshape('c', gradient.size(0), gradient.size(1), gradient.size(2));
        int left = causalPadding(layer);
        if (left > 0) {
            gradient = gradient.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(left, gradient.size(2)));
        }
        return fromNcw(layer, gradient);
    }

    void clear() {
        kept.clear();
    }

    private static boolean dilated(Layer layer) {
        return configuration(layer).getDilation()[0] != 1;
    }

    /** Zeros a causal convolution puts before the sequence: (k − 1) · dilation; 0 in the other modes. */
    private static int causalPadding(Layer layer) {
        org.deeplearning4j.nn.conf.layers.Convolution1DLayer c = configuration(layer);
        return c.getConvolutionMode() == ConvolutionMode.Causal ? (c.getKernelSize()[0] - 1) * c.getDilation()[0] : 0;
    }

    /** A sequence of the layer's layout as NCW [n, channels, time], row-major. */
    private static INDArray ncw(Layer layer, INDArray sequence) {
        return configuration(layer).getRnnDataFormat() == RNNFormat.NWC ? sequence.permute(0, 2, 1).dup('c') : sequence.dup('c');
    }

    /** An NCW sequence in the layer's layout. */
    private static INDArray fromNcw(Layer layer, INDArray sequence) {
        return configuration(layer).getRnnDataFormat() == RNNFormat.NWC ? sequence.permute(0, 2, 1).dup('c') : sequence;
    }

    /**
     * The NCHW map, the weights and, if the layer has one, its bias: the leading inputs of conv2d and conv2d_bp. DL4J's
     * layer reads its [out, in, k, 1] parameter array as [k, in, out] in the array's own order (a reshape, no
     * permutation: Convolution1DUtils for NCW), which as a kernel over [time, 1] is [k, 1, in, out].
     */
    private static INDArray[] leading(BaseLayer<?> conv, INDArray map) {
        INDArray w = conv.getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray weights = w.reshape(w.ordering(), w.size(2), 1, w.size(1), w.size(0));
        return conv.hasBias() ? new INDArray[]{map, weights, conv.getParam(ConvolutionParamInitializer.BIAS_KEY).reshape(-1)}
                : new INDArray[]{map, weights};
    }

    /** kH, kW, sH, sW, pH, pW, dH, dW, same mode, NCHW, weight layout: the layer as a 2-D convolution over [time, 1]. */
    private static int[] arguments(Layer layer) {
        org.deeplearning4j.nn.conf.layers.Convolution1DLayer c = configuration(layer);
        boolean same = c.getConvolutionMode() == ConvolutionMode.Same;
        return new int[]{c.getKernelSize()[0], 1, c.getStride()[0], 1, same || causalPadding(layer) > 0 ? 0 : c.getPadding()[0], 0,
                c.getDilation()[0], 1, same ? 1 : 0, 0, WEIGHTS_HWIO};
    }

    private static org.deeplearning4j.nn.conf.layers.Convolution1DLayer configuration(Layer layer) {
        return (org.deeplearning4j.nn.conf.layers.Convolution1DLayer) layer.conf().getLayer();
    }
}
