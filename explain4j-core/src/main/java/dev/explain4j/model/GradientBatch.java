package dev.explain4j.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.function.Function;

/**
 * What one forward + backward pass returns for a batch of rows.
 *
 * @param outputs         [rows, outputs] the model's output in its output space
 * @param targets         the output index differentiated, per row
 * @param inputGradient   ∂f_target/∂x, shaped like the input (null when not asked for)
 * @param layerActivation a_L, the chosen layer's output (null when no layer was asked for)
 * @param layerGradient   ∂f_target/∂a_L, shaped like a_L (null when no layer was asked for)
 */
public record GradientBatch(INDArray outputs, int[] targets, INDArray inputGradient, INDArray layerActivation,
                            INDArray layerGradient) {

    /** f_target(x) per row. */
    public double[] targetOutputs() {
        double[] values = new double[targets.length];
        for (int row = 0; row < values.length; row++) {
            values[row] = outputs.getDouble(row, targets[row]);
        }
        return values;
    }

    /** The same batch with every array row-major and valid in the current scope (see {@link #detached}). */
    GradientBatch detach() {
        return new GradientBatch(detached(outputs), targets, detached(inputGradient), detached(layerActivation),
                detached(layerGradient));
    }

    /**
     * A row-major copy made in the current scope (the caller's workspace, if it has one open), unless the array is
     * already row-major and outside any workspace or in the current one (null stays null).
     */
    static INDArray detached(INDArray array) {
        if (array == null || array.ordering() == 'c' && (!array.isAttached()
                || array.data().getParentWorkspace() == Nd4j.getMemoryManager().getCurrentWorkspace())) {
            return array;
        }
        return array.dup('c');
    }

    /** The chunks' results as one batch, rows in order. */
    static GradientBatch concat(List<GradientBatch> chunks) {
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        int total = chunks.stream().mapToInt(c -> c.targets.length).sum();
        int[] targets = new int[total];
        int offset = 0;
        for (GradientBatch chunk : chunks) {
            System.arraycopy(chunk.targets, 0, targets, offset, chunk.targets.length);
            offset += chunk.targets.length;
        }
        return new GradientBatch(stack(chunks, GradientBatch::outputs), targets, stack(chunks, GradientBatch::inputGradient),
                stack(chunks, GradientBatch::layerActivation), stack(chunks, GradientBatch::layerGradient));
    }

    private static INDArray stack(List<GradientBatch> chunks, Function<GradientBatch, INDArray> part) {
        if (part.apply(chunks.get(0)) == null) {
            return null;
        }
        return Nd4j.concat(0, chunks.stream().map(part).toArray(INDArray[]::new));
    }
}
