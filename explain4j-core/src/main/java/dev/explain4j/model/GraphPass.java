package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * {@link NetworkPass} over a single-input ComputationGraph, walked in topological order. DL4J M2.1 offers no input
 * gradient for graphs and clears vertex epsilons after its own backward pass, so the walk is done here.
 */
final class GraphPass extends NetworkPass {
    private final ComputationGraph graph;
    private final GraphVertex[] vertices;
    private final int[] order;
    private final int outputVertex;
    /** The vertex whose output the pass takes as its input: the graph's input, or where a view starts. */
    private final int inputVertex;
    /** Whether a vertex is computed: those on a path from the input vertex (all of them unless the pass is a view). */
    private final boolean[] computed;
    private final List<LayerInfo> layerInfos;
    private final LayerSteps steps = new LayerSteps();

    /**
     * @param startName the vertex whose output is the pass's input (a view of the graph after it), or null for the
     *                  graph's input
     */
    GraphPass(ComputationGraph explainingCopy, String outputName, String startName, List<LayerInfo> layerInfos) {
        this.graph = explainingCopy;
        this.vertices = explainingCopy.getVertices();
        this.order = explainingCopy.topologicalSortOrder();
        this.outputVertex = explainingCopy.getVertex(outputName).getVertexIndex();
        this.inputVertex = explainingCopy.getVertex(startName != null ? startName
                : explainingCopy.getConfiguration().getNetworkInputs().get(0)).getVertexIndex();
        this.computed = new boolean[vertices.length];
        computed[inputVertex] = true;
        for (int index : order) {
            for (VertexIndices consumer : consumers(vertices[index])) {
                computed[consumer.getVertexIndex()] |= computed[index];
            }
        }
        this.layerInfos = layerInfos;
    }

    private static VertexIndices[] consumers(GraphVertex vertex) {
        return vertex.getOutputVertices() == null ? new VertexIndices[0] : vertex.getOutputVertices();
    }

    /** Output of every vertex, by vertex index; the input vertex's output is x. */
    private INDArray[] forwardAll(INDArray x) {
        return forwardAll(x, -1, null);
    }

    /** As {@link #forwardAll(INDArray)}, with vertex {@code preset}'s output given instead of computed. */
    private INDArray[] forwardAll(INDArray x, int preset, INDArray presetOutput) {
        INDArray[] outputs = new INDArray[vertices.length];
        graph.setInput(0, x); // layer vertices with a preprocessor read the batch size from the graph's input
        setMasks(preset < 0 ? featureMask(x) : null, (int) x.size(0));
        for (int index : order) {
            if (!computed[index]) {
                continue; // before a view's start
            }
            GraphVertex vertex = vertices[index];
            if (vertex instanceof LayerVertex lv && lv.getLayerPreProcessor() == null && index != preset && index != inputVertex) {
                checkRank(lv.getLayer(), vertex.getInputs()[0], describe(vertex));
            }
            INDArray out;
            try {
                out = index == preset ? presetOutput : index == inputVertex ? x : forward(vertex, (int) x.size(0));
            } catch (RuntimeException e) {
                throw forwardFailure("vertex " + describe(vertex), x, e);
            }
            outputs[index] = out;
            for (VertexIndices consumer : consumers(vertex)) {
                vertices[consumer.getVertexIndex()].setInput(consumer.getVertexEdgeNumber(), out, MGR);
            }
        }
        return outputs;
    }

    /**
     * The vertex's output from its inputs: through a layer step where one applies, else DL4J's own layer or vertex,
     * which computes on copies (see {@link NetworkPass#activate}) and is left holding the untouched inputs for its
     * backward pass: they are other vertices' outputs too, read by their other consumers and by layer methods.
     */
    private INDArray forward(GraphVertex vertex, int rows) {
        if (vertex instanceof LayerVertex lv) {
            INDArray input = vertex.getInputs()[0];
            InputPreProcessor pre = lv.getLayerPreProcessor();
            if (pre != null) {
                input = pre.preProcess(input, rows, MGR);
            }
            INDArray out = LayerSteps.handles(lv.getLayer()) ? steps.forward(lv.getLayer(), input) : null;
            return out != null ? out : activate(lv.getLayer(), input);
        }
        INDArray[] inputs = vertex.getInputs().clone();
        for (int j = 0; j < inputs.length; j++) {
            vertex.setInput(j, inputs[j].dup(inputs[j].ordering()), MGR);
        }
        INDArray out = vertex.doForward(false, MGR);
        for (int j = 0; j < inputs.length; j++) {
            vertex.setInput(j, inputs[j], MGR);
        }
        return out;
    }

