package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@link NetworkPass} over a MultiLayerNetwork: a chain of preprocessors and layers. */
final class ChainPass extends NetworkPass {
    private final MultiLayerConfiguration conf;
    private final Layer[] layers;
    private final List<LayerInfo> layerInfos;
    private final LayerSteps steps = new LayerSteps();

    ChainPass(MultiLayerNetwork explainingCopy, List<LayerInfo> layerInfos) {
        this.conf = explainingCopy.getLayerWiseConfigurations();
        this.layers = explainingCopy.getLayers();
        this.layerInfos = layerInfos;
    }

    /**
     * Activations: [0] is the input, [i + 1] the output of layer i. A pass may start at a later layer {@code first}:
     * then x is that layer's input, the earlier entries are null and the caller has run their steps.
     */
    private List<INDArray> forwardAll(INDArray x, int first) {
        List<INDArray> activations = new ArrayList<>(Collections.nCopies(first, null));
        INDArray a = x;
        activations.add(a);
        int rows = (int) x.size(0);
        setMasks(first == 0 ? featureMask(x) : null, rows);
        for (int i = first; i < layers.length; i++) {
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (pre != null) {
                a = pre.preProcess(a, rows, MGR);
            }
            checkRank(layers[i], a, describe(i));
            try {
                INDArray fast = steps.forward(layers[i], a);
                a = fast != null ? fast : activate(layers[i], a);
            } catch (RuntimeException e) {
                throw forwardFailure("layer " + describe(i), x, e);
            }
            activations.add(a);
        }
        return activations;
    }

    /**
     * Hands the feature mask down the chain as MultiLayerNetwork#setLayerMaskArrays does: each preprocessor and layer
     * passes on the mask its output has (reshaped for time-distributed layers, none after global pooling), or clears
     * the layers' masks when {@code mask} is null.
     */
    private void setMasks(INDArray mask, int rows) {
        MaskState state = mask == null ? null : MaskState.Active;
        for (int i = 0; i < layers.length; i++) {
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (pre != null && mask != null) {
                Pair<INDArray, MaskState> p = pre.feedForwardMaskArray(mask, state, rows);
                mask = p == null ? null : p.getFirst();
                state = p == null ? null : p.getSecond();
            }
            if (mask == null) {
                // DL4J's 1-D convolution and pooling cannot take a null mask in feedForwardMaskArray
                layers[i].setMaskArray(null);
                continue;
            }
            Pair<INDArray, MaskState> p = layers[i].feedForwardMaskArray(mask, state, rows);
            mask = p == null ? null : p.getFirst();
            state = p == null ? null : p.getSecond();
        }
    }

    @Override
    INDArray forward(INDArray x) {
        steps.clear();
        List<INDArray> activations = forwardAll(x, 0);
        steps.clear();
        return flat(activations.get(activations.size() - 1));
    }

    @Override
    INDArray activation(INDArray x, String layer) {
        steps.clear();
        INDArray a = forwardAll(x, 0).get(layerIndex(layer) + 1);
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
        long elements = forwardAll(x, 0).stream().mapToLong(INDArray::length).sum();
        steps.clear();
        return elements;
    }

    @Override
    GradientBatch gradients(INDArray x, Target target, int firstRow, String layer, boolean wantInput, BackwardRules rules) {
        steps.clear();
        List<INDArray> activations = forwardAll(x, 0);
        INDArray raw = activations.get(layers.length);
        INDArray outputs = flat(raw);
        int[] targets = targets(target, outputs, firstRow, rules);
        int recorded = layer == null ? Integer.MIN_VALUE : layerIndex(layer);
        // down to ∂f/∂a of the recorded layer (the input gradient when none is), then on to the input if wanted
        int stop = Math.max(0, recorded + 1);
        int rows = (int) x.size(0);
        INDArray epsilon = backward(seed(raw, targets), layers.length - 1, stop, rows, rules, activations);
        INDArray inputGradient = wantInput ? backward(epsilon, stop - 1, 0, rows, rules, activations) : null;
        steps.clear();
        return new GradientBatch(outputs, targets, inputGradient,
                layer == null ? null : activations.get(recorded + 1), layer == null ? null : epsilon);
    }

    /**
     * Straight-path sums as {@link NetworkPass#pathGradients}, fused into a linear first layer (plain dense or 2-D
     * convolution, with no preprocessor or one that reshapes flat rows into images) when paths have several points:
     * {@link LayerSteps#forwardOnPaths} builds that layer's pre-activation from the paths' end rows, and its backward sums
     * each path's δ before the product with Wᵀ (the transposed convolution), so the layer's two products (75% of the
     * MLP's) run on paths instead of points. Exact up to rounding.
     */
    @Override
    INDArray pathGradients(PathEnds ends, INDArray alpha, INDArray weight, int[] targets) {
        InputPreProcessor pre = conf.getInputPreProcess(0);
        // a reshape of flat rows into images is linear too: the reshaped path is the path of the reshaped ends
        boolean reshapes = pre instanceof FeedForwardToCnnPreProcessor;
        if (!fusionPays(ends, alpha) || pre != null && !reshapes || sequenceMask != null) {
            return super.pathGradients(ends, alpha, weight, targets);
        }
        PathEnds first = reshapes ? ends.map(rows -> pre.preProcess(rows, (int) rows.size(0), MGR)) : ends;
        if (!LayerSteps.fusesPaths(layers[0], first.inputs())) {
            return super.pathGradients(ends, alpha, weight, targets);
        }
        steps.clear();
        INDArray firstOutput;
        try {
            firstOutput = steps.forwardOnPaths(layers[0], first, alpha, weight);
        } catch (RuntimeException e) {
            throw forwardFailure("layer " + describe(0), ends.inputs(), e);
        }
        List<INDArray> activations = forwardAll(firstOutput, 1);
        INDArray raw = activations.get(layers.length);
        INDArray gradient = backward(pathSeed(raw, targets, (int) alpha.size(1)), layers.length - 1, 0, (int) raw.size(0),
                BackwardRules.gradient(), activations);
        steps.clear();
        return gradient;
    }

    /**
     * ∂f/∂(input of layer {@code stop}) from ∂f/∂(output of layer {@code top}), under the given rules.
     *
     * @param activations as {@link #forwardAll} returned them
     */
    private INDArray backward(INDArray epsilon, int top, int stop, int rows, BackwardRules rules, List<INDArray> activations) {
        for (int i = top; i >= stop; i--) {
            DifferentiableLayers.check(conf.getConf(i).getLayer(), describe(i));
            boolean intoDense = i > stop && conf.getInputPreProcess(i) == null && steps.hasDenseForward(layers[i - 1]);
            epsilon = steps.backward(layers[i], epsilon, intoDense, rules, describe(i));
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (pre != null) {
                epsilon = reshapedBack(pre, pre.backprop(epsilon, rows, MGR), activations.get(i));
            }
        }
        return epsilon;
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
