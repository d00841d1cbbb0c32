package dev.explain4j.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/** A call of a libnd4j op by name, with or without its platform (oneDNN) implementation. */
final class NativeOp {
    private final DynamicCustomOp op;
    private final int[] integers;
    private final INDArray[] inputs;

    NativeOp(String name, int[] integers, INDArray... inputs) {
        this.op = DynamicCustomOp.builder(name).addInputs(inputs).addIntegerArguments(integers).build();
        this.integers = integers;
        this.inputs = inputs;
    }

    /** The shape of the op's first output, without running it. */
    long[] outputShape() {
        return Nd4j.getExecutioner().calculateOutputShape(op).get(0).getShape();
    }

    /**
     * Runs the op and returns its first output, allocated in the current workspace.
     *
     * @param platform whether libnd4j may run the op on its platform helper (oneDNN in this project's build): much
     *                 faster for convolutions, 3-4x slower for pooling in NCHW (measured on the benchmark CNN)
     * @param floats   the op's floating-point arguments
     */
    INDArray run(boolean platform, double... floats) {
        INDArray output = Nd4j.createUninitialized(inputs[0].dataType(), outputShape());
        try (OpContext context = Nd4j.getExecutioner().buildContext()) {
            context.allowHelpers(platform);
            context.setIArguments(Arrays.stream(integers).asLongStream().toArray());
            context.setTArguments(floats);
            context.setInputArrays(inputs);
            context.setOutputArrays(output);
            Nd4j.exec(op, context);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        return output;
    }
}
