package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Dense layers (and dense output layers) differentiated for their input only.
 *
 * <p>DL4J's {@code backpropGradient} of a dense layer recomputes the pre-activation z = xW + b and also computes the
 * weight and bias gradients: four matrix products per layer where the input gradient needs two (z in the forward pass,
 * δ·Wᵀ in the backward pass). Measured with JFR on the 784-512-256-10 MLP, those products were most of a pass; this
 * step keeps z from the forward pass and never touches the gradient views. The arithmetic is DL4J's own
 * (the same products and the layer's activation function), so outputs are those of {@code activate}.
 *
 * <p>Only the plain classes are handled: a subclass or a layer with layer normalization goes through DL4J. Dropout and
 * weight noise are already absent from explaining copies. A step belongs to one pass (one thread at a time).
 */
final class DenseStep {
    private final Map<Layer, INDArray> preActivations = new IdentityHashMap<>();
    /** Weights of the points of a layer run by {@link #forwardOnPaths}. */
    private final Map<Layer, INDArray> pathWeights = new IdentityHashMap<>();

    static boolean handles(Layer layer) {
        return (layer.getClass() == DenseLayer.class || layer.getClass() == OutputLayer.class)
                && !((BaseLayer<?>) layer).hasLayerNorm();
    }

    /** The layer's output for a 2-D input, keeping z for {@link #backward}; null if the input is not 2-D. */
    INDArray forward(Layer layer, INDArray input) {
        if (input.rank() != 2) {
            return null;
        }
        BaseLayer<?> dense = (BaseLayer<?>) layer;
        return keep(dense, linear(dense, input, dense.getParam(DefaultParamInitializer.WEIGHT_KEY)));
    }

    /** input·weights + the layer's bias, for a 2-D input; column-major. */
    static INDArray linear(BaseLayer<?> dense, INDArray input, INDArray weights) {
        INDArray z = Nd4j.createUninitialized(weights.dataType(), new long[]{input.size(0), weights.size(1)}, 'f');
        input.castTo(weights.dataType()).mmuli(weights, z); // into an f-ordered result, as DL4J does: no copy after
        if (dense.hasBias()) {
            z.addiRowVector(dense.getParam(DefaultParamInitializer.BIAS_KEY));
        }
        return z;
    }

    /**
     * The layer's output at the points b_p + α_{p,s} (x_p − b_p) of straight paths (point p·steps + s), from the
     * paths' end rows: on a path the pre-activation is affine in α, z = (b_p W + bias) + α_{p,s} (x_p − b_p) W, and
     * b W is computed once per distinct row (and, for single-point paths, x W too). Keeps z and the points' weights: {@link #backward} then returns
     * Σ_s w_{p,s} ∂f/∂x per path, one row per path.
     *
     * @param ends   [rows, in] end rows
     * @param alpha  [paths, steps]
     * @param weight [paths, steps]
     */
    INDArray forwardOnPaths(Layer layer, PathEnds ends, INDArray alpha, INDArray weight) {
        BaseLayer<?> dense = (BaseLayer<?>) layer;
        INDArray weights = dense.getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray start = PathEnds.gather(ends.baselines().mmul(weights), ends.from());
        // single points (Expected Gradients) share their ends: x W once per input row; paths of several points keep
        // the rounding of (x − b) W that Integrated Gradients has always had
        INDArray slope = alpha.size(1) == 1 ? PathEnds.gather(ends.inputs().mmul(weights), ends.to()).subi(start)
                : ends.ends().sub(ends.starts()).mmul(weights);
        if (dense.hasBias()) {
            start.addiRowVector(dense.getParam(DefaultParamInitializer.BIAS_KEY));
        }
        pathWeights.put(layer, weight);
        return keep(dense, NetworkPass.alongPaths(start, slope, alpha, 'f')); // column-major like forward's z
    }

    private INDArray keep(BaseLayer<?> dense, INDArray z) {
        preActivations.put(dense, z);
        // a copy in z's own layout: dup() would copy into ND4J's default row-major order, a transposing copy that JFR
        // put at ~13% of IG on the MLP
        return dense.layerConf().getActivationFn().getActivation(z.dup(z.ordering()), false);
    }

    /** Whether {@link #forward} ran for this layer in the current pass. */
    boolean hasForward(Layer layer) {
        return preActivations.containsKey(layer);
    }

    /**
     * ∂f/∂input from ∂f/∂output (for an output layer: the seed, which {@link SeedLoss} would push through the
     * activation the same way).
     *
     * @param intoDense whether the result goes on to another dense step: then it is column-major like that step's z,
     *                  so its activation backprop runs on two arrays of one layout (with mixed layouts ND4J takes a
     *                  slow strided path, a third of the backward pass in JFR); otherwise it is row-major
     * @param rules     the rule of the layer's activation
     */
    INDArray backward(Layer layer, INDArray epsilon, boolean intoDense, BackwardRules rules, String label) {
        BaseLayer<?> dense = (BaseLayer<?>) layer;
        INDArray z = preActivations.remove(layer);
        INDArray delta = rules.throughActivation(dense.layerConf().getActivationFn(), z, epsilon.castTo(z.dataType()), label);
        INDArray weight = pathWeights.remove(layer);
        if (weight != null) {
            // Σ_s w_s ∂f/∂x(point s) = (Σ_s w_s δ_s) Wᵀ: one product per path
            delta = NetworkPass.sumOverSteps(delta, weight);
        }
        INDArray weights = dense.getParam(DefaultParamInitializer.WEIGHT_KEY);
        if (intoDense) {
            INDArray next = Nd4j.createUninitialized(delta.dataType(), new long[]{delta.size(0), weights.size(0)}, 'f');
            return delta.mmuli(weights.transpose(), next);
        }
        // (W·δᵀ)ᵀ = δ·Wᵀ: the transpose of a column-major result is row-major
        INDArray next = Nd4j.createUninitialized(delta.dataType(), new long[]{weights.size(0), delta.size(0)}, 'f');
        return weights.mmuli(delta.transpose(), next).transpose();
    }

    /** Forgets the pre-activations of the last pass. */
    void clear() {
        preActivations.clear();
        pathWeights.clear();
    }
}
