package dev.explain4j.model;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.workspace.WorkspacesCloseable;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * One forward pass in inference mode and one backward pass seeded with the target, walked layer by layer over an
 * explaining copy of the user's network. A pass keeps per-layer state, so one instance serves one thread at a time.
 */
abstract class NetworkPass {
    /**
     * DL4J's layer calls allocate where the pass does: in the pass workspace NetworkModel opens, which callers'
     * results are copied out of (see NetworkModel#withPass).
     */
    static final LayerWorkspaceMgr MGR = new InActiveWorkspace();

    /** The padding mask of the batches this pass computes on; null: every step is real. Set once, by its model. */
    SequenceMask sequenceMask;

    /** The network's output for {@code x}, in the model's output space. */
    abstract INDArray forward(INDArray x);

    /** The output of {@code layer} (a name {@link #layers()} gives, or {@code input}) for {@code x}, as the layer gives it. */
    abstract INDArray activation(INDArray x, String layer);

    /**
     * Like every input to a pass, {@code x} is the pass's to use: layers may overwrite it, so callers hand in arrays
     * they own (a copy of the user's rows).
     *
     * @param firstRow   index of x's first row in the caller's batch, for error messages
     * @param layer      name of the layer whose activation and gradient to return, or null
     * @param wantInput  whether ∂f/∂x is needed (layer methods may stop at their layer)
     */
    final GradientBatch gradients(INDArray x, Target target, int firstRow, String layer, boolean wantInput) {
        return gradients(x, target, firstRow, layer, wantInput, BackwardRules.gradient());
    }

    /**
     * As {@link #gradients(INDArray, Target, int, String, boolean)}, the backward walk under the given rules. Rules
     * that {@link BackwardRules#stacksReferences stack references} take x as the rows followed by their references.
     */
    abstract GradientBatch gradients(INDArray x, Target target, int firstRow, String layer, boolean wantInput,
                                     BackwardRules rules);

