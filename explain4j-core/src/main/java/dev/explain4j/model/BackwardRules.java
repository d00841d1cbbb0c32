package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * The backward rule of each layer kind in the engine's backward walk ({@link ChainPass}, {@link GraphPass}, the fused
 * steps of {@link LayerSteps}): the plain gradient by default, or the modified rules of DeepLIFT, LRP, guided
 * backpropagation and deconvolution. A method picks its rule set; the walk, the batching and the network copies stay
 * the engine's. Rule sets are immutable and hold no state between calls, so one serves any number of threads.
 *
 * <p>A rule set sees three kinds of step: an element-wise activation (inside a dense or convolution step, or an
 * activation layer), a whole layer it computes itself (max pooling for DeepLIFT, every weighted layer for LRP), and the
 * layers and graph vertices it leaves to the plain gradient, which it must accept or refuse by name: a rule set that
 * cannot reach inside a layer (an LSTM, a layer DL4J computes with its activation inside) refuses it rather than
 * return a number that is not its method's.
 */
public abstract class BackwardRules {
    private static final BackwardRules GRADIENT = new BackwardRules() {
        @Override
        String name() {
            return "gradient";
        }
    };

    BackwardRules() {
    }

    /** The plain gradient: the engine's ordinary walk. */
    public static BackwardRules gradient() {
        return GRADIENT;
    }

    /** DeepLIFT's rescale rule and Captum's max-pooling rule; the walk runs on the rows stacked with their references. */
    public static BackwardRules deepLift() {
        return DeepLiftRules.INSTANCE;
    }

    /** Guided backpropagation: at every ReLU, only positive gradients pass, and only where the input was positive. */
    public static BackwardRules guidedBackprop() {
        return GuidedReluRules.GUIDED;
    }

    /** Deconvolution (Zeiler and Fergus): at every ReLU, only positive gradients pass, whatever the input was. */
    public static BackwardRules deconvolution() {
        return GuidedReluRules.DECONVOLUTION;
    }

    /**
     * Layer-wise relevance propagation with {@code defaultRule} on every weighted or pooling layer and the rules
     * given by layer name elsewhere.
     */
    public static BackwardRules lrp(LrpRule defaultRule, Map<String, LrpRule> byLayer) {
        return new LrpRules(defaultRule, byLayer);
    }

    /** As a method would name the rule set in an error. */
    abstract String name();

    /**
     * Whether the walk runs on the rows followed by one reference row each ([x; x₀], as Captum's DeepLIFT does), the
     * targets resolved on the rows and repeated for the references.
     */
    boolean stacksReferences() {
        return false;
    }

    /** ∂/∂z through an element-wise activation a = fn(z), given ∂/∂a. The arrays are the rule's to overwrite. */
    INDArray throughActivation(IActivation fn, INDArray z, INDArray epsilon, String label) {
        return fn.backprop(z, epsilon).getFirst();
    }

    /**
     * The whole layer's backward step under this rule set, or null where the engine's own step (whose activations go
     * through {@link #throughActivation}) or DL4J's backward pass applies.
     *
     * @param input the layer's input in this pass (after its preprocessor)
     */
    INDArray throughLayer(Layer layer, INDArray input, INDArray epsilon, String label) {
        return null;
    }

    /** Fails, naming the layer, when the plain gradient through DL4J's backward pass of this layer is not this rule set's. */
    void checkPlainLayer(Layer layer, String label) {
    }

    /**
     * Fails, naming the vertex, when the plain gradient through this graph vertex is not this rule set's.
     *
     * @param vertex the vertex's configuration (which says what it computes)
     */
    void checkPlainVertex(GraphVertex vertex, String label) {
    }

    /**
     * For a layer that only applies an element-wise activation to its input (an activation layer, or a loss layer
     * ending the network), its step through {@link #throughActivation}; null for every other layer.
     */
    final INDArray throughActivationLayer(Layer layer, INDArray input, INDArray epsilon, String label) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        IActivation fn = conf instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer activation ? activation.getActivationFn()
                : conf instanceof org.deeplearning4j.nn.conf.layers.LossLayer loss ? loss.getActivationFn() : null;
        return fn == null ? null : throughActivation(fn, input.dup(), epsilon.dup(), label);
    }

    /** The refusal of a layer or vertex this rule set has no rule for. */
    final IllegalArgumentException noRule(String label, String why) {
        return new IllegalArgumentException(name() + " has no backward rule for " + label + ": " + why);
    }
}
