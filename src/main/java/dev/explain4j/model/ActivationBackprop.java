package dev.explain4j.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An activation function's backward step, guarded against a libnd4j defect. */
final class ActivationBackprop {
    private ActivationBackprop() {
    }

    /**
     * ∂f/∂z from ∂f/∂activation(z). The oneDNN build of libnd4j 1.0.0-M2.1 computes {@code softmax_bp} wrongly when z
     * and the epsilon differ in memory order (errors of 0.1 on values of 0.3, measured against float64), so the
     * epsilon is given z's order first. Like DL4J's activation functions, this may overwrite z.
     */
    static INDArray delta(IActivation activation, INDArray z, INDArray epsilon) {
        INDArray aligned = epsilon.dataType() == z.dataType() && epsilon.ordering() == z.ordering() ? epsilon
                : epsilon.castTo(z.dataType()).dup(z.ordering());
        return activation.backprop(z, aligned).getFirst();
    }
}
