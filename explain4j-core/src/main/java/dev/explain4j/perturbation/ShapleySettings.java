package dev.explain4j.perturbation;

import dev.explain4j.model.ExplainableModel;

/**
 * The settings every Shapley-value method shares, as a base for their builders: the model, the background (required),
 * feature groups and the batch size.
 *
 * @param <B> the concrete builder, so that chained calls keep its type
 */
public abstract class ShapleySettings<B extends ShapleySettings<B>> {
    final ExplainableModel model;
    Background background;
    int[] groups;
    int batchSize = BatchedEvaluator.DEFAULT_BATCH_SIZE;

    ShapleySettings(ExplainableModel model) {
        this.model = model;
    }

    /** Reference rows: one baseline row, or a background set whose mean effect is explained. */
    public B background(Background background) {
        this.background = background;
        return self();
    }

    /** Group id per flattened input feature; a group enters and leaves coalitions as one player. */
    public B groups(int... groups) {
        this.groups = groups.clone();
        return self();
    }

    /** Most rows per model call. */
    public B batchSize(int batchSize) {
        this.batchSize = BatchedEvaluator.checkBatchSize(batchSize);
        return self();
    }

    /** The background, which every Shapley method needs. */
    Background requiredBackground(String method) {
        if (background == null) {
            throw new IllegalArgumentException("background is empty: " + method + " needs a baseline row or a background set");
        }
        return background;
    }

    int[] groupsCopy() {
        return groups == null ? null : groups.clone();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