    /**
     * Hands the feature mask of the input through the vertices in topological order as
     * ComputationGraph#setLayerMaskArrays does (each vertex passes on the mask its output has), or clears every
     * vertex's masks when {@code mask} is null.
     */
    private void setMasks(INDArray mask, int rows) {
        @SuppressWarnings("unchecked")
        Pair<INDArray, MaskState>[] out = new Pair[vertices.length];
        for (int index : order) {
            GraphVertex vertex = vertices[index];
            if (index == inputVertex || vertex.isInputVertex() || !computed[index]) {
                out[index] = index == inputVertex ? new Pair<>(mask, mask == null ? null : MaskState.Active) : null;
                continue;
            }
            VertexIndices[] inputs = vertex.getInputVertices();
            INDArray[] masks = new INDArray[inputs.length];
            MaskState state = null;
            boolean any = false;
            for (int j = 0; j < inputs.length; j++) {
                Pair<INDArray, MaskState> p = out[inputs[j].getVertexIndex()];
                masks[j] = p == null ? null : p.getFirst();
                any |= masks[j] != null;
                state = p == null || p.getSecond() == null ? state : p.getSecond();
            }
            out[index] = vertex.feedForwardMaskArrays(any ? masks : null, state, rows);
        }
    }

    @Override
    INDArray forward(INDArray x) {
        steps.clear();
        INDArray out = flat(forwardAll(x)[outputVertex]);
        steps.clear();
        return out;
    }

    @Override
    INDArray activation(INDArray x, String layer) {
        steps.clear();
        INDArray a = forwardAll(x)[vertexIndex(layer)];
        steps.clear();
        return a;
    }

    @Override
    LayerSteps steps() {
        return steps;
    }

    @Override
    long activationElements(INDArray x) {
        steps.clear();
        long elements = Arrays.stream(forwardAll(x)).filter(Objects::nonNull).mapToLong(INDArray::length).sum();
        steps.clear();
        return elements;
    }

    @Override
    GradientBatch gradients(INDArray x, Target target, int firstRow, String layer, boolean wantInput, BackwardRules rules) {
        steps.clear();
        INDArray[] activations = forwardAll(x);
        INDArray outputs = flat(activations[outputVertex]);
        int[] targets = targets(target, outputs, firstRow, rules);
        int recorded = layer == null ? Integer.MIN_VALUE : vertexIndex(layer);
        INDArray[] epsilons = new INDArray[vertices.length];
        epsilons[outputVertex] = seed(activations[outputVertex], targets);
        propagate(epsilons, activations, wantInput ? Integer.MIN_VALUE : recorded, (int) x.size(0), rules);
        steps.clear();
        INDArray inputGradient = epsilons[inputVertex];
        if (wantInput && inputGradient == null) {
            throw new IllegalArgumentException("the explained output does not depend on the network's input");
        }
        return new GradientBatch(outputs, targets, wantInput ? inputGradient : null,
                layer == null ? null : activations[recorded], layer == null ? null : epsilons[recorded]);
    }

