package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The backward step through one layer, with the exceptions explaining needs. */
final class Backward {
    private Backward() {
    }

    /**
     * ∂f/∂(layer input) from ∂f/∂(layer output).
     *
     * @param label how to name the layer in an error
     */
    static INDArray throughLayer(Layer layer, INDArray epsilon, String label, LayerWorkspaceMgr mgr) {
        if (layer instanceof BatchNormalization) {
            return throughInferenceBatchNorm(layer, epsilon, mgr);
        }
        INDArray inputGradient;
        try {
            if (layer instanceof IOutputLayer output) {
                // SeedLoss turns the "labels" into the seed of the backward pass
                output.setLabels(epsilon);
                inputGradient = layer.backpropGradient(null, mgr).getSecond();
            } else {
                inputGradient = layer.backpropGradient(epsilon, mgr).getSecond();
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot differentiate through layer " + label + ": " + e.getMessage(), e);
        }
        if (inputGradient == null) {
            throw new IllegalArgumentException("layer " + label + " has no gradient with respect to its input"
                    + " (an embedding takes integer indices, for instance); explain the output of that layer"
                    + " with a layer method instead");
        }
        return inputGradient;
    }

    /**
     * DL4J's batch-norm backward uses the batch's statistics, which is wrong at explanation time and makes rows depend
     * on each other. At inference batch norm is an element-wise affine map y = s·x + t with the running statistics, so
     * its input gradient is s·ε; s is read off the layer itself as y(1) − y(0), which keeps every variant of the layer
     * (locked γ/β, log-std storage, any data format) consistent with its own forward pass.
     */
    private static INDArray throughInferenceBatchNorm(Layer layer, INDArray epsilon, LayerWorkspaceMgr mgr) {
        long[] rowShape = epsilon.shape().clone();
        rowShape[0] = 1;
        INDArray atOne = layer.activate(Nd4j.ones(epsilon.dataType(), rowShape), false, mgr).dup();
        INDArray atZero = layer.activate(Nd4j.zeros(epsilon.dataType(), rowShape), false, mgr);
        INDArray scale = atOne.subi(atZero);
        return epsilon.mul(scale.broadcast(epsilon.shape()));
    }
}
