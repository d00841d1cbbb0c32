package dev.explain4j.model;

import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * One forward pass in inference mode and one backward pass seeded with the target, walked layer by layer over an
 * explaining copy of the user's network. A pass keeps per-layer state, so one instance serves one thread at a time.
 */
abstract class NetworkPass {
    /** No workspaces: arrays handed back to callers must outlive the pass. */
    static final LayerWorkspaceMgr MGR = LayerWorkspaceMgr.noWorkspaces();

    /** The network's output for {@code x}, in the model's output space. */
    abstract INDArray forward(INDArray x);

    /**
     * @param firstRow   index of x's first row in the caller's batch, for error messages
     * @param layer      name of the layer whose activation and gradient to return, or null
     * @param wantInput  whether ∂f/∂x is needed (layer methods may stop at their layer)
     */
    abstract GradientBatch gradients(INDArray x, Target target, int firstRow, String layer, boolean wantInput);

    /** Number of values all layer outputs hold for the rows of {@code x}. */
    abstract long activationElements(INDArray x);

    /** The layers a layer method can name, input first. */
    abstract List<LayerInfo> layers();

    /**
     * The network's output as [rows, outputs]: outputs with more dimensions (a sequence, a map) are flattened
     * row-major per row, and a target indexes that flattened output.
     */
    static INDArray flat(INDArray outputs) {
        return outputs.rank() == 2 ? outputs : outputs.dup('c').reshape('c', outputs.size(0), -1);
    }

    /** One-hot rows shaped like the network's raw output: the backward seed selecting each row's target. */
    static INDArray seed(INDArray outputs, int[] targets) {
        INDArray seed = Nd4j.zeros(outputs.dataType(), outputs.size(0), outputs.length() / outputs.size(0));
        for (int row = 0; row < targets.length; row++) {
            seed.putScalar(row, targets[row], 1.0);
        }
        return seed.reshape('c', outputs.shape());
    }

    /** A DL4J failure in the forward pass, named after the layer it happened in. */
    static IllegalArgumentException forwardFailure(String layer, INDArray input, RuntimeException e) {
        return new IllegalArgumentException("the network's forward pass failed at " + layer + " on an input of shape "
                + java.util.Arrays.toString(input.shape()) + ": " + e.getMessage(), e);
    }
}