    /** The target per row of a pass; under stacked references resolved on the rows and repeated for the references. */
    static int[] targets(Target target, INDArray outputs, int firstRow, BackwardRules rules) {
        if (!rules.stacksReferences()) {
            return target.resolve(outputs, firstRow);
        }
        int[] rows = target.resolve(outputs.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, outputs.size(0) / 2)), firstRow);
        int[] both = java.util.Arrays.copyOf(rows, 2 * rows.length);
        System.arraycopy(rows, 0, both, rows.length, rows.length);
        return both;
    }

    /**
     * See {@link NetworkModel#pathGradients}: here the points, built in one pass, go through {@link #gradients}.
     *
     * @param alpha  [paths, steps]
     * @param weight [paths, steps]
     */
    INDArray pathGradients(PathEnds ends, INDArray alpha, INDArray weight, int[] targets) {
        INDArray from = ends.starts();
        INDArray to = ends.ends();
        int paths = (int) from.size(0);
        int steps = (int) alpha.size(1);
        long features = from.length() / paths;
        INDArray points = alongPaths(from, to.sub(from), alpha, 'c');
        long[] shape = from.shape().clone();
        shape[0] = (long) paths * steps;
        INDArray gradient = gradients(points.reshape('c', shape), Target.perRow(perPoint(targets, steps)), 0, null, true)
                .inputGradient();
        // features flattened row-major like the path ends; a 2-D gradient of either layout is already [points, features]
        INDArray perPoint = gradient.rank() == 2 ? gradient : gradient.reshape('c', (long) paths * steps, features);
        return sumOverSteps(perPoint, weight).reshape('c', from.shape());
    }

    /**
     * Whether computing a linear first layer from the paths' end rows (two products per distinct end row) costs less
     * than computing it at the points (one product per point): always with several points per path, and for
     * single-point paths (Expected Gradients) when the paths share their ends.
     */
    static boolean fusionPays(PathEnds ends, INDArray alpha) {
        return alpha.size(1) >= 2 || ends.endRows() < ends.paths();
    }

    /**
     * start_p + α_{p,s} · slope_p for every point p·steps + s of straight paths, in one broadcast: [paths × steps,
     * width] (the [paths, ...] ends flattened row-major) in the given memory order. Column-major is the layout of a
     * dense step's z; there point p·steps + s is (s, p) of a column-major [steps, paths, width].
     *
     * @param alpha [paths, steps]
     */
    static INDArray alongPaths(INDArray start, INDArray slope, INDArray alpha, char order) {
        long paths = alpha.size(0);
        long steps = alpha.size(1);
        long width = start.length() / paths;
        boolean columnMajor = order == 'f';
        long[] endShape = columnMajor ? new long[]{1, paths, width} : new long[]{paths, 1, width};
        INDArray positions = columnMajor ? alpha.transpose().reshape('c', steps, paths, 1) : alpha.reshape('c', paths, steps, 1);
        INDArray points = Nd4j.createUninitialized(start.dataType(),
                columnMajor ? new long[]{steps, paths, width} : new long[]{paths, steps, width}, order);
        Nd4j.exec(new MulOp(positions, slope.reshape('c', endShape), points));
        return points.addi(start.reshape('c', endShape)).reshape(order, paths * steps, width);
    }

    /** The backward seed of the points of paths (path-major), each selecting its path's target in the raw output. */
    static INDArray pathSeed(INDArray raw, int[] targets, int steps) {
        return seed(raw, Target.perRow(perPoint(targets, steps)).resolve(flat(raw), 0));
    }

    /** Each path's target for each of its points, path-major. */
    static int[] perPoint(int[] targets, int steps) {
        int[] pointTargets = new int[targets.length * steps];
        for (int j = 0; j < pointTargets.length; j++) {
            pointTargets[j] = targets[j / steps];
        }
        return pointTargets;
    }

    /**
     * Σ_s w_{p,s} v_{p·steps+s} for per-point rows v [paths × steps, width] of either layout (overwrites them):
     * [paths, width] in one reduction.
     */
    static INDArray sumOverSteps(INDArray perPoint, INDArray weight) {
        long paths = weight.size(0);
        long steps = weight.size(1);
        long width = perPoint.size(1);
        perPoint.muliColumnVector(weight.reshape('c', paths * steps, 1));
        // both views are free: point p·steps + s is (p, s) read row-major and (s, p) read column-major
        return perPoint.ordering() == 'f' ? perPoint.reshape('f', steps, paths, width).sum(0)
                : perPoint.reshape('c', paths, steps, width).sum(1);
    }

    /**
     * {@code layer.activate(input, false)} computed on a copy, with the untouched {@code input} left as the layer's
     * stored input. DL4J's layers may compute in place in inference mode: ActivationLayer applies its activation to
     * the array it is given, and its backward pass then differentiates at f(z) instead of z (σ′(σ(0.3)) = 0.2305 for
     * σ′(0.3) = 0.2445). The input is also the previous layer's output, which a layer method records. The copy costs
     * one pass over the layer's input; the engine's own steps ({@link LayerSteps}) never write to their input and
     * skip it.
     */
    static INDArray activate(org.deeplearning4j.nn.api.Layer layer, INDArray input) {
        INDArray out = layer.activate(input.dup(input.ordering()), false, MGR);
        layer.setInput(input, MGR);
        return out;
    }

    /**
     * The gradient a preprocessor's backprop returns, in the shape of the preprocessor's input where the preprocessor
     * is a row-major reshape whose backprop gets that shape wrong. Keras import's flatten of a sequence and its Reshape
     * reshape row-major, so the gradient is the reshape back; their backprop reshapes to [n, channels, time] whatever
     * the input's layout (issue_9349 of the Keras corpus: [2, 3, 1] for a channels-last [2, 1, 3]) or keeps the
     * reshaped shape (misc_1: [2, 3, 2] for [2, 2, 3]).
     *
     * @param input the preprocessor's input in this pass, or null where it was never built (then the gradient as is)
     */
    static INDArray reshapedBack(org.deeplearning4j.nn.conf.InputPreProcessor pre, INDArray gradient, INDArray input) {
        boolean reshape = pre instanceof org.deeplearning4j.preprocessors.KerasFlattenRnnPreprocessor
                || pre instanceof org.deeplearning4j.preprocessors.ReshapePreprocessor;
        return !reshape || input == null || java.util.Arrays.equals(gradient.shape(), input.shape()) ? gradient
                : gradient.dup('c').reshape('c', input.shape());
    }

    /** The feature mask of a batch entering the network, or null. */
    INDArray featureMask(INDArray x) {
        return sequenceMask == null ? null : sequenceMask.of(x);
    }

    /** The steps this pass computes its layers with. */
    abstract LayerSteps steps();

    /**
     * The attention weights of the network's attention layers for the rows of {@code x}, by layer name, as its forward
     * pass computes them (see {@link AttentionStep#recordWeights}).
     */
    final Map<String, INDArray> attentionWeights(INDArray x) {
        Map<String, INDArray> weights = new java.util.HashMap<>();
        steps().recordAttentionWeights(weights);
        try {
            forward(x);
        } finally {
            steps().recordAttentionWeights(null);
        }
        return weights;
    }

    /** Number of values all layer outputs hold for the rows of {@code x}. */
    abstract long activationElements(INDArray x);

    /** The layers a layer method can name, input first. */
    abstract List<LayerInfo> layers();

    /**
     * The network's output as [rows, outputs]: outputs with more dimensions (a sequence, a map) are flattened
     * row-major per row, and a target indexes that flattened output.
     */
    static INDArray flat(INDArray outputs) {
        return outputs.rank() == 2 ? outputs : outputs.dup('c').reshape('c', outputs.size(0), -1);
    }

    /** One-hot rows shaped like the network's raw output: the backward seed selecting each row's target. */
    static INDArray seed(INDArray outputs, int[] targets) {
        INDArray seed = Nd4j.zeros(outputs.dataType(), outputs.size(0), outputs.length() / outputs.size(0));
        for (int row = 0; row < targets.length; row++) {
            seed.putScalar(row, targets[row], 1.0);
        }
        return seed.reshape('c', outputs.shape());
    }

    /**
     * Fails unless a convolution or recurrent layer gets input of the rank it computes on. DL4J does not check this
     * for every layer kind, and libnd4j's kernels then read shapes that are not there: on a Keras file whose 1-D
     * convolution received a rank-4 array this corrupted native memory and crashed the JVM.
     */
    static void checkRank(org.deeplearning4j.nn.api.Layer layer, INDArray input, String label) {
        int expected;
        if (layer instanceof org.deeplearning4j.nn.layers.convolution.Convolution1DLayer
                || layer instanceof org.deeplearning4j.nn.layers.convolution.subsampling.Subsampling1DLayer
                || layer instanceof org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer) {
            expected = 3;
        } else if (layer instanceof org.deeplearning4j.nn.layers.convolution.Convolution3DLayer
                || layer instanceof org.deeplearning4j.nn.layers.convolution.subsampling.Subsampling3DLayer) {
            expected = 5;
        } else if (layer instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer
                || layer instanceof org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer) {
            expected = 4;
        } else {
            return;
        }
        if (input.rank() != expected) {
            throw new IllegalArgumentException("layer " + label + " computes on rank-" + expected + " input but receives "
                    + java.util.Arrays.toString(input.shape()) + "; the network's configuration does not fit this input");
        }
    }

    /** A DL4J failure in the forward pass, named after the layer it happened in. */
    static IllegalArgumentException forwardFailure(String layer, INDArray input, RuntimeException e) {
        return new IllegalArgumentException("the network's forward pass failed at " + layer + " on an input of shape "
                + java.util.Arrays.toString(input.shape()) + ": " + e.getMessage(), e);
    }

    /**
     * Every array type in the active workspace, nothing moved or copied out of it: what DL4J's own workspace mode does
     * when all of a network's arrays share one workspace. With {@code LayerWorkspaceMgr.noWorkspaces()} every layer
     * output and input gradient, and a copy of every input a layer stored ({@code leverageTo} detaches an array that
     * is in a workspace), was a fresh off-heap allocation freed only when the garbage collector ran: IG with 1000
     * steps on 1000 digits rows reached 2.4 GB resident under a 512 MiB budget. Array types stay "scoped out" so that
     * DL4J takes its no-workspace branches and checks; scopes are left as they are (null: nothing to close).
     */
    private static final class InActiveWorkspace extends LayerWorkspaceMgr {
        InActiveWorkspace() {
            super(EnumSet.allOf(ArrayType.class), Map.of(), Map.of());
        }

        @Override
        public MemoryWorkspace notifyScopeEntered(ArrayType type) {
            return null;
        }

        @Override
        public WorkspacesCloseable notifyScopeEntered(ArrayType... types) {
            return new WorkspacesCloseable();
        }

        @Override
        public MemoryWorkspace notifyScopeBorrowed(ArrayType type) {
            return null;
        }

        @Override
        public INDArray leverageTo(ArrayType type, INDArray array) {
            return array;
        }

        @Override
        public INDArray validateArrayLocation(ArrayType type, INDArray array, boolean migrateIfInvalid, boolean exceptionIfDetached) {
            return array;
        }

        @Override
        public INDArray castTo(ArrayType type, DataType dataType, INDArray array, boolean dupIfCorrectType) {
            if (array.dataType() != dataType) {
                return array.castTo(dataType);
            }
            return dupIfCorrectType ? array.dup() : array;
        }
    }
}
