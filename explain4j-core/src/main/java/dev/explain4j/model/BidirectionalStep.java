package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bidirectional recurrent layers, forward and backward, through the two directions' own layers.
 *
 * <p>DL4J 1.0.0-M2.1's {@code BidirectionalLayer.backpropGradient} splits and reverses the epsilon as a sequence
 * [n, features, time], so it fails when the wrapped layer returns one vector per row (Keras'
 * {@code Bidirectional(LSTM(return_sequences=False))} imports as {@code Bidirectional(LastTimeStep(LSTM))}: "cannot get
 * size of dimension 2 for rank 2 NDArray"). This step runs the forward direction on the input and the backward
 * direction on the input reversed in time, combines them by the layer's mode, and in its backward pass splits the
 * epsilon by the mode (halves for CONCAT, the other direction's output for MUL, ½ for AVERAGE), reverses the backward
 * direction's part in time where it is a sequence, and calls each direction's own DL4J backward pass. The directions
 * are layers of their own on the two halves of the wrapper's parameter view (DL4J's layout: forward first).
 */
final class BidirectionalStep {
    /** The directions' layers of a wrapper, made once per explaining copy. */
    private final Map<Layer, Layer[]> directions = new IdentityHashMap<>();
    /** What the backward pass needs: both directions' outputs (time in the input's order). */
    private final Map<Layer, INDArray[]> outputs = new IdentityHashMap<>();

    static boolean handles(Layer layer) {
        return layer instanceof BidirectionalLayer;
    }

    INDArray forward(Layer layer, INDArray input) {
        Layer[] pair = directions.computeIfAbsent(layer, BidirectionalStep::directions);
        int time = timeAxis(layer);
        INDArray forwards = NetworkPass.activate(pair[0], input);
        INDArray backwards = NetworkPass.activate(pair[1], reversed(input, time));
        if (backwards.rank() == 3) {
            backwards = reversed(backwards, time);
        }
        outputs.put(layer, new INDArray[]{forwards, backwards});
        return switch (configuration(layer).getMode()) {
            case CONCAT -> Nd4j.concat(featureAxis(layer, forwards), forwards, backwards);
            case ADD -> forwards.add(backwards);
            case MUL -> forwards.mul(backwards);
            case AVERAGE -> forwards.add(backwards).muli(0.5);
        };
    }

    boolean hasForward(Layer layer) {
        return outputs.containsKey(layer);
    }

    /** @param label how to name the layer in an error */
    INDArray backward(Layer layer, INDArray epsilon, String label) {
        INDArray[] out = outputs.remove(layer);
        Layer[] pair = directions.get(layer);
        INDArray forwards;
        INDArray backwards;
        switch (configuration(layer).getMode()) {
            case CONCAT -> {
                int axis = featureAxis(layer, epsilon);
                long half = epsilon.size(axis) / 2;
                forwards = epsilon.get(along(epsilon.rank(), axis, NDArrayIndex.interval(0, half))).dup();
                backwards = epsilon.get(along(epsilon.rank(), axis, NDArrayIndex.interval(half, 2 * half))).dup();
            }
            case ADD -> {
                forwards = epsilon;
                backwards = epsilon.dup();
            }
            case MUL -> {
                forwards = epsilon.mul(out[1]);
                backwards = epsilon.mul(out[0]);
            }
            case AVERAGE -> {
                forwards = epsilon.mul(0.5);
                backwards = forwards.dup();
            }
            default -> throw new IllegalStateException("unknown mode " + configuration(layer).getMode());
        }
        int time = timeAxis(layer);
        if (backwards.rank() == 3) {
            backwards = reversed(backwards, time);
        }
        INDArray gradient = Backward.throughLayer(pair[0], forwards, label + " forward direction", NetworkPass.MGR);
        INDArray reverseGradient = Backward.throughLayer(pair[1], backwards, label + " backward direction", NetworkPass.MGR);
        return gradient.add(reversed(reverseGradient, time));
    }

    void clear() {
        outputs.clear();
    }

    /** The wrapper's two directions as layers of their own on its parameters. */
    private static Layer[] directions(Layer layer) {
        Bidirectional conf = configuration(layer);
        INDArray params = layer.params().reshape(1, -1);
        long half = params.length() / 2;
        Layer[] pair = new Layer[2];
        org.deeplearning4j.nn.conf.layers.Layer[] confs = {conf.getFwd(), conf.getBwd()};
        for (int d = 0; d < 2; d++) {
            NeuralNetConfiguration direction = layer.conf().clone();
            direction.setLayer(confs[d]);
            INDArray view = params.get(NDArrayIndex.all(), NDArrayIndex.interval(d * half, (d + 1) * half));
            pair[d] = confs[d].instantiate(direction, List.of(), layer.getIndex(), view, false, params.dataType());
            pair[d].setBackpropGradientsViewArray(LayerSteps.gradientView(params.dataType(), half));
        }
        return pair;
    }

    private static Bidirectional configuration(Layer layer) {
        return (Bidirectional) layer.conf().getLayer();
    }

    private static int timeAxis(Layer layer) {
        return configuration(layer).getRNNDataFormat() == RNNFormat.NWC ? 1 : 2;
    }

    /** The features' axis of a direction's output: 1 of a vector per row or an NCW sequence, 2 of an NWC sequence. */
    private static int featureAxis(Layer layer, INDArray array) {
        return array.rank() == 3 && configuration(layer).getRNNDataFormat() == RNNFormat.NWC ? 2 : 1;
    }

    private static INDArrayIndex[] along(int rank, int axis, INDArrayIndex index) {
        INDArrayIndex[] indices = new INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) {
            indices[i] = i == axis ? index : NDArrayIndex.all();
        }
        return indices;
    }

    private static INDArray reversed(INDArray sequence, int timeAxis) {
        return new NativeOp("reverse", new int[]{timeAxis}, sequence).run(false);
    }
}
