package dev.explain4j.perturbation;

import dev.explain4j.core.Limits;
import dev.explain4j.model.ExplainableModel;

/**
 * The settings both LIME variants share, as a base for their builders: neighbours per row, features the surrogate may
 * use, kernel width, seed and batch size.
 *
 * @param <B> the concrete builder, so that chained calls keep its type
 */
public abstract class LimeSettings<B extends LimeSettings<B>> {
    final ExplainableModel model;
    int samples;
    int numFeatures;
    double kernelWidth;
    long seed;
    int batchSize = BatchedEvaluator.DEFAULT_BATCH_SIZE;

    LimeSettings(ExplainableModel model, int samples, int numFeatures, double kernelWidth) {
        this.model = model;
        this.samples = samples;
        this.numFeatures = numFeatures;
        this.kernelWidth = kernelWidth;
    }

    /** Neighbours per row, the instance included. */
    public B samples(int samples) {
        Limits.check("samples", samples, 2, Limits.MAX_SAMPLES);
        this.samples = samples;
        return self();
    }

    /** Features the surrogate may use. */
    public B numFeatures(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("numFeatures must be at least 1, got " + k);
        }
        this.numFeatures = k;
        return self();
    }

    /** Width of the exponential kernel over distances. */
    public B kernelWidth(double width) {
        if (!(width > 0)) {
            throw new IllegalArgumentException("kernelWidth must be > 0, got " + width);
        }
        this.kernelWidth = width;
        return self();
    }

    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    /** Most rows per model call. */
    public B batchSize(int batchSize) {
        this.batchSize = BatchedEvaluator.checkBatchSize(batchSize);
        return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
