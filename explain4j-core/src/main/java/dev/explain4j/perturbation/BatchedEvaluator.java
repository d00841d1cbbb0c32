package dev.explain4j.perturbation;

import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a planned stream of perturbed rows through a model in batches of at most {@link #batchSize()} rows.
 *
 * <p>Rows are produced lazily, one batch at a time, by a {@link RowSource}, and the outputs are handed to an
 * {@link OutputSink} in row order; so memory stays bounded by the batch size however many perturbations a method
 * plans, and a stream of n rows costs exactly ⌈n / batchSize⌉ model calls.
 */
public final class BatchedEvaluator {
    /** Rows per model call unless the user says otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 4096;

    private final ExplainableModel model;
    private final int batchSize;
    private final AtomicLong calls = new AtomicLong();

    public BatchedEvaluator(ExplainableModel model, int batchSize) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        this.model = model;
        this.batchSize = checkBatchSize(batchSize);
    }

    /** Fails unless the batch size is at least 1; the message names the setting. */
    public static int checkBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1 row per model call, got " + batchSize);
        }
        return batchSize;
    }

    /** Produces rows [first, first + count) of a planned stream, flattened: [count, features of one row]. */
    @FunctionalInterface
    public interface RowSource {
        INDArray rows(long first, int count);
    }

    /** Receives the model's outputs [count, outputSize] for rows [first, first + count), in increasing order. */
    @FunctionalInterface
    public interface OutputSink {
        void accept(long first, INDArray outputs);
    }

    /** Evaluates {@code total} rows of {@code source}, passing each batch's outputs to {@code sink}. */
    public void evaluate(long total, RowSource source, OutputSink sink) {
        long[] rowShape = model.inputShape();
        for (long first = 0; first < total; first += batchSize) {
            int count = (int) Math.min(batchSize, total - first);
            INDArray flat = source.rows(first, count);
            if (flat.size(0) != count) {
                throw new IllegalStateException("row source gave " + flat.size(0) + " rows, expected " + count);
            }
            INDArray batch = flat.castTo(model.dataType()).reshape('c', batchShape(count, rowShape, flat.size(1)));
            calls.incrementAndGet();
            sink.accept(first, model.predict(batch));
        }
    }

    /** Evaluates {@code total} rows of {@code source} and returns all outputs, [total, outputSize], in double. */
    public double[][] evaluateAll(long total, RowSource source) {
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(total + " rows are too many to keep all outputs; lower the sample count");
        }
        double[][] out = new double[(int) total][];
        evaluate(total, source, (first, outputs) -> {
            double[][] block = Inputs.rowsAsDoubles(outputs);
            System.arraycopy(block, 0, out, (int) first, block.length);
        });
        return out;
    }


    private static long[] batchShape(int count, long[] rowShape, long flatWidth) {
        long[] shape = new long[rowShape.length + 1];
        shape[0] = count;
        for (int i = 0; i < rowShape.length; i++) {
            // a free (-1) dimension is only allowed for 1-d rows here: the flat width decides it
            shape[i + 1] = rowShape[i] < 0 ? (rowShape.length == 1 ? flatWidth : -1) : rowShape[i];
        }
        return shape;
    }

    public ExplainableModel model() {
        return model;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Model calls made so far through this evaluator. */
    public long calls() {
        return calls.get();
    }
}
