package dev.explain4j.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.UnaryOperator;

/**
 * Anything that maps a batch of rows to a batch of outputs: the view every perturbation method takes of a model.
 * DL4J networks ({@link NetworkModel}) implement it too, and add gradients.
 */
public interface ExplainableModel {

    /**
     * @param batch [rows, ...{@link #inputShape()}]
     * @return [rows, {@link #outputSize()}]; one model call, however many rows
     */
    INDArray predict(INDArray batch);

    /** Shape of one row, without the batch dimension; -1 where any size is accepted (e.g. sequence length). */
    long[] inputShape();

    /** Number of outputs per row (classes, or regression units). */
    int outputSize();

    /** Type the model computes in; inputs are converted to it. */
    DataType dataType();

    /**
     * The image layout of inputs shaped like {@code x}, if the model takes images (needed by spatial methods:
     * occlusion windows, superpixels, blurred references, Grad-CAM). A function model has none unless it says so.
     */
    default java.util.Optional<ImageGeometry> imageGeometry(INDArray x) {
        return java.util.Optional.empty();
    }

    /** A black-box model from a plain function of a batch. */
    static ExplainableModel of(UnaryOperator<INDArray> function, long[] inputShape, int outputSize, DataType dataType) {
        return new FunctionModel(function, inputShape, outputSize, dataType);
    }
}
