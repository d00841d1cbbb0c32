package dev.explain4j.global;

import dev.explain4j.core.Limits;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import dev.explain4j.perturbation.BatchedEvaluator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * What partial dependence, ICE and ALE share: the model's output for one class on copies of the data rows in which
 * one or two features are set to planned values. All copies are stacked into one stream that
 * {@link BatchedEvaluator} runs in calls of at most {@code batchSize} rows, so grid points × rows cost
 * ⌈total / batchSize⌉ model calls, and the numbers do not depend on the batch size (each row is computed alone by
 * the model; no row sees another). Immutable.
 *
 * @param target       the output index whose value is averaged
 * @param featureNames one name per flattened column, or null for x0, x1, ...
 */
record FeatureSweep(ExplainableModel model, int target, int batchSize, List<String> featureNames) {

    /** Which data row stacked row t copies, and the value its k-th swept feature takes. */
    interface Plan {
        int row(long t);

        double value(long t, int k);
    }

    static FeatureSweep of(ExplainableModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        return new FeatureSweep(model, 0, BatchedEvaluator.DEFAULT_BATCH_SIZE, null);
    }

    FeatureSweep withTarget(int target) {
        if (target < 0 || target >= model.outputSize()) {
            throw new IllegalArgumentException("target " + target + " is out of range: the model has " + model.outputSize()
                    + " outputs (0.." + (model.outputSize() - 1) + ")");
        }
        return new FeatureSweep(model, target, batchSize, featureNames);
    }

    FeatureSweep withBatchSize(int batchSize) {
        return new FeatureSweep(model, target, BatchedEvaluator.checkBatchSize(batchSize), featureNames);
    }

    FeatureSweep withFeatureNames(List<String> names) {
        return new FeatureSweep(model, target, batchSize, names == null ? null : List.copyOf(names));
    }

    /** The data as one flattened row of doubles per sample, after checking it fits the model. */
    double[][] rows(INDArray data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        Inputs.checkShape(data, model.inputShape(), "data");
        return Inputs.rowsAsDoubles(data.reshape('c', data.size(0), -1));
    }

    /** Fails unless {@code feature} is a column of rows {@code width} wide; the message names the feature. */
    void checkFeature(int feature, int width) {
        if (feature < 0 || feature >= width) {
            throw new IllegalArgumentException("feature " + feature + " is out of range: the rows have " + width
                    + " features (0.." + (width - 1) + ")");
        }
    }

    /**
     * The values as the model will see them (a float model rounds 5.41 to 5.409999847...), so that a grid reports
     * exactly the points the model was evaluated at.
     */
    double[] inModelType(double[] values) {
        return Nd4j.createFromArray(values).castTo(model.dataType()).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .toDoubleVector();
    }

    String name(int feature) {
        return featureNames != null && featureNames.size() > feature ? featureNames.get(feature) : "x" + feature;
    }

    /**
     * f_target of {@code total} stacked copies of the rows, copy t being row {@code plan.row(t)} with
     * {@code features[k]} set to {@code plan.value(t, k)}.
     */
    double[] outputs(double[][] x, int[] features, long total, Plan plan) {
        if (total > Limits.MAX_EFFECT_EVALUATIONS) {
            throw new IllegalArgumentException(total + " model evaluations (grid points × rows) are more than the "
                    + Limits.MAX_EFFECT_EVALUATIONS + " held at once; use fewer grid points or rows");
        }
        double[] out = new double[(int) total];
        new BatchedEvaluator(model, batchSize).evaluate(total, (first, count) -> {
            double[][] rows = new double[count][];
            for (int i = 0; i < count; i++) {
                long t = first + i;
                rows[i] = x[plan.row(t)].clone();
                for (int k = 0; k < features.length; k++) {
                    rows[i][features[k]] = plan.value(t, k);
                }
            }
            return Nd4j.create(rows).castTo(model.dataType());
        }, (first, outputs) -> {
            double[] column = outputs.getColumn(target).dup().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
            System.arraycopy(column, 0, out, (int) first, column.length);
        });
        return out;
    }
}
