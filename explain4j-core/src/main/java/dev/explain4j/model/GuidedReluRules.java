package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The ReLU rules of Captum 0.7's {@code GuidedBackprop} and {@code Deconvolution}: every ReLU passes max(g, 0) of the
 * gradient it receives, guided backpropagation after the ReLU's own mask (max(g · 1[z &gt; 0], 0)), deconvolution
 * instead of it (max(g, 0)). As in Captum, only ReLU itself is modified (not leaky or capped variants); every other
 * step keeps its gradient. A ReLU that DL4J applies inside a layer the engine does not compute itself cannot be
 * reached, so that layer is refused by name.
 */
final class GuidedReluRules extends BackwardRules {
    static final GuidedReluRules GUIDED = new GuidedReluRules(true);
    static final GuidedReluRules DECONVOLUTION = new GuidedReluRules(false);

    /** Whether the ReLU's own mask applies before the clamp (guided backpropagation) or not (deconvolution). */
    private final boolean masked;

    private GuidedReluRules(boolean masked) {
        this.masked = masked;
    }

    @Override
    String name() {
        return masked ? "guided backpropagation" : "deconvolution";
    }

    @Override
    INDArray throughActivation(IActivation fn, INDArray z, INDArray epsilon, String label) {
        if (fn.getClass() != ActivationReLU.class) {
            return super.throughActivation(fn, z, epsilon, label);
        }
        INDArray passed = masked ? fn.backprop(z, epsilon).getFirst() : epsilon;
        return Transforms.relu(passed, false);
    }

    @Override
    INDArray throughLayer(Layer layer, INDArray input, INDArray epsilon, String label) {
        return throughActivationLayer(layer, input, epsilon, label);
    }

    @Override
    void checkPlainLayer(Layer layer, String label) {
        if (layer.conf().getLayer() instanceof BaseLayer base && base.getActivationFn().getClass() == ActivationReLU.class) {
            throw noRule(label, "DL4J computes this layer with its ReLU inside, where the rule cannot reach it");
        }
    }
}
