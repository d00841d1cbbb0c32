package dev.explain4j.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/** A black-box model made from a plain function; checks the shapes going in and coming out. */
final class FunctionModel implements ExplainableModel {
    private final UnaryOperator<INDArray> function;
    private final long[] inputShape;
    private final int outputSize;
    private final DataType dataType;

    FunctionModel(UnaryOperator<INDArray> function, long[] inputShape, int outputSize, DataType dataType) {
        if (outputSize < 1) {
            throw new IllegalArgumentException("outputSize must be at least 1, got " + outputSize);
        }
        this.function = function;
        this.inputShape = inputShape.clone();
        this.outputSize = outputSize;
        this.dataType = dataType;
    }

    @Override
    public INDArray predict(INDArray batch) {
        Inputs.checkShape(batch, inputShape, "input");
        INDArray out = function.apply(batch.castTo(dataType));
        if (out.rank() != 2 || out.size(0) != batch.size(0) || out.size(1) != outputSize) {
            throw new IllegalStateException("model function returned shape " + Arrays.toString(out.shape())
                    + ", expected [" + batch.size(0) + ", " + outputSize + "]");
        }
        return out;
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int outputSize() {
        return outputSize;
    }

    @Override
    public DataType dataType() {
        return dataType;
    }
}
