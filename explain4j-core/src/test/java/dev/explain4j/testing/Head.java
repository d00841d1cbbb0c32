package dev.explain4j.testing;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.UnaryOperator;

/**
 * The part of a network after a layer, run with DL4J's own inference forward pass: f as a function of that layer's
 * output, for finite-difference checks of layer gradients.
 */
public final class Head {
    private Head() {
    }

    /** f(a_L): layers L+1.. of {@code net} (with their preprocessors) applied to a batch of layer-L outputs. */
    public static UnaryOperator<INDArray> after(MultiLayerNetwork net, int layer) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        return a -> {
            INDArray out = a.dup();
            for (int i = layer + 1; i < net.getnLayers(); i++) {
                InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
                if (pre != null) {
                    out = pre.preProcess(out, (int) a.size(0), mgr);
                }
                out = net.getLayer(i).activate(out, false, mgr).dup();
            }
            return out;
        };
    }
}
