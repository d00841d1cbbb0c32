package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * 1-D convolutions in channels-last (NWC) layout, as Keras import configures them, computed by a twin of the layer in
 * NCW layout on the same parameters (the weights do not depend on the layout), with input and epsilon transposed.
 *
 * <p>DL4J 1.0.0-M2.1's own backward pass of an NWC layer hands libnd4j's {@code conv1d_bp} an epsilon in the other
 * layout; the kernel rejects it after writing its error to stderr, and in a run with such failures a later conv1d
 * read a corrupted rank. The NCW backward pass is DL4J's, checked against finite differences.
 */
final class Convolution1DStep {
    private final Map<Layer, Layer> twins = new IdentityHashMap<>();
    private final Map<Layer, Boolean> forwarded = new IdentityHashMap<>();

    static boolean handles(Layer layer) {
        return layer instanceof org.deeplearning4j.nn.layers.convolution.Convolution1DLayer
                && configuration(layer).getRnnDataFormat() == RNNFormat.NWC;
    }

    INDArray forward(Layer layer, INDArray input) {
        Layer twin = twins.computeIfAbsent(layer, Convolution1DStep::twin);
        forwarded.put(layer, true);
        return transposed(NetworkPass.activate(twin, transposed(input)));
    }

    boolean hasForward(Layer layer) {
        return forwarded.containsKey(layer);
    }

    INDArray backward(Layer layer, INDArray epsilon) {
        forwarded.remove(layer);
        return transposed(Backward.throughLayer(twins.get(layer), transposed(epsilon), LayerSteps.describe(layer), NetworkPass.MGR));
    }

    void clear() {
        forwarded.clear();
    }

    /** [n, a, b] as [n, b, a], row-major. */
    private static INDArray transposed(INDArray sequence) {
        return sequence.permute(0, 2, 1).dup('c');
    }

    private static Layer twin(Layer layer) {
        org.deeplearning4j.nn.conf.layers.Convolution1DLayer conf = (org.deeplearning4j.nn.conf.layers.Convolution1DLayer) configuration(layer).clone();
        conf.setRnnDataFormat(RNNFormat.NCW);
        NeuralNetConfiguration twinConf = layer.conf().clone();
        twinConf.setLayer(conf);
        INDArray params = layer.params();
        Layer twin = conf.instantiate(twinConf, List.of(), layer.getIndex(), params, false, params.dataType());
        twin.setBackpropGradientsViewArray(LayerSteps.gradientView(params.dataType(), params.length()));
        return twin;
    }

    private static org.deeplearning4j.nn.conf.layers.Convolution1DLayer configuration(Layer layer) {
        return (org.deeplearning4j.nn.conf.layers.Convolution1DLayer) layer.conf().getLayer();
    }
}