    /**
     * Straight-path sums as {@link NetworkPass#pathGradients}, fused into the first layer as {@link ChainPass} does when
     * the input feeds a single layer vertex, without preprocessor, that {@link LayerSteps#fusesPaths} covers.
     */
    @Override
    INDArray pathGradients(PathEnds ends, INDArray alpha, INDArray weight, int[] targets) {
        VertexIndices[] consumers = consumers(vertices[inputVertex]);
        GraphVertex first = consumers.length == 1 ? vertices[consumers[0].getVertexIndex()] : null;
        if (!fusionPays(ends, alpha) || sequenceMask != null || !(first instanceof LayerVertex lv) || lv.getLayerPreProcessor() != null
                || !LayerSteps.fusesPaths(lv.getLayer(), ends.inputs())) {
            return super.pathGradients(ends, alpha, weight, targets);
        }
        int points = (int) (alpha.size(0) * alpha.size(1));
        steps.clear();
        INDArray firstOutput;
        try {
            firstOutput = steps.forwardOnPaths(lv.getLayer(), ends, alpha, weight);
        } catch (RuntimeException e) {
            throw forwardFailure("vertex " + describe(first), ends.inputs(), e);
        }
        // the points themselves are never built: the graph only reads their number from its input
        long[] pointShape = ends.inputs().shape().clone();
        pointShape[0] = points;
        INDArray[] activations = forwardAll(Nd4j.createUninitialized(ends.inputs().dataType(), pointShape),
                first.getVertexIndex(), firstOutput);
        INDArray[] epsilons = new INDArray[vertices.length];
        epsilons[outputVertex] = pathSeed(activations[outputVertex], targets, (int) alpha.size(1));
        propagate(epsilons, activations, Integer.MIN_VALUE, points, BackwardRules.gradient());
        steps.clear();
        return epsilons[inputVertex];
    }

    /**
     * Walks the backward pass from the epsilons given (the output's seed) in reverse topological order, summing
     * epsilons at fan-out, down to the input vertex or until vertex {@code stop}'s epsilon is complete.
     */
    private void propagate(INDArray[] epsilons, INDArray[] activations, int stop, int rows, BackwardRules rules) {
        for (int k = order.length - 1; k >= 0; k--) {
            int index = order[k];
            INDArray epsilon = epsilons[index];
            if (epsilon == null) {
                continue; // not upstream of the explained output
            }
            if (index == stop) {
                return;
            }
            GraphVertex vertex = vertices[index];
            if (index == inputVertex || vertex.isInputVertex()) {
                continue;
            }
            INDArray[] inputEpsilons = backward(vertex, epsilon, rows, rules);
            VertexIndices[] inputs = vertex.getInputVertices();
            for (int j = 0; j < inputs.length; j++) {
                int source = inputs[j].getVertexIndex();
                org.deeplearning4j.nn.conf.InputPreProcessor pre = vertex instanceof LayerVertex layerVertex
                        ? layerVertex.getLayerPreProcessor()
                        : vertex instanceof org.deeplearning4j.nn.graph.vertex.impl.PreprocessorVertex preprocessor
                        ? preprocessor.getPreProcessor() : null;
                inputEpsilons[j] = reshapedBack(pre, inputEpsilons[j], activations[source]);
                epsilons[source] = epsilons[source] == null ? inputEpsilons[j] : epsilons[source].add(inputEpsilons[j]);
            }
        }
    }

    private INDArray[] backward(GraphVertex vertex, INDArray epsilon, int rows, BackwardRules rules) {
        if (vertex instanceof LayerVertex layerVertex) {
            DifferentiableLayers.check(((org.deeplearning4j.nn.conf.graph.LayerVertex) graph.getConfiguration().getVertices()
                    .get(vertex.getVertexName())).getLayerConf().getLayer(), describe(vertex));
            INDArray gradient = steps.backward(layerVertex.getLayer(), epsilon, false, rules, describe(vertex));
            InputPreProcessor pre = layerVertex.getLayerPreProcessor();
            return new INDArray[]{pre == null ? gradient : pre.backprop(gradient, rows, MGR)};
        }
        rules.checkPlainVertex(graph.getConfiguration().getVertices().get(vertex.getVertexName()), describe(vertex));
        try {
            vertex.setEpsilon(epsilon);
            return vertex.doBackward(false, MGR).getSecond();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot differentiate through vertex " + describe(vertex) + ": " + e.getMessage(), e);
        }
    }

    private int vertexIndex(String name) {
        if (LayerInfo.INPUT.equals(name)) {
            name = layerInfos.get(0).name();
        }
        for (GraphVertex vertex : vertices) {
            if (vertex.getVertexName().equals(name)) {
                return vertex.getVertexIndex();
            }
        }
        throw new IllegalStateException("unresolved vertex " + name);
    }

    private static String describe(GraphVertex vertex) {
        String kind = vertex.hasLayer() ? vertex.getLayer().getClass().getSimpleName() : vertex.getClass().getSimpleName();
        return "'" + vertex.getVertexName() + "' (" + kind + ")";
    }

    @Override
    List<LayerInfo> layers() {
        return layerInfos;
    }
}
