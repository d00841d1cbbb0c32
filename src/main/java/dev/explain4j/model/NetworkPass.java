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

    /** One-hot rows: the backward seed selecting each row's target output. */
    static INDArray seed(INDArray outputs, int[] targets) {
        INDArray seed = Nd4j.zeros(outputs.dataType(), outputs.shape());
        for (int row = 0; row < targets.length; row++) {
            seed.putScalar(row, targets[row], 1.0);
        }
        return seed;
    }

    static void checkOutputRank(INDArray outputs) {
        if (outputs.rank() != 2) {
            throw new IllegalArgumentException("the network's output has shape " + java.util.Arrays.toString(outputs.shape())
                    + "; explain4j explains outputs of shape [rows, outputs]");
        }
    }
}
