package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Set;

/**
 * DeepLIFT's backward rules as Captum 0.7's {@code DeepLift} applies them. The walk runs on [x; x₀] (each row, then its
 * reference row), both halves seeded with the target, and every rule reads the two halves of its layer's input and
 * output:
 * <ul>
 *   <li>an element-wise activation a = σ(z) multiplies by Δa/Δz (the rescale rule), where Δ is the row's value minus
 *       its reference's, the same for both halves; where |Δz| &lt; 1e-10 it takes the plain gradient of its own half
 *       (Captum's threshold and fallback);</li>
 *   <li>2-D max pooling uses Captum's rule: with M the element-wise maximum of the two outputs, the input's multiplier
 *       is [unpool_x(g·(M − o₀)) + unpool_x₀(g₀·(o − M))] / Δx, unpooling to each half's own arg-max positions, with
 *       the same fallback;</li>
 *   <li>linear and affine layers (dense and convolution products, average pooling, batch normalization at inference,
 *       sums and concatenations of graph vertices) keep their gradient, which is their multiplier.</li>
 * </ul>
 * Softmax, which is not element-wise, has no rule here: Captum's softmax rule normalises over the whole batch, so a
 * row's attributions would depend on the other rows; explain the logits instead. Layers DL4J computes with a
 * non-linearity inside (recurrent layers, layer-normalised dense layers, dilated convolutions with an activation) are
 * refused by name.
 */
final class DeepLiftRules extends BackwardRules {
    static final DeepLiftRules INSTANCE = new DeepLiftRules();
    /** Captum's threshold below which |Δ input| counts as no change. */
    static final double EPSILON = 1e-10;
    private static final String ACTIVATIONS = "org.nd4j.linalg.activations.impl";
    private static final Set<Class<?>> LINEAR_VERTICES = Set.of(MergeVertex.class, SubsetVertex.class, StackVertex.class,
            UnstackVertex.class, ReshapeVertex.class, PreprocessorVertex.class, ScaleVertex.class, ShiftVertex.class);

    private DeepLiftRules() {
    }

    @Override
    String name() {
        return "DeepLIFT";
    }

    @Override
    boolean stacksReferences() {
        return true;
    }

    @Override
    INDArray throughActivation(IActivation fn, INDArray z, INDArray epsilon, String label) {
        if (!fn.getClass().getPackageName().equals(ACTIVATIONS) || fn instanceof ActivationSoftmax) {
            throw noRule(label, "its activation " + fn + " is not element-wise (the rescale rule needs one output per"
                    + " input); explain the logits (output space logit) instead of the softmax");
        }
        INDArray a = fn.getActivation(z.dup(), false);
        INDArray plain = fn.backprop(z.dup(), epsilon.dup()).getFirst();
        INDArray deltaIn = difference(z);
        INDArray small = Transforms.abs(deltaIn, true).lt(EPSILON).castTo(z.dataType());
        INDArray ratio = difference(a).divi(deltaIn.addi(small));
        return choose(small, plain, epsilon.muli(stacked(ratio)));
    }

    @Override
    INDArray throughLayer(Layer layer, INDArray input, INDArray epsilon, String label) {
        INDArray activation = throughActivationLayer(layer, input, epsilon, label);
        if (activation != null) {
            return activation;
        }
        if (PoolingStep.handles(layer) && PoolingStep.isMax(layer)) {
            return throughMaxPooling(layer, input, epsilon.castTo(input.dataType()));
        }
        return null;
    }

    private static INDArray throughMaxPooling(Layer layer, INDArray x, INDArray epsilon) {
        INDArray o = PoolingStep.pool(layer, x);
        INDArray output = first(o);
        INDArray outputRef = second(o);
        INDArray max = Transforms.max(output, outputRef, true);
        INDArray weighted = epsilon.dup();
        first(weighted).muli(max.sub(outputRef));
        second(weighted).muli(output.sub(max));
        INDArray unpooled = PoolingStep.gradient(layer, x, weighted);
        INDArray both = first(unpooled).addi(second(unpooled));
        INDArray deltaIn = difference(x);
        INDArray small = Transforms.abs(deltaIn, true).lt(EPSILON).castTo(x.dataType());
        INDArray multiplier = both.divi(deltaIn.addi(small));
        return choose(small, PoolingStep.gradient(layer, x, epsilon), stacked(multiplier));
    }

    @Override
    void checkPlainLayer(Layer layer, String label) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        boolean linear = conf instanceof BatchNormalization || conf instanceof DropoutLayer
                || conf instanceof GlobalPoolingLayer pooling && averagesOrSums(pooling.getPoolingType())
                || conf instanceof SubsamplingLayer pooling && averagesOrSums(pooling.getPoolingType())
                || conf instanceof BaseLayer base && base.getActivationFn() instanceof ActivationIdentity
                && !(layer instanceof org.deeplearning4j.nn.layers.BaseLayer<?> runtime && runtime.hasLayerNorm())
                && !(layer instanceof org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer<?>)
                || conf.getClass().getSimpleName().matches("ZeroPadding.*|Cropping.*|Upsampling.*");
        if (!linear) {
            throw noRule(label, "DL4J computes this layer with a non-linearity inside, which the rescale rule cannot reach"
                    + " (DeepLIFT applies to dense and 2-D convolution layers, element-wise activations, max and"
                    + " average pooling, batch normalization and reshaping layers)");
        }
    }

    @Override
    void checkPlainVertex(GraphVertex vertex, String label) {
        boolean linear = LINEAR_VERTICES.contains(vertex.getClass()) || vertex instanceof ElementWiseVertex elementWise
                && (elementWise.getOp() == ElementWiseVertex.Op.Add || elementWise.getOp() == ElementWiseVertex.Op.Subtract
                || elementWise.getOp() == ElementWiseVertex.Op.Average);
        if (!linear) {
            throw noRule(label, "the vertex is not linear (DeepLIFT passes sums, averages, differences, concatenations,"
                    + " subsets and reshapes)");
        }
    }

    private static boolean averagesOrSums(PoolingType type) {
        return type == PoolingType.AVG || type == PoolingType.SUM;
    }

    /** Where {@code small} is 1, the plain gradient; elsewhere the rule's value. */
    private static INDArray choose(INDArray small, INDArray plain, INDArray ruled) {
        INDArray mask = stacked(small);
        return ruled.muli(mask.rsub(1)).addi(plain.muli(mask));
    }

    /** The rows' half minus the references' half. */
    private static INDArray difference(INDArray stacked) {
        return first(stacked).sub(second(stacked));
    }

    /** The same values for the rows and for their references. */
    private static INDArray stacked(INDArray half) {
        return Nd4j.concat(0, half, half);
    }

    private static INDArray first(INDArray stacked) {
        return stacked.get(NDArrayIndex.interval(0, stacked.size(0) / 2));
    }

    private static INDArray second(INDArray stacked) {
        return stacked.get(NDArrayIndex.interval(stacked.size(0) / 2, stacked.size(0)));
    }
}
