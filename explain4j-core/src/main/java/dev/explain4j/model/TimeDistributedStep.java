package dev.explain4j.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.layers.recurrent.TimeDistributedLayer;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A layer applied to every time step ({@code TimeDistributed}), as DL4J computes it: the steps of all rows stacked
 * into one batch [rows × time, features] for the wrapped layer. DL4J's own backward pass fails ("Input that is not a
 * matrix") because the wrapped layer is left holding the wrapper's sequence as its input; here it holds the stacked
 * steps it computed on, and its own backward pass runs on the stacked epsilon.
 */
final class TimeDistributedStep {
    /** Steps per row of each layer's input in the current pass. */
    private final Map<Layer, Long> steps = new IdentityHashMap<>();

    static boolean handles(Layer layer) {
        return layer instanceof TimeDistributedLayer;
    }

    INDArray forward(Layer layer, INDArray input) {
        boolean ncw = format(layer) == RNNFormat.NCW;
        long time = input.size(ncw ? 2 : 1);
        steps.put(layer, time);
        INDArray out = NetworkPass.activate(inner(layer), stacked(input, ncw));
        return unstacked(out, input.size(0), time, ncw);
    }

    boolean hasForward(Layer layer) {
        return steps.containsKey(layer);
    }

    INDArray backward(Layer layer, INDArray epsilon) {
        long time = steps.remove(layer);
        boolean ncw = format(layer) == RNNFormat.NCW;
        INDArray gradient = Backward.throughLayer(inner(layer), stacked(epsilon, ncw), LayerSteps.describe(layer), NetworkPass.MGR);
        return unstacked(gradient, epsilon.size(0), time, ncw);
    }

    void clear() {
        steps.clear();
    }

    /** [n, F, T] (NCW) or [n, T, F] (NWC) as [n × T, F], row t of sample r at r·T + t. */
    private static INDArray stacked(INDArray sequence, boolean ncw) {
        INDArray nwc = ncw ? sequence.permute(0, 2, 1) : sequence;
        return nwc.dup('c').reshape('c', nwc.size(0) * nwc.size(1), nwc.size(2));
    }

    private static INDArray unstacked(INDArray rows, long n, long time, boolean ncw) {
        INDArray nwc = rows.dup('c').reshape('c', n, time, rows.size(1));
        return ncw ? nwc.permute(0, 2, 1).dup('c') : nwc;
    }

    private static Layer inner(Layer layer) {
        return ((BaseWrapperLayer) layer).getUnderlying();
    }

    /**
     * The layout the wrapper stacks its input from. DL4J's layer keeps it in a private field only: its configuration
     * ({@code conf()}) is the wrapped layer's.
     */
    private static RNNFormat format(Layer layer) {
        try {
            java.lang.reflect.Field field = TimeDistributedLayer.class.getDeclaredField("rnnDataFormat");
            field.setAccessible(true);
            return (RNNFormat) field.get(layer);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this DL4J version's TimeDistributedLayer does not keep its layout as 1.0.0-M2.1 does", e);
        }
    }
}
