package dev.explain4j.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A user's MultiLayerNetwork. */
final class ChainNetwork extends Dl4jNetwork {
    private final MultiLayerNetwork network;
    private final List<LayerInfo> layers;
    /** Whether this is the part after a cut, whose input is a layer's output rather than what its first layer says. */
    private final boolean cut;
    /** The row shape of a cut part's input (the output of the layer it was cut after); null when not declared. */
    private final long[] slicedInputShape;

    ChainNetwork(MultiLayerNetwork network) {
        this(network, false, null);
    }

    private ChainNetwork(MultiLayerNetwork network, boolean cut, long[] slicedInputShape) {
        if (network.params() == null || network.getLayers() == null) {
            throw new IllegalArgumentException("the MultiLayerNetwork is not initialised: call init() before explaining it");
        }
        this.network = network;
        List<LayerInfo> infos = new ArrayList<>();
        infos.add(new LayerInfo(-1, LayerInfo.INPUT, "input", null, false));
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        CNN2DFormat format = null;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            format = formatOf(layer, format);
            String name = layer.getLayerName() != null ? layer.getLayerName() : "layer" + i;
            infos.add(new LayerInfo(i, name, kindOf(layer), format, isConvolution(layer)));
        }
        this.layers = Collections.unmodifiableList(infos);
        this.cut = cut;
        this.slicedInputShape = slicedInputShape;
    }

    @Override
    Dl4jNetwork after(LayerInfo layer) {
        if (layer.index() == layers.size() - 2) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' is the network's last layer: no layer follows it");
        }
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        return slice(layer.index() + 1, conf.getConfs().size(), true,
                layer.index() < 0 ? inputShape() : outputShapeOf(conf.getConf(layer.index()).getLayer()));
    }

    @Override
    Dl4jNetwork upTo(LayerInfo layer) {
        if (layer.index() < 0) {
            throw new IllegalArgumentException("the network up to its input computes nothing; name a layer");
        }
        return slice(0, layer.index() + 1, cut, slicedInputShape);
    }

    /**
     * Layers [from, to) with their input preprocessors and names, as a network of their own on the matching segment of
     * this network's parameter buffer (MultiLayerNetwork lays the layers' parameters out in layer order).
     */
    private ChainNetwork slice(int from, int to, boolean cutPart, long[] inputShape) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        List<NeuralNetConfiguration> confs = new ArrayList<>();
        MultiLayerConfiguration.Builder sliced = new MultiLayerConfiguration.Builder().dataType(conf.getDataType())
                .validateOutputLayerConfig(false);
        long offset = 0;
        long length = 0;
        for (int i = 0; i < to; i++) {
            long n = network.getLayer(i).numParams();
            if (i < from) {
                offset += n;
                continue;
            }
            length += n;
            NeuralNetConfiguration layerConf = conf.getConf(i).clone();
            layerConf.getLayer().setLayerName(layers.get(i + 1).name());
            confs.add(layerConf);
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (pre != null) {
                sliced.inputPreProcessor(i - from, pre.clone());
            }
        }
        MultiLayerNetwork part = new MultiLayerNetwork(sliced.confs(confs).build());
        if (length > 0) {
            part.init(network.params().get(NDArrayIndex.interval(offset, offset + length)), false);
        } else {
            part.init();
        }
        return new ChainNetwork(part, cutPart, inputShape);
    }

    @Override
    NetworkPass newPass(OutputSpace space) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations().clone();
        List<NeuralNetConfiguration> confs = conf.getConfs();
        for (NeuralNetConfiguration layerConf : confs) {
            layerConf.setLayer(ExplainingConfiguration.forExplaining(layerConf.getLayer()));
        }
        ExplainingConfiguration.asLastLayer(confs.get(confs.size() - 1).getLayer(), space);
        MultiLayerNetwork copy = new MultiLayerNetwork(conf);
        copy.init(network.params(), false);
        copy.initGradientsView(); // layers write weight gradients there during backprop, wanted or not
        return new ChainPass(copy, layers);
    }

    @Override
    List<LayerInfo> layers() {
        return layers;
    }

    @Override
    long[] inputShape() {
        if (cut) {
            return slicedInputShape == null ? null : slicedInputShape.clone();
        }
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        return inputShapeOf(conf.getConf(0).getLayer(), conf.getInputPreProcess(0));
    }

    @Override
    TokenInput tokenInput() {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        return tokenInputOf(conf.getConf(0).getLayer(), conf.getInputPreProcess(0));
    }

    /**
     * 0 when the network masks token 0 itself, as DL4J's import of a Keras {@code Embedding(mask_zero=True)} builds it:
     * the embedding maps token 0 to zeros and the next layer is a MaskZeroLayer masking steps of zeros.
     */
    @Override
    Long maskedPadId() {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        if (cut || tokenInput() == null || conf.getConfs().size() < 2
                || !(conf.getConf(1).getLayer() instanceof org.deeplearning4j.nn.conf.layers.util.MaskZeroLayer maskZero)
                || maskZero.getMaskingValue() != 0) {
            return null;
        }
        INDArray embedding = network.getLayer(0).getParam("W");
        return embedding != null && embedding.getRow(0).amaxNumber().doubleValue() == 0 ? 0L : null;
    }

    @Override
    RNNFormat sequenceFormat() {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        return sequenceFormatOf(conf.getConf(0).getLayer(), conf.getInputPreProcess(0));
    }

    @Override
    InputPreProcessor inputPreProcessor() {
        return network.getLayerWiseConfigurations().getInputPreProcess(0);
    }

    @Override
    int outputSize() {
        List<NeuralNetConfiguration> confs = network.getLayerWiseConfigurations().getConfs();
        for (int i = confs.size() - 1; i >= 0; i--) {
            int declared = declaredOutputs(confs.get(i).getLayer());
            if (declared > 0) {
                return declared;
            }
        }
        return -1;
    }

    @Override
    DataType dataType() {
        return network.getLayerWiseConfigurations().getDataType();
    }

    @Override
    Dl4jNetwork converted(DataType type) {
        return type == dataType() ? this : new ChainNetwork(network.convertDataType(type), cut, slicedInputShape);
    }

    @Override
    String kind() {
        return "MultiLayerNetwork";
    }

    @Override
    org.deeplearning4j.nn.api.Layer trainableLayer(String name) {
        for (LayerInfo info : layers) {
            if (info.index() >= 0 && info.name().equals(name)) {
                return network.getLayer(info.index());
            }
        }
        return null;
    }

    @Override
    String outputLayerName() {
        return layers.get(layers.size() - 1).name();
    }

    @Override
    Dl4jNetwork deepCopy() {
        return new ChainNetwork(network.clone(), cut, slicedInputShape);
    }
}
