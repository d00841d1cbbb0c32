package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/** {@link NetworkPass} over a MultiLayerNetwork: a chain of preprocessors and layers. */
final class ChainPass extends NetworkPass {
    private final MultiLayerConfiguration conf;
    private final Layer[] layers;
    private final List<LayerInfo> layerInfos;
    private final boolean[] dense;
    private final DenseStep denseStep = new DenseStep();

    ChainPass(MultiLayerNetwork explainingCopy, List<LayerInfo> layerInfos) {
        this.conf = explainingCopy.getLayerWiseConfigurations();
        this.layers = explainingCopy.getLayers();
        this.layerInfos = layerInfos;
        this.dense = new boolean[layers.length];
        for (int i = 0; i < layers.length; i++) {
            dense[i] = DenseStep.handles(layers[i]);
        }
    }

    /** Activations: [0] is the input, [i + 1] the output of layer i. */
    private List<INDArray> forwardAll(INDArray x) {
        List<INDArray> activations = new ArrayList<>(layers.length + 1);
        INDArray a = x;
        activations.add(a);
        int rows = (int) x.size(0);
        denseStep.clear();
        for (int i = 0; i < layers.length; i++) {
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (pre != null) {
                a = pre.preProcess(a, rows, MGR);
            }
            checkRank(layers[i], a, describe(i));
            try {
                INDArray fast = dense[i] ? denseStep.forward(layers[i], a) : null;
                a = fast != null ? fast : layers[i].activate(a, false, MGR);
            } catch (RuntimeException e) {
                throw forwardFailure("layer " + describe(i), x, e);
            }
            activations.add(a);
        }
        return activations;
    }

    @Override
    INDArray forward(INDArray x) {
        List<INDArray> activations = forwardAll(x);
        denseStep.clear();
        return flat(activations.get(activations.size() - 1));
    }

    @Override
    long activationElements(INDArray x) {
        long elements = forwardAll(x).stream().mapToLong(INDArray::length).sum();
        denseStep.clear();
        return elements;
    }

    @Override
    GradientBatch gradients(INDArray x, Target target, int firstRow, String layer, boolean wantInput) {
        List<INDArray> activations = forwardAll(x);
        INDArray raw = activations.get(layers.length);
        INDArray outputs = flat(raw);
        int[] targets = target.resolve(outputs, firstRow);
        int recorded = layer == null ? Integer.MIN_VALUE : layerIndex(layer);
        INDArray epsilon = seed(raw, targets);
        INDArray layerGradient = null;
        int rows = (int) x.size(0);
        for (int i = layers.length - 1; i >= 0; i--) {
            if (i == recorded) {
                layerGradient = epsilon;
                if (!wantInput) {
                    break;
                }
            }
            boolean intoDense = i > 0 && conf.getInputPreProcess(i) == null && denseStep.hasForward(layers[i - 1])
                    && i - 1 != recorded;
            epsilon = denseStep.hasForward(layers[i]) ? denseStep.backward(layers[i], epsilon, intoDense)
                    : Backward.throughLayer(layers[i], epsilon, describe(i), MGR);
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (pre != null) {
                epsilon = pre.backprop(epsilon, rows, MGR);
            }
        }
        if (recorded == -1) {
            layerGradient = epsilon;
        }
        denseStep.clear();
        return new GradientBatch(outputs, targets, wantInput ? epsilon : null,
                layer == null ? null : activations.get(recorded + 1), layerGradient);
    }

    private int layerIndex(String name) {
        for (LayerInfo info : layerInfos) {
            if (info.name().equals(name)) {
                return info.index();
            }
        }
        throw new IllegalStateException("unresolved layer " + name);
    }

    private String describe(int index) {
        LayerInfo info = layerInfos.get(index + 1);
        return "'" + info.name() + "' (" + info.kind() + ", index " + index + ")";
    }

    @Override
    List<LayerInfo> layers() {
        return layerInfos;
    }
}
