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

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user's ComputationGraph with one input; a graph with several outputs explains the one it is told to. A view of it
 * ({@link #after}, {@link #upTo}) starts at a vertex through which every path from the input to the output runs, or
 * ends at any vertex.
 */
final class GraphNetwork extends Dl4jNetwork {
    private final ComputationGraph graph;
    private final String output;
    private final String input;
    /** The vertex whose output is this view's input; null: the graph's input. */
    private final String start;
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
        this.start = null;
        this.layers = describeLayers(graph, input);
    }

    /** A view: from {@code start}'s output (null: the input) to vertex {@code output}'s, with its layer list. */
    private GraphNetwork(ComputationGraph graph, String output, String start, List<LayerInfo> layers) {
        this.graph = graph;
        this.output = output;
        this.input = graph.getConfiguration().getNetworkInputs().get(0);
        this.start = start;
        this.layers = layers;
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
        return new GraphPass(copy, output, start, layers);
    }

    @Override
    List<LayerInfo> layers() {
        return layers;
    }

    /** The first layer vertex fed by the input, or null (also for a view that starts after the input). */
    private LayerVertex firstLayer() {
        if (start != null) {
            return null;
        }
        for (Map.Entry<String, List<String>> entry : graph.getConfiguration().getVertexInputs().entrySet()) {
            if (entry.getValue().contains(input) && vertexConf(graph, entry.getKey()) instanceof LayerVertex lv) {
                return lv;
            }
        }
        return null;
    }

    @Override
    long[] inputShape() {
        if (start != null) {
            GraphVertex vertex = vertexConf(graph, start);
            return vertex instanceof LayerVertex lv ? outputShapeOf(lv.getLayerConf().getLayer()) : null;
        }
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
        return type == dataType() ? this : new GraphNetwork(graph.convertDataType(type), output, start, layers);
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

    /**
     * The graph from {@code layer}'s output on. Only a vertex through which every path from the input to the output
     * runs can start a network of its own: the output of a graph with a path around the vertex (a skip connection
     * over it) also depends on the input along that path, which a view taking the vertex's output alone cannot see.
     */
    @Override
    Dl4jNetwork after(LayerInfo layer) {
        if (layer.name().equals(output)) {
            throw new IllegalArgumentException("vertex '" + output + "' is the explained output: no vertex follows it");
        }
        if (layer.index() < 0) {
            return this;
        }
        List<String> around = pathAround(layer.name());
        if (!around.isEmpty()) {
            throw new IllegalArgumentException("cannot cut a ComputationGraph at vertex '" + layer.name() + "' ("
                    + layer.kind() + "): the output '" + output + "' also depends on the input along a path around it ("
                    + String.join(" -> ", around) + "); name a vertex every path from the input to the output runs through");
        }
        List<LayerInfo> viewLayers = new ArrayList<>();
        viewLayers.add(new LayerInfo(-1, layer.name(), "input", null, false));
        Set<String> downstream = downstreamOf(layer.name());
        layers.stream().filter(info -> info.index() >= 0 && downstream.contains(info.name())).forEach(viewLayers::add);
        return new GraphNetwork(graph, output, layer.name(), Collections.unmodifiableList(viewLayers));
    }

    /** The graph up to vertex {@code layer}, whose output is that vertex's (computed from this view's input). */
    @Override
    Dl4jNetwork upTo(LayerInfo layer) {
        if (layer.index() < 0) {
            throw new IllegalArgumentException("the network up to its input computes nothing; name a vertex");
        }
        return new GraphNetwork(graph, layer.name(), start, layers);
    }

    /** A path of vertex names from this view's input to its output that avoids {@code vertex}; empty if there is none. */
    private List<String> pathAround(String vertex) {
        Map<String, String> reachedFrom = new HashMap<>();
        Deque<String> open = new ArrayDeque<>(List.of(start != null ? start : input));
        reachedFrom.put(open.peek(), null);
        while (!open.isEmpty()) {
            String from = open.poll();
            if (from.equals(output)) {
                List<String> path = new ArrayList<>();
                for (String at = from; at != null; at = reachedFrom.get(at)) {
                    path.add(0, at);
                }
                return path;
            }
            for (String next : consumers(from)) {
                if (!next.equals(vertex) && !reachedFrom.containsKey(next)) {
                    reachedFrom.put(next, from);
                    open.add(next);
                }
            }
        }
        return List.of();
    }

    /** Every vertex on a path from {@code vertex} (excluded). */
    private Set<String> downstreamOf(String vertex) {
        Set<String> seen = new HashSet<>();
        Deque<String> open = new ArrayDeque<>(List.of(vertex));
        while (!open.isEmpty()) {
            for (String next : consumers(open.poll())) {
                if (seen.add(next)) {
                    open.add(next);
                }
            }
        }
        return seen;
    }

    private List<String> consumers(String vertex) {
        List<String> names = new ArrayList<>();
        graph.getConfiguration().getVertexInputs().forEach((name, sources) -> {
            if (sources.contains(vertex)) {
                names.add(name);
            }
        });
        Collections.sort(names);
        return names;
    }

    @Override
    Dl4jNetwork deepCopy() {
        return new GraphNetwork(graph.clone(), output, start, layers);
    }
}
