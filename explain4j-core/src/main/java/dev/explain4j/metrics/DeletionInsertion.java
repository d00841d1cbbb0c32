package dev.explain4j.metrics;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.core.Reference;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import dev.explain4j.perturbation.BatchedEvaluator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Deletion and insertion curves (Petsiuk et al. 2018, RISE): features are taken in attribution order, largest
 * attribution first. Deletion replaces them one share at a time by the reference, starting from the input; insertion
 * puts them one share at a time into the reference, starting from the reference. Each curve is f_target at
 * {@code steps} + 1 evenly spaced shares 0, 1/steps, …, 1 of the features; its AUC is the trapezoid area over the
 * share axis [0, 1]. Good attributions give a low deletion AUC (the output falls fast) and a high insertion AUC.
 *
 * <p>The reference is the one the result records ({@link Attributions#reference()}, resolved per row: one row for
 * all, one per input row, a distribution at its weighted mean), or {@link #withReference} given here, or zeros
 * (Captum's default baseline) for a result without one.
 */
public final class DeletionInsertion {
    /**
     * @param deletion     [row][steps + 1] f_target after deleting the first shares of features
     * @param insertion    [row][steps + 1] f_target after inserting them into the reference
     * @param deletionAuc  per row
     * @param insertionAuc per row
     */
    public record Result(String method, int steps, double[][] deletion, double[][] insertion, double[] deletionAuc,
                         double[] insertionAuc) {
        public double meanDeletionAuc() {
            return Arrays.stream(deletionAuc).average().orElse(Double.NaN);
        }

        public double meanInsertionAuc() {
            return Arrays.stream(insertionAuc).average().orElse(Double.NaN);
        }
    }

    private final ExplainableModel model;
    /** null: the result's reference, or zeros. */
    private final Reference reference;
    private final int steps;
    private final int batchSize;

    private DeletionInsertion(ExplainableModel model, Reference reference, int steps, int batchSize) {
        this.model = Objects.requireNonNull(model, "model");
        this.reference = reference;
        this.steps = steps;
        this.batchSize = BatchedEvaluator.checkBatchSize(batchSize);
    }

    /** The result's reference (zeros if it has none); one step per feature up to 100 features, else 100 steps. */
    public static DeletionInsertion of(ExplainableModel model) {
        return new DeletionInsertion(model, null, 0, BatchedEvaluator.DEFAULT_BATCH_SIZE);
    }

    /** Removed features take their values in this reference, whatever the result records. */
    public DeletionInsertion withReference(Reference r) {
        return new DeletionInsertion(model, Objects.requireNonNull(r, "reference"), steps, batchSize);
    }

    /** Points on each curve after the first; 0 for one per feature (at most 100). */
    public DeletionInsertion withSteps(int n) {
        Limits.check("steps (0 for the default)", n, 0, Limits.MAX_STEPS);
        return new DeletionInsertion(model, reference, n, batchSize);
    }

    public DeletionInsertion withBatchSize(int rows) {
        return new DeletionInsertion(model, reference, steps, rows);
    }

    /** The reference this metric deletes towards for {@code attributions}. */
    public Reference referenceFor(Attributions attributions) {
        return reference != null ? reference : attributions.reference().orElse(Reference.zeros());
    }

    public Result compute(INDArray inputs, Attributions attributions) {
        Inputs.checkShape(inputs, model.inputShape(), "inputs");
        int n = (int) inputs.size(0);
        int[] targets = attributions.targets().orElseThrow(() -> new IllegalArgumentException(
                "deletion/insertion needs the target each row explained; the " + attributions.method() + " result has none"));
        if (attributions.rows() != n) {
            throw new IllegalArgumentException("got " + attributions.rows() + " attribution rows for " + n + " inputs");
        }
        double[][] x = Infidelity.flat(inputs);
        int d = x[0].length;
        double[][] base = Infidelity.flat(referenceFor(attributions).resolve(inputs, model));
        int s = steps > 0 ? steps : Math.min(d, 100);
        int[][] order = new int[n][];
        for (int r = 0; r < n; r++) {
            double[] a = attributions.row(r);
            if (a.length != d) {
                throw new IllegalArgumentException("attributions have " + a.length + " values per row, the inputs " + d);
            }
            order[r] = IntStream.range(0, d).boxed().sorted(Comparator.comparingDouble((Integer f) -> -a[f])
                    .thenComparingInt(f -> f)).mapToInt(Integer::intValue).toArray();
        }
        int points = s + 1;
        // rows of the stream: row r, curve c (0 deletion, 1 insertion), point p
        long total = (long) n * 2 * points;
        double[][] deletion = new double[n][points];
        double[][] insertion = new double[n][points];
        // only each copy's target output is kept, straight into its curve: all outputs of the n · 2 · points copies
        // were held until the last batch
        BatchedEvaluator.RowSource copies = (first, count) -> {
            double[][] rows = new double[count][];
            for (int i = 0; i < count; i++) {
                long t = first + i;
                int r = (int) (t / (2 * points));
                int c = (int) (t / points % 2);
                int p = (int) (t % points);
                int k = (int) Math.round(p * (double) d / s);
                double[] row = (c == 0 ? x[r] : base[r]).clone();
                for (int j = 0; j < k; j++) {
                    int f = order[r][j];
                    row[f] = c == 0 ? base[r][f] : x[r][f];
                }
                rows[i] = row;
            }
            return Nd4j.createFromArray(rows);
        };
        new BatchedEvaluator(model, batchSize).evaluate(total, copies, (first, outputs) -> {
            double[][] block = Inputs.rowsAsDoubles(outputs);
            for (int i = 0; i < block.length; i++) {
                long t = first + i;
                int r = (int) (t / (2 * points));
                (t / points % 2 == 0 ? deletion : insertion)[r][(int) (t % points)] = block[i][targets[r]];
            }
        });
        double[] delAuc = new double[n];
        double[] insAuc = new double[n];
        for (int r = 0; r < n; r++) {
            delAuc[r] = trapezoid(deletion[r]);
            insAuc[r] = trapezoid(insertion[r]);
        }
        return new Result(attributions.method(), s, deletion, insertion, delAuc, insAuc);
    }

    /** Area under evenly spaced points over [0, 1]. */
    static double trapezoid(double[] curve) {
        int s = curve.length - 1;
        double area = 0;
        for (int p = 0; p < s; p++) {
            area += (curve[p] + curve[p + 1]) / 2 / s;
        }
        return area;
    }
}
