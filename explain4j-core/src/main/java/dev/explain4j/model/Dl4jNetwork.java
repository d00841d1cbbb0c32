package dev.explain4j.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;

/** What explain4j needs to know of a DL4J network, and how to make explaining copies of it. */
abstract class Dl4jNetwork {

    /** A new explaining copy on the user's parameters, wrapped in a pass. */
    abstract NetworkPass newPass(OutputSpace space);

    /** Input pseudo-layer first, then layers (vertices) in forward order. */
    abstract List<LayerInfo> layers();

    /** Shape of one input row; -1 where free; null when the network does not say. */
    abstract long[] inputShape();

    /** The token ids the network takes, if it starts with an embedding; null otherwise. */
    abstract TokenInput tokenInput();

    /** The padding id the network masks by itself (see {@link ChainNetwork#maskedPadId}), or null. */
    Long maskedPadId() {
        return null;
    }

    /** The layout of a sequence input ([F, T] NCW or [T, F] NWC), if the first layer takes sequences; null otherwise. */
    abstract RNNFormat sequenceFormat();

    /** The input preprocessor in front of the first layer, or null. */
    abstract InputPreProcessor inputPreProcessor();

    /** Outputs per row, or -1 when the configuration does not say. */
    abstract int outputSize();

    abstract DataType dataType();

    /**
     * The same network computing in {@code type}: a converted copy (DL4J's {@code convertDataType}), never the user's
     * network changed; it no longer shares the user's parameters. This network itself if the type is already that.
     */
    abstract Dl4jNetwork converted(DataType type);

    /** "MultiLayerNetwork" or "ComputationGraph". */
    abstract String kind();

    /** The user's layer (or layer vertex) named {@code name}, as {@link #layers()} names it; null if it has none. */
    abstract org.deeplearning4j.nn.api.Layer trainableLayer(String name);

    /** The name (as {@link #layers()} gives it) of the layer whose output is explained. */
    abstract String outputLayerName();

    /**
     * The layers after {@code layer} as a network of their own whose input is that layer's output, on the user's
     * parameters.
     */
    abstract Dl4jNetwork after(LayerInfo layer);

    /** The layers up to and including {@code layer}, whose output is that layer's, on the user's parameters. */
    abstract Dl4jNetwork upTo(LayerInfo layer);

    /** A deep copy of the user's network: its own configuration and its own parameters. */
    abstract Dl4jNetwork deepCopy();

    /** The layer itself for a frozen wrapper. */
    static Layer unfrozen(Layer layer) {
        if (layer instanceof FrozenLayer frozen) {
            return unfrozen(frozen.getLayer());
        }
        if (layer instanceof FrozenLayerWithBackprop frozen) {
            return unfrozen(frozen.getUnderlying());
        }
        return layer;
    }

    static String kindOf(Layer layer) {
        String kind = unfrozen(layer).getClass().getSimpleName();
        return layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop ? kind + " (frozen)" : kind;
    }

    /** True for a convolution (frozen or not) of any kind DL4J derives from its ConvolutionLayer. */
    static boolean isConvolution(Layer layer) {
        return unfrozen(layer) instanceof ConvolutionLayer;
    }

    /**
     * Layout of a layer's 2-D convolutional activations, or null if they are not convolutional. Shape-preserving
     * layers take it from the layer before them ({@code previous}).
     */
    static CNN2DFormat formatOf(Layer layer, CNN2DFormat previous) {
        Layer l = unfrozen(layer);
        if (l instanceof Convolution1DLayer || l instanceof Subsampling1DLayer) {
            return null; // sequences [F, T], not images
        }
        if (l instanceof ConvolutionLayer conv) {
            return conv.getCnn2dDataFormat();
        }
        if (l instanceof SubsamplingLayer pool) {
            return pool.getCnn2dDataFormat();
        }
        boolean shapePreserving = l instanceof BatchNormalization || l instanceof ActivationLayer
                || l instanceof DropoutLayer || l instanceof LocalResponseNormalization;
        return shapePreserving ? previous : null;
    }

