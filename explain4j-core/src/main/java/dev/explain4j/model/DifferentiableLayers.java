package dev.explain4j.model;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LearnedSelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.RecurrentAttentionLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping3D;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.conf.layers.util.MaskZeroLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The layer kinds the engine differentiates through: each one's input gradient is checked against central finite
 * differences in double precision by the engine's tests (a test fails when a kind listed here has no such check). A
 * kind not listed is refused by name rather than differentiated by a backward pass nobody has checked. Kinds are
 * exact configuration classes: a subclass may compute something else.
 */
final class DifferentiableLayers {
    private static final String EMBEDDING = "an embedding takes integer token ids and has no gradient with respect to"
            + " them; attribute to its output instead (token attributions, or a layer method on the embedding)";
    /** Why a kind DL4J offers is not listed, where that was measured; any other kind was never checked. */
    private static final Map<Class<? extends Layer>, String> REFUSED = Map.of(
            MaskZeroLayer.class, "DL4J's backward pass through it differs from finite differences by ~10% (double"
                    + " precision, no time step masked)",
            EmbeddingLayer.class, EMBEDDING, EmbeddingSequenceLayer.class, EMBEDDING);

    static final List<Class<? extends Layer>> KINDS = List.of(
            // feed-forward and output
            DenseLayer.class, OutputLayer.class, LossLayer.class, ActivationLayer.class, DropoutLayer.class,
            BatchNormalization.class, PReLULayer.class, RepeatVector.class,
            // images and volumes
            ConvolutionLayer.class, Deconvolution2D.class, SeparableConvolution2D.class, Convolution3D.class,
            SubsamplingLayer.class, Subsampling3DLayer.class, Upsampling2D.class, ZeroPaddingLayer.class,
            Cropping2D.class, Cropping3D.class, Cropping3DChannelsLast.class, CnnLossLayer.class,
            // sequences
            LSTM.class, SimpleRnn.class, Bidirectional.class, LastTimeStep.class, TimeDistributed.class,
            Convolution1DLayer.class, Subsampling1DLayer.class, GlobalPoolingLayer.class, RnnOutputLayer.class,
            RnnLossLayer.class,
            // attention, through the engine's own step (DL4J's backward gives 2x)
            SelfAttentionLayer.class, LearnedSelfAttentionLayer.class, RecurrentAttentionLayer.class);

    private DifferentiableLayers() {
    }

    /** The layer's configuration and those of the layers it wraps, outermost first. */
    static Stream<Layer> withWrapped(Layer layer) {
        Stream<Layer> inner = layer instanceof BaseWrapperLayer wrapper ? withWrapped(wrapper.getUnderlying())
                : layer instanceof Bidirectional bidirectional ? withWrapped(bidirectional.getFwd()) : Stream.empty();
        return Stream.concat(Stream.of(layer), inner);
    }

    /**
     * Fails unless the engine differentiates through every kind in this layer (itself and what it wraps).
     *
     * @param layer the layer's configuration (DL4J's wrapper layers answer {@code conf()} with the wrapped layer's)
     * @param label how to name the layer in the error
     */
    static void check(Layer layer, String label) {
        withWrapped(layer).filter(kind -> !KINDS.contains(kind.getClass())).findFirst().ifPresent(kind -> {
            String name = kind.getClass().getSimpleName();
            throw new IllegalArgumentException("cannot differentiate through layer " + label
                    + (kind == layer ? "" : " (it wraps " + name + ")") + ": "
                    + REFUSED.getOrDefault(kind.getClass(), name + " is not among the layer kinds whose gradient"
                    + " explain4j checks against finite differences")
                    + (kind instanceof EmbeddingLayer || kind instanceof EmbeddingSequenceLayer ? ""
                    : "; perturbation methods (occlusion, feature ablation, KernelSHAP, LIME) explain it"));
        });
    }
}
