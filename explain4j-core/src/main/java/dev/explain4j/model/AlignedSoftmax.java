package dev.explain4j.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax whose backward pass first gives the epsilon z's memory order. The oneDNN build of libnd4j 1.0.0-M2.1
 * computes {@code softmax_bp} wrongly when the two differ (errors of 0.1–0.5 on gradients of 0.3, measured against
 * float64), and DL4J's output layers hand it exactly that: a column-major z and a row-major epsilon. Explaining copies
 * use it in place of every plain softmax ({@link ExplainingConfiguration}), so every backward pass through a softmax,
 * the engine's own or DL4J's, is right.
 */
final class AlignedSoftmax extends ActivationSoftmax {
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        return super.backprop(in, epsilon.ordering() == in.ordering() ? epsilon : epsilon.dup(in.ordering()));
    }
}