    /** Shape of one input row as the first layer and its preprocessor describe it, or null. */
    static long[] inputShapeOf(Layer first, InputPreProcessor preprocessor) {
        Layer layer = unfrozen(first);
        if (preprocessor instanceof FeedForwardToCnnPreProcessor toCnn) {
            return new long[]{toCnn.getInputHeight() * toCnn.getInputWidth() * toCnn.getNumChannels()};
        }
        if (preprocessor != null) {
            return null;
        }
        if (layer instanceof EmbeddingLayer) {
            return new long[]{1};
        }
        if (layer instanceof EmbeddingSequenceLayer sequence) {
            return new long[]{sequenceLength(sequence)};
        }
        if (layer instanceof Convolution1DLayer conv && conv.getNIn() > 0) {
            return conv.getRnnDataFormat() == RNNFormat.NWC ? new long[]{-1, conv.getNIn()} : new long[]{conv.getNIn(), -1};
        }
        if (layer instanceof ConvolutionLayer conv && conv.getNIn() > 0) {
            return conv.getCnn2dDataFormat() == CNN2DFormat.NHWC ? new long[]{-1, -1, conv.getNIn()}
                    : new long[]{conv.getNIn(), -1, -1};
        }
        if (layer instanceof BaseRecurrentLayer rnn && rnn.getNIn() > 0) {
            return rnn.getRnnDataFormat() == RNNFormat.NWC ? new long[]{-1, rnn.getNIn()} : new long[]{rnn.getNIn(), -1};
        }
        if (layer instanceof FeedForwardLayer ff && ff.getNIn() > 0
                && !(layer instanceof org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer)) {
            return new long[]{ff.getNIn()};
        }
        return null;
    }

    /**
     * The token input of a network whose first layer is an embedding, or null: {@code EmbeddingLayer} takes one id
     * per row, {@code EmbeddingSequenceLayer} a sequence of them.
     */
    static TokenInput tokenInputOf(Layer first, InputPreProcessor preprocessor) {
        Layer layer = unfrozen(first);
        if (preprocessor != null) {
            return null;
        }
        if (layer instanceof EmbeddingLayer embedding) {
            return new TokenInput(embedding.getNIn(), 1, embedding.getNOut(), null);
        }
        if (layer instanceof EmbeddingSequenceLayer sequence) {
            return new TokenInput(sequence.getNIn(), sequenceLength(sequence), sequence.getNOut(), sequence.getOutputFormat());
        }
        return null;
    }

    /** The layout a first 1-D convolution or recurrent layer takes its sequences in, or null for other layers. */
    static RNNFormat sequenceFormatOf(Layer first, InputPreProcessor preprocessor) {
        Layer layer = unfrozen(first);
        if (preprocessor != null) {
            return null;
        }
        if (layer instanceof Convolution1DLayer conv) {
            return conv.getRnnDataFormat();
        }
        return layer instanceof BaseRecurrentLayer rnn ? rnn.getRnnDataFormat() : null;
    }

    /** The declared sequence length; -1 when the layer takes any (DL4J's default: length 1, inferred from the input). */
    private static long sequenceLength(EmbeddingSequenceLayer layer) {
        return layer.isInferInputLength() && layer.getInputLength() == 1 ? -1 : layer.getInputLength();
    }

    /** Shape of one row of a layer's output where its configuration says it, else null (any shape is accepted). */
    static long[] outputShapeOf(Layer layer) {
        Layer l = unfrozen(layer);
        if (l instanceof EmbeddingSequenceLayer sequence) {
            long length = sequenceLength(sequence);
            return sequence.getOutputFormat() == RNNFormat.NWC ? new long[]{length, sequence.getNOut()}
                    : new long[]{sequence.getNOut(), length};
        }
        // batch normalization and dropout keep their input's shape: their nOut counts channels on images
        boolean flat = l instanceof FeedForwardLayer && !(l instanceof ConvolutionLayer) && !(l instanceof BaseRecurrentLayer)
                && !(l instanceof RnnOutputLayer) && !(l instanceof BatchNormalization) && !(l instanceof DropoutLayer);
        return flat && declaredOutputs(l) > 0 ? new long[]{declaredOutputs(l)} : null;
    }

    /** nOut of a layer that declares it, else -1. */
    static int declaredOutputs(Layer layer) {
        Layer l = unfrozen(layer);
        return l instanceof FeedForwardLayer ff && ff.getNOut() > 0 ? (int) ff.getNOut() : -1;
    }
}
