package dev.explain4j.testing;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Grad-CAM's definition in plain loops, the truth Grad-CAM and Guided Grad-CAM are checked against: DL4J's own
 * activations of the first layer (a 2-D convolution), finite-difference gradients of the layers after it, channel
 * weights = their spatial means, map = Σ_c w_c·a_c (no ReLU).
 */
public final class GradCamByHand {
    private GradCamByHand() {
    }

    /** @return [rows, h, w] at the first layer's resolution */
    public static INDArray map(MultiLayerNetwork net, INDArray x, int[] targets, CNN2DFormat format) {
        INDArray a = net.getLayer(0).activate(x, false, LayerWorkspaceMgr.noWorkspaces()).dup();
        INDArray grad = FiniteDifferences.gradient(Head.after(net, 0), a, targets);
        if (format == CNN2DFormat.NHWC) {
            a = a.permute(0, 3, 1, 2).dup();
            grad = grad.permute(0, 3, 1, 2).dup();
        }
        long rows = a.size(0);
        long channels = a.size(1);
        long h = a.size(2);
        long w = a.size(3);
        INDArray map = Nd4j.zeros(DataType.DOUBLE, rows, h, w);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < channels; c++) {
                double weight = 0;
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        weight += grad.getDouble(r, c, i, j) / (h * w);
                    }
                }
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        map.putScalar(new int[]{r, i, j}, map.getDouble(r, i, j) + weight * a.getDouble(r, c, i, j));
                    }
                }
            }
        }
        return map;
    }
}
