package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The engine's own forward and backward steps, for the layers DL4J computes with more than an input gradient needs
 * (dense, 2-D convolution), on slower kernels (2-D pooling) or with a broken backward pass (bidirectional, channels-last
 * 1-D convolution, time-distributed, attention); every other layer goes through DL4J. A step keeps what
 * its backward needs from the forward pass, so one instance serves one pass at a time.
 */
final class LayerSteps {
    private final DenseStep dense = new DenseStep();
    private final ConvolutionStep convolution = new ConvolutionStep();
    private final PoolingStep pooling = new PoolingStep();
    private final BidirectionalStep bidirectional = new BidirectionalStep();
    private final Convolution1DStep convolution1d = new Convolution1DStep();
    private final TimeDistributedStep timeDistributed = new TimeDistributedStep();
    private final AttentionStep attention = new AttentionStep();
    /** What each layer a step computed received, for rules that read a layer's input. */
    private final Map<Layer, INDArray> inputs = new IdentityHashMap<>();

    static boolean handles(Layer layer) {
        return DenseStep.handles(layer) || ConvolutionStep.handles(layer) || PoolingStep.handles(layer)
                || BidirectionalStep.handles(layer) || Convolution1DStep.handles(layer) || TimeDistributedStep.handles(layer)
                || AttentionStep.handles(layer);
    }

    /**
     * The layer's output, or null if no step computes this layer on this input (then DL4J must). Only the attention
     * step takes a feature mask: a masked layer of any other kind is DL4J's.
     */
    INDArray forward(Layer layer, INDArray input) {
        if (AttentionStep.handles(layer)) {
            return remembered(layer, input, attention.forward(layer, input));
        }
        if (layer.getMaskArray() != null) {
            return null;
        }
        INDArray output = DenseStep.handles(layer) ? dense.forward(layer, input)
                : ConvolutionStep.handles(layer) ? convolution.forward(layer, input)
                : PoolingStep.handles(layer) ? pooling.forward(layer, input)
                : BidirectionalStep.handles(layer) ? bidirectional.forward(layer, input)
                : Convolution1DStep.handles(layer) ? convolution1d.forward(layer, input)
                : TimeDistributedStep.handles(layer) ? timeDistributed.forward(layer, input) : null;
        return output == null ? null : remembered(layer, input, output);
    }

    private INDArray remembered(Layer layer, INDArray input, INDArray output) {
        inputs.put(layer, input);
        return output;
    }

    /**
     * Whether {@link #forwardOnPaths} computes this first layer from the paths' ends: a linear layer (dense, 2-D
     * convolution) on the rank of input it computes on.
     */
    static boolean fusesPaths(Layer layer, INDArray pathEnds) {
        return DenseStep.handles(layer) && pathEnds.rank() == 2 || ConvolutionStep.handles(layer) && pathEnds.rank() == 4;
    }

    /**
     * The first layer's output at the points of straight paths, built from the paths' end rows (see
     * {@link DenseStep#forwardOnPaths}, {@link ConvolutionStep#forwardOnPaths}); its backward then returns one
     * weighted sum per path.
     */
    INDArray forwardOnPaths(Layer layer, PathEnds ends, INDArray alpha, INDArray weight) {
        return DenseStep.handles(layer) ? dense.forwardOnPaths(layer, ends, alpha, weight)
                : convolution.forwardOnPaths(layer, ends, alpha, weight);
    }

    /** Whether a step computed this layer's forward pass, and so must compute its backward pass. */
    boolean hasForward(Layer layer) {
        return dense.hasForward(layer) || convolution.hasForward(layer) || pooling.hasForward(layer)
                || bidirectional.hasForward(layer) || convolution1d.hasForward(layer) || timeDistributed.hasForward(layer)
                || attention.hasForward(layer);
    }

    /** Whether the dense step computed this layer's forward pass. */
    boolean hasDenseForward(Layer layer) {
        return dense.hasForward(layer);
    }

    /**
     * ∂f/∂input from ∂f/∂output under the given rules, for any layer of the pass: the rules' own step where they have
     * one, else the step that computed the layer's forward pass (its activation under the rules), else DL4J's backward
     * pass where the rules accept its plain gradient.
     *
     * @param intoDense whether the result goes on into a dense step (see {@link DenseStep#backward})
     * @param label     how to name the layer in an error
     */
    INDArray backward(Layer layer, INDArray epsilon, boolean intoDense, BackwardRules rules, String label) {
        INDArray ruled = rules.throughLayer(layer, inputs.containsKey(layer) ? inputs.get(layer) : layer.input(), epsilon, label);
        if (ruled != null) {
            return ruled;
        }
        if (dense.hasForward(layer)) {
            return dense.backward(layer, epsilon, intoDense, rules, label);
        }
        if (convolution.hasForward(layer)) {
            return convolution.backward(layer, epsilon, rules, label);
        }
        if (pooling.hasForward(layer)) {
            return pooling.backward(layer, epsilon);
        }
        // the sequence steps compute the plain gradient, as DL4J's backward pass would if it were right
        rules.checkPlainLayer(layer, label);
        if (bidirectional.hasForward(layer)) {
            return bidirectional.backward(layer, epsilon, label);
        }
        if (convolution1d.hasForward(layer)) {
            return convolution1d.backward(layer, epsilon);
        }
        if (timeDistributed.hasForward(layer)) {
            return timeDistributed.backward(layer, epsilon);
        }
        if (attention.hasForward(layer)) {
            return attention.backward(layer, epsilon);
        }
        return Backward.throughLayer(layer, epsilon, label, NetworkPass.MGR);
    }

    /** Forgets what the last pass kept. */
    void clear() {
        dense.clear();
        convolution.clear();
        pooling.clear();
        inputs.clear();
        bidirectional.clear();
        convolution1d.clear();
        timeDistributed.clear();
        attention.clear();
    }

    /** See {@link AttentionStep#recordWeights}. */
    void recordAttentionWeights(Map<String, INDArray> weights) {
        attention.recordWeights(weights);
    }

    /**
     * A buffer for the weight gradients a layer the engine makes for itself writes in its backward pass, wanted or not;
     * outside the pass workspace, since the layer lives as long as the explaining copy.
     */
    static INDArray gradientView(DataType type, long length) {
        try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(type, 1, length);
        }
    }

    /** The layer as an error message names it: its name and configuration class. */
    static String describe(Layer layer) {
        return "'" + layer.conf().getLayer().getLayerName() + "' (" + layer.conf().getLayer().getClass().getSimpleName() + ")";
    }
}
