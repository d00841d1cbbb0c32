package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * 2-D convolution layers differentiated for their input only, through libnd4j's own convolution kernels.
 *
 * <p>DL4J 1.0.0-M2.1's {@code ConvolutionLayer} computes in Java: an im2col into a permuted view and a matrix product,
 * and in its backward pass the forward again, the weight gradient and a col2im. libnd4j's {@code conv2d} op and, for
 * the input gradient alone, the transposed convolution {@code deconv2d} do the same arithmetic in one native call
 * each, and in the oneDNN build of nd4j-native (this project's default) run on oneDNN's kernels: on the benchmark's
 * second LeNet convolution, 640 images, 27 ms forward and 35 ms backward against DL4J's 385 and 700 ms.
 * Where the transposed convolution cannot reproduce the input's size (a stride that drops trailing rows or columns),
 * the backward pass uses {@code conv2d_bp}, which also computes the weight gradient.
 *
 * <p>Only the plain layer class without dilation is handled: oneDNN's kernel refuses libnd4j's description of a dilated
 * convolution ("could not create a descriptor for a dilated convolution"), and 1-D, depthwise, separable and
 * transposed convolutions have layer classes of their own. Those go through DL4J. A step belongs to one pass (one
 * thread at a time).
 */
final class ConvolutionStep {
    /** libnd4j's weight layout code for DL4J's [out channels, in channels, kH, kW]. */
    private static final int WEIGHTS_OIHW = 1;

    /**
     * What the backward pass needs: the shape of its result, the layer's input (null on paths, whose points are never
     * built), z and, on paths, the points' weights (else null).
     */
    private record Kept(long[] inputShape, INDArray input, INDArray preActivation, INDArray pathWeights) {
    }

    private final Map<Layer, Kept> kept = new IdentityHashMap<>();

    static boolean handles(Layer layer) {
        return layer.getClass() == ConvolutionLayer.class
                && Arrays.equals(configuration(layer).getDilation(), new int[]{1, 1});
    }

    /** The layer's output for a 4-D input, keeping what {@link #backward} needs. */
    INDArray forward(Layer layer, INDArray input) {
        INDArray x = input.castTo(((BaseLayer<?>) layer).getParam(ConvolutionParamInitializer.WEIGHT_KEY).dataType());
        return keep((BaseLayer<?>) layer, new Kept(x.shape(), x, preActivation(layer, x, true), null));
    }

    /** The layer's pre-activation on {@code x} with the given weights and the layer's bias. */
    static INDArray convolve(BaseLayer<?> conv, INDArray x, INDArray weights) {
        return new NativeOp("conv2d", arguments(conv, x.shape()), withBias(conv, x, weights)).run(true);
    }

    /**
     * The layer's output at the points b_p + α_{p,s} (x_p − b_p) of straight paths (point p·steps + s), from the
     * paths' end rows: a convolution is affine, so z = conv(b_p) + α_{p,s} conv(x_p − b_p) without bias; conv(b) is
     * computed once per distinct row, and for single-point paths conv(x_p − b_p) as conv(x_p) − conv(b_p), each once
     * per distinct row.
     * Its {@link #backward} then returns Σ_s w_{p,s} ∂f/∂x per path: one transposed convolution of Σ_s w_{p,s} δ_s.
     *
     * @param ends   [rows, ...] end rows
     * @param alpha  [paths, steps]
     * @param weight [paths, steps]
     */
    INDArray forwardOnPaths(Layer layer, PathEnds ends, INDArray alpha, INDArray weight) {
        INDArray start = PathEnds.gather(preActivation(layer, ends.baselines(), true), ends.from());
        INDArray slope = alpha.size(1) == 1 ? PathEnds.gather(preActivation(layer, ends.inputs(), true), ends.to()).subi(start)
                : preActivation(layer, ends.ends().sub(ends.starts()), false);
        long[] pathShape = ends.inputs().shape().clone();
        pathShape[0] = ends.paths();
        long[] pointShape = start.shape().clone();
        pointShape[0] = alpha.length();
        return keep((BaseLayer<?>) layer, new Kept(pathShape, null,
                NetworkPass.alongPaths(start, slope, alpha, 'c').reshape('c', pointShape), weight));
    }

    /** conv(x) (+ bias): the layer's pre-activation, or with {@code bias} false its linear part. */
    private static INDArray preActivation(Layer layer, INDArray input, boolean bias) {
        BaseLayer<?> conv = (BaseLayer<?>) layer;
        INDArray weights = conv.getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray x = input.castTo(weights.dataType());
        return bias ? convolve(conv, x, weights) : new NativeOp("conv2d", arguments(layer, x.shape()), x, weights).run(true);
    }

    /** Keeps what the backward pass needs and returns the activation of z. */
    private INDArray keep(BaseLayer<?> conv, Kept forward) {
        kept.put(conv, forward);
        INDArray z = forward.preActivation();
        return conv.layerConf().getActivationFn().getActivation(z.dup(z.ordering()), false);
    }

    /** Whether {@link #forward} ran for this layer in the current pass. */
    boolean hasForward(Layer layer) {
        return kept.containsKey(layer);
    }

    /** ∂f/∂input from ∂f/∂output, the layer's activation under the given rules. */
    INDArray backward(Layer layer, INDArray epsilon, BackwardRules rules, String label) {
        BaseLayer<?> conv = (BaseLayer<?>) layer;
        Kept forward = kept.remove(layer);
        INDArray z = forward.preActivation();
        INDArray delta = rules.throughActivation(conv.layerConf().getActivationFn(), z, epsilon.castTo(z.dataType()), label);
        if (forward.pathWeights() != null) {
            long[] pathShape = z.shape().clone();
            pathShape[0] = forward.pathWeights().size(0);
            delta = NetworkPass.sumOverSteps(delta.reshape('c', z.size(0), -1), forward.pathWeights()).reshape('c', pathShape);
        }
        return inputGradient(conv, forward.inputShape(), forward.input(), conv.getParam(ConvolutionParamInitializer.WEIGHT_KEY), delta);
    }

    /**
     * The product of δ (shaped like the output) with the transposed convolution of the given weights: ∂/∂input.
     *
     * @param input the layer's input, or null where it was never built (the points of paths)
     */
    static INDArray inputGradient(BaseLayer<?> conv, long[] inputShape, INDArray input, INDArray weights, INDArray delta) {
        int[] args = arguments(conv, inputShape);
        NativeOp transposed = new NativeOp("deconv2d", args, delta, weights);
        if (Arrays.equals(transposed.outputShape(), inputShape)) {
            return transposed.run(true);
        }
        // the input gradient does not depend on the input's values: zeros where the input was never built
        if (input == null) {
            input = Nd4j.zeros(delta.dataType(), inputShape);
        }
        INDArray[] leading = withBias(conv, input, weights);
        INDArray[] inputs = Arrays.copyOf(leading, leading.length + 1);
        inputs[leading.length] = delta;
        return new NativeOp("conv2d_bp", args, inputs).run(true);
    }

    /** input, weights and, if the layer has one, its bias: the leading inputs of conv2d and conv2d_bp. */
    private static INDArray[] withBias(BaseLayer<?> conv, INDArray input, INDArray weights) {
        return conv.hasBias() ? new INDArray[]{input, weights, conv.getParam(ConvolutionParamInitializer.BIAS_KEY).reshape(-1)}
                : new INDArray[]{input, weights};
    }

    /** Forgets what the last pass kept. */
    void clear() {
        kept.clear();
    }

    private static org.deeplearning4j.nn.conf.layers.ConvolutionLayer configuration(Layer layer) {
        return (org.deeplearning4j.nn.conf.layers.ConvolutionLayer) layer.conf().getLayer();
    }

    /**
     * kH, kW, sH, sW, pH, pW, dH, dW, same mode, NHWC, weight layout: the integer arguments of libnd4j's 2-D convolution
     * ops for this layer on input of the given shape. Same mode is passed as its explicit padding when that padding is
     * symmetric: libnd4j's oneDNN helper does not take a same-mode {@code deconv2d}, whose generic kernel was 8x slower
     * (700 against 85 ms on 3200 maps of 32 × 8 × 8).
     */
    private static int[] arguments(Layer layer, long[] inputShape) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer conf = configuration(layer);
        int[] k = conf.getKernelSize();
        int[] s = conf.getStride();
        int[] p = conf.getPadding();
        int[] d = conf.getDilation();
        boolean nhwc = conf.getCnn2dDataFormat() == CNN2DFormat.NHWC;
        boolean same = conf.getConvolutionMode() == ConvolutionMode.Same;
        if (same) {
            int[] symmetric = symmetricSamePadding(k, s, d, inputShape[nhwc ? 1 : 2], inputShape[nhwc ? 2 : 3]);
            if (symmetric != null) {
                p = symmetric;
                same = false;
            }
        }
        return new int[]{k[0], k[1], s[0], s[1], same ? 0 : p[0], same ? 0 : p[1], d[0], d[1], same ? 1 : 0,
                nhwc ? 1 : 0, WEIGHTS_OIHW};
    }

    /**
     * The padding of each side in Same mode (output ⌈in / stride⌉), or null where the two sides of a dimension would
     * differ.
     */
    private static int[] symmetricSamePadding(int[] kernel, int[] stride, int[] dilation, long height, long width) {
        long[] in = {height, width};
        int[] padding = new int[2];
        for (int i = 0; i < 2; i++) {
            long out = (in[i] + stride[i] - 1) / stride[i];
            long total = Math.max(0, (out - 1) * stride[i] + (long) (kernel[i] - 1) * dilation[i] + 1 - in[i]);
            if (total % 2 != 0) {
                return null;
            }
            padding[i] = (int) (total / 2);
        }
        return padding;
    }
}
