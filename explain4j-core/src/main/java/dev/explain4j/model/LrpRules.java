package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;
import java.util.Set;

/**
 * Layer-wise relevance propagation as Captum 0.7's {@code LRP} runs it: the relevance flows down the backward walk in
 * place of the gradient, every dense, 2-D convolution and 2-D pooling layer applies its {@link LrpRule} (the epsilon rule
 * with ε = 1e-9 unless one is chosen by layer name; pooling has no weights and so takes the epsilon rule only), and
 * ReLU, tanh, identity and dropout pass relevance through unchanged. Concatenations, subsets and reshapes of graph
 * vertices pass it on too. Every other layer or vertex (batch normalization, recurrent layers, the sum of a residual
 * connection, softmax) has no rule here and is refused by name.
 */
final class LrpRules extends BackwardRules {
    private static final Set<Class<? extends IActivation>> PASS_THROUGH = Set.of(ActivationIdentity.class,
            ActivationReLU.class, ActivationTanH.class);
    private static final Set<Class<?>> REARRANGING_VERTICES = Set.of(MergeVertex.class, SubsetVertex.class,
            StackVertex.class, UnstackVertex.class, ReshapeVertex.class, PreprocessorVertex.class);

    private final LrpRule defaultRule;
    private final Map<String, LrpRule> byLayer;

    LrpRules(LrpRule defaultRule, Map<String, LrpRule> byLayer) {
        this.defaultRule = defaultRule;
        this.byLayer = Map.copyOf(byLayer);
    }

    @Override
    String name() {
        return "LRP";
    }

    @Override
    INDArray throughActivation(IActivation fn, INDArray z, INDArray relevance, String label) {
        checkPassesThrough(fn, label);
        return relevance;
    }

    private void checkPassesThrough(IActivation fn, String label) {
        if (!PASS_THROUGH.contains(fn.getClass())) {
            throw noRule(label, "relevance passes through ReLU, tanh and identity activations only, and this layer's is "
                    + fn + (fn.getClass().getSimpleName().contains("Softmax")
                    ? "; explain the logits (output space logit) instead" : ""));
        }
    }

    @Override
    INDArray throughLayer(Layer layer, INDArray input, INDArray relevance, String label) {
        INDArray activation = throughActivationLayer(layer, input, relevance, label);
        if (activation != null) {
            return activation;
        }
        if (layer.conf().getLayer() instanceof DropoutLayer) {
            return relevance;
        }
        boolean dense = DenseStep.handles(layer) && input.rank() == 2;
        boolean convolution = ConvolutionStep.handles(layer) && input.rank() == 4;
        if (!dense && !convolution && !PoolingStep.handles(layer)) {
            return null;
        }
        LrpRule rule = byLayer.getOrDefault(layer.conf().getLayer().getLayerName(), defaultRule);
        INDArray a = input.castTo(relevance.dataType());
        if (!dense && !convolution) {
            if (rule.changesWeights()) {
                throw noRule(label, "the " + rule.describe() + " rule changes weights and a pooling layer has none; give"
                        + " it the epsilon rule");
            }
            INDArray ratio = relevance.div(stabilised(PoolingStep.pool(layer, a), rule.epsilon()));
            return PoolingStep.gradient(layer, a, ratio).muli(a);
        }
        BaseLayer<?> weighted = (BaseLayer<?>) layer;
        checkPassesThrough(weighted.layerConf().getActivationFn(), label);
        INDArray weights = changed(weighted.getParam(DefaultParamInitializer.WEIGHT_KEY), rule);
        INDArray z = dense ? DenseStep.linear(weighted, a, weights) : ConvolutionStep.convolve(weighted, a, weights);
        INDArray ratio = relevance.div(stabilised(z, rule.epsilon()));
        INDArray spread = dense ? ratio.mmul(weights.transpose()) : ConvolutionStep.inputGradient(weighted, a.shape(), a, weights, ratio);
        return spread.muli(a);
    }

    /** W′ of the rule, a new array: the network's weights are never touched. */
    private static INDArray changed(INDArray weights, LrpRule rule) {
        return switch (rule.kind()) {
            case EPSILON -> weights;
            case GAMMA -> Transforms.relu(weights, true).muli(rule.gamma()).addi(weights);
            case Z_PLUS -> Transforms.relu(weights, true);
        };
    }

    /** z + ε·sign(z), with sign(0) = +1. */
    private static INDArray stabilised(INDArray z, double epsilon) {
        INDArray sign = z.gte(0).castTo(z.dataType()).muli(2).subi(1);
        return sign.muli(epsilon).addi(z);
    }

    @Override
    void checkPlainLayer(Layer layer, String label) {
        throw noRule(label, "Captum's rules cover dense, 2-D convolution and 2-D max or average pooling layers, and"
                + " ReLU, tanh, identity and dropout pass relevance through");
    }

    @Override
    void checkPlainVertex(GraphVertex vertex, String label) {
        if (!REARRANGING_VERTICES.contains(vertex.getClass())) {
            throw noRule(label, "relevance passes only through vertices that rearrange values (merge, subset, stack,"
                    + " reshape); a sum would hand each input the whole relevance");
        }
    }
}
