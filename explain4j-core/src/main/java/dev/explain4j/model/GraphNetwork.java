package dev.explain4j.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A user's ComputationGraph with one input; a graph with several outputs explains the one it is told to. */
final class GraphNetwork extends Dl4jNetwork {
    private final ComputationGraph graph;
    private final String output;
    private final String input;
    private final List<LayerInfo> layers;

    GraphNetwork(ComputationGraph graph, String output) {
        if (graph.params() == null || graph.getVertices() == null) {
            throw new IllegalArgumentException("the ComputationGraph is not initialised: call init() before explaining it");
        }
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> inputs = conf.getNetworkInputs();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("the graph has " + inputs.size() + " inputs " + inputs
                    + "; explain4j explains graphs with exactly one input");
        }
        List<String> outputs = conf.getNetworkOutputs();
        if (output == null && outputs.size() != 1) {
            throw new IllegalArgumentException("the graph has " + outputs.size() + " outputs " + outputs + "; name the one to explain");
        }
        if (output != null && !outputs.contains(output)) {
            throw new IllegalArgumentException("unknown graph output '" + output + "'; the graph's outputs are " + outputs);
        }
        this.graph = graph;
        this.output = output != null ? output : outputs.get(0);
        this.input = inputs.get(0);
        this.layers = describeLayers(graph, input);
    }

    private static List<LayerInfo> describeLayers(ComputationGraph graph, String input) {
        List<LayerInfo> infos = new ArrayList<>();
        infos.add(new LayerInfo(-1, input, "input", null, false));
        Map<String, CNN2DFormat> formats = new HashMap<>();
        Map<String, List<String>> vertexInputs = graph.getConfiguration().getVertexInputs();
        List<String> order = graph.getConfiguration().getTopologicalOrderStr();
        for (int i = 0; i < order.size(); i++) {
            String name = order.get(i);
            GraphVertex vertex = vertexConf(graph, name);
            if (vertex == null) {
                continue; // the input
            }
            List<String> sources = vertexInputs.getOrDefault(name, List.of());
            CNN2DFormat previous = sources.size() == 1 ? formats.get(sources.get(0)) : null;
            CNN2DFormat format = vertex instanceof LayerVertex lv ? formatOf(lv.getLayerConf().getLayer(), previous) : null;
            formats.put(name, format);
            String kind = vertex instanceof LayerVertex lv ? kindOf(lv.getLayerConf().getLayer()) : vertex.getClass().getSimpleName();
            infos.add(new LayerInfo(i, name, kind, format,
                    vertex instanceof LayerVertex lv && isConvolution(lv.getLayerConf().getLayer())));
        }
        return Collections.unmodifiableList(infos);
    }

    private static GraphVertex vertexConf(ComputationGraph graph, String name) {
        GraphVertex vertex = graph.getConfiguration().getVertices().get(name);
        while (vertex instanceof FrozenVertex frozen) {
            vertex = frozen.getUnderlying();
        }
        return vertex;
    }

    @Override
    NetworkPass newPass(OutputSpace space) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        ExplainingConfiguration.unfreezeVertices(conf.getVertices());
        for (GraphVertex vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex layerVertex) {
                layerVertex.getLayerConf().setLayer(ExplainingConfiguration.forExplaining(layerVertex.getLayerConf().getLayer()));
            }
        }
        if (conf.getVertices().get(output) instanceof LayerVertex last) {
            ExplainingConfiguration.asLastLayer(last.getLayerConf().getLayer(), space);
        }
        ComputationGraph copy = new ComputationGraph(conf);
        copy.init(graph.params(), false);
        copy.initGradientsView(); // layers write weight gradients there during backprop, wanted or not
        return new GraphPass(copy, output, layers);
    }

    @Override
    List<LayerInfo> layers() {
        return layers;
    }

    /** The first layer vertex fed by the input, or null. */
    private LayerVertex firstLayer() {
        for (Map.Entry<String, List<String>> entry : graph.getConfiguration().getVertexInputs().entrySet()) {
            if (entry.getValue().contains(input) && vertexConf(graph, entry.getKey()) instanceof LayerVertex lv) {
                return lv;
            }
        }
        return null;
    }

    @Override
    long[] inputShape() {
        LayerVertex first = firstLayer();
        return first == null ? null : inputShapeOf(first.getLayerConf().getLayer(), first.getPreProcessor());
    }

    @Override
    TokenInput tokenInput() {
        LayerVertex first = firstLayer();
        return first == null ? null : tokenInputOf(first.getLayerConf().getLayer(), first.getPreProcessor());
    }

    @Override
    RNNFormat sequenceFormat() {
        LayerVertex first = firstLayer();
        return first == null ? null : sequenceFormatOf(first.getLayerConf().getLayer(), first.getPreProcessor());
    }

    @Override
    InputPreProcessor inputPreProcessor() {
        LayerVertex first = firstLayer();
        return first == null ? null : first.getPreProcessor();
    }

    @Override
    int outputSize() {
        String name = output;
        while (name != null) {
            GraphVertex vertex = vertexConf(graph, name);
            if (vertex instanceof LayerVertex lv && declaredOutputs(lv.getLayerConf().getLayer()) > 0) {
                return declaredOutputs(lv.getLayerConf().getLayer());
            }
            List<String> sources = graph.getConfiguration().getVertexInputs().get(name);
            name = sources == null || sources.size() != 1 ? null : sources.get(0);
        }
        return -1;
    }

    @Override
    DataType dataType() {
        return graph.getConfiguration().getDataType();
    }

    @Override
    Dl4jNetwork converted(DataType type) {
        return type == dataType() ? this : new GraphNetwork(graph.convertDataType(type), output);
    }

    @Override
    String kind() {
        return "ComputationGraph";
    }

    @Override
    org.deeplearning4j.nn.api.Layer trainableLayer(String name) {
        return graph.getVertex(name) != null && graph.getVertex(name).hasLayer() ? graph.getLayer(name) : null;
    }

    @Override
    String outputLayerName() {
        return output;
    }

    @Override
    Dl4jNetwork after(LayerInfo layer) {
        throw cannotCut(layer);
    }

    @Override
    Dl4jNetwork upTo(LayerInfo layer) {
        throw cannotCut(layer);
    }

    private static IllegalArgumentException cannotCut(LayerInfo layer) {
        return new IllegalArgumentException("cannot cut a ComputationGraph at vertex '" + layer.name() + "' ("
                + layer.kind() + "): views of a network before or after a layer are made for MultiLayerNetworks only");
    }

    @Override
    Dl4jNetwork deepCopy() {
        return new GraphNetwork(graph.clone(), output);
    }
}
