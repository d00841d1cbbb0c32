package dev.explain4j.model;

import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

import java.util.Map;

/**
 * Rewrites a <em>cloned</em> layer configuration into the one explain4j differentiates. The parameter layout is
 * left unchanged, so the rewritten network runs on the user's own parameter buffer.
 * <ul>
 *   <li>Frozen wrappers are removed: DL4J's backward pass stops at a frozen layer, the input gradient must not.</li>
 *   <li>Dropout and weight noise are removed: DL4J's backward pass recomputes the forward in training mode, where they
 *       would perturb the gradient and couple nothing but noise into it (Keras import adds a no-op dropout to every
 *       layer, whose backward pass fails outright).</li>
 *   <li>Softmax activations become {@link AlignedSoftmax}, whose backward pass avoids a defect of libnd4j's oneDNN
 *       build.</li>
 *   <li>The last layer's loss becomes {@link SeedLoss}, and in {@link OutputSpace#LOGIT} its activation becomes
 *       identity.</li>
 * </ul>
 */
final class ExplainingConfiguration {
    private ExplainingConfiguration() {
    }

    /** The layer to use in place of {@code layer}: unfrozen, free of noise, softmax as {@link AlignedSoftmax}. */
    static Layer forExplaining(Layer layer) {
        Layer unwrapped = layer;
        while (unwrapped instanceof FrozenLayer || unwrapped instanceof FrozenLayerWithBackprop) {
            Layer inner = unwrapped instanceof FrozenLayer frozen ? frozen.getLayer()
                    : ((FrozenLayerWithBackprop) unwrapped).getUnderlying();
            if (inner.getLayerName() == null) {
                inner.setLayerName(unwrapped.getLayerName());
            }
            unwrapped = inner;
        }
        unwrapped.setIDropout(null);
        if (unwrapped instanceof BaseLayer base) {
            base.setWeightNoise(null);
            if (base.getActivationFn().getClass() == ActivationSoftmax.class) {
                base.setActivationFn(new AlignedSoftmax());
            }
        }
        if (unwrapped instanceof ActivationLayer activation && activation.getActivationFn().getClass() == ActivationSoftmax.class) {
            activation.setActivationFn(new AlignedSoftmax());
        }
        if (unwrapped instanceof BaseWrapperLayer wrapper) {
            wrapper.setUnderlying(forExplaining(wrapper.getUnderlying()));
        }
        if (unwrapped instanceof Bidirectional bidirectional) {
            bidirectional.setFwd(forExplaining(bidirectional.getFwd()));
            bidirectional.setBwd(forExplaining(bidirectional.getBwd()));
        }
        return unwrapped;
    }

    /** Frozen graph vertices replaced by what they wrap. */
    static void unfreezeVertices(Map<String, GraphVertex> vertices) {
        vertices.replaceAll((name, vertex) -> {
            GraphVertex v = vertex;
            while (v instanceof FrozenVertex frozen) {
                v = frozen.getUnderlying();
            }
            return v;
        });
    }

    /** Makes {@code layer} (already passed through {@link #forExplaining}) the differentiated end of the network. */
    static void asLastLayer(Layer layer, OutputSpace space) {
        if (layer instanceof BaseOutputLayer output) {
            if (!(output instanceof OutputLayer || output instanceof RnnOutputLayer)) {
                throw new IllegalArgumentException("output layer '" + layer.getLayerName() + "' ("
                        + layer.getClass().getSimpleName() + ") is not supported: its training loss adds terms to the "
                        + "backward pass; supported output layers: OutputLayer, RnnOutputLayer, LossLayer, RnnLossLayer, "
                        + "CnnLossLayer, or any plain layer");
            }
            output.setLossFn(new SeedLoss());
        } else if (layer instanceof LossLayer loss) {
            loss.setLossFn(new SeedLoss());
        } else if (layer instanceof RnnLossLayer loss) {
            loss.setLossFn(new SeedLoss());
        } else if (layer instanceof CnnLossLayer loss) {
            loss.setLossFn(new SeedLoss());
        }
        if (space == OutputSpace.LOGIT) {
            if (layer instanceof BaseLayer base) {
                base.setActivationFn(new ActivationIdentity());
            } else if (layer instanceof ActivationLayer activation) {
                activation.setActivationFn(new ActivationIdentity());
            }
        }
    }
}
