package dev.explain4j.metrics;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import dev.explain4j.perturbation.BatchedEvaluator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Infidelity (Yeh et al. 2019, as Captum's {@code infidelity} computes it): for each row, the mean over perturbations
 * I of (Σ_i a_i I_i − (f(x) − f(x − I)))², the squared error of the attributions read as a linear model of how the
 * output answers a perturbation. 0 for attributions that predict every perturbation's effect exactly.
 *
 * <p>Two kinds of perturbation, matching the two kinds of attribution:
 * <ul>
 *   <li>{@link #local}: I ~ N(0, σ²) per feature, for attributions that do not factor in the input (saliency,
 *       gradient);</li>
 *   <li>{@link #relativeToBaseline}: x − I = x − ε ⊙ (x − b) with ε ~ N(0, σ²), and the attributions are weighed
 *       by ε: Captum's {@code infidelity_perturb_func_decorator(multiply_by_inputs=True)}, for attributions that
 *       already hold the factor (x − b) (Integrated Gradients, gradient × input, Shapley values, ablation).</li>
 * </ul>
 * Noise is drawn from the seed, all perturbed rows go through the model in batches.
 */
public final class Infidelity {
    private final ExplainableModel model;
    private final double sigma;
    private final int samples;
    private final long seed;
    private final INDArray baseline;
    private final int batchSize;

    private Infidelity(ExplainableModel model, double sigma, int samples, long seed, INDArray baseline, int batchSize) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("infidelity needs a noise σ > 0, got " + sigma);
        }
        Limits.check("samples", samples, 1, Limits.MAX_SAMPLES);
        this.model = model;
        this.sigma = sigma;
        this.samples = samples;
        this.seed = seed;
        this.baseline = baseline;
        this.batchSize = BatchedEvaluator.checkBatchSize(batchSize);
    }

    /** Gaussian perturbations of the input itself; σ = 0.003 as in Captum's documented example, 10 samples. */
    public static Infidelity local(ExplainableModel model) {
        return new Infidelity(model, 0.003, 10, 0, null, BatchedEvaluator.DEFAULT_BATCH_SIZE);
    }

    /** Perturbations along x − b, the baseline one row [1, ...] or one per input row; σ 0.1, 10 samples. */
    public static Infidelity relativeToBaseline(ExplainableModel model, INDArray baseline) {
        return new Infidelity(model, 0.1, 10, 0, baseline.dup(), BatchedEvaluator.DEFAULT_BATCH_SIZE);
    }

    public Infidelity withSigma(double sigma) {
        return new Infidelity(model, sigma, samples, seed, baseline, batchSize);
    }

    public Infidelity withSamples(int samples) {
        return new Infidelity(model, sigma, samples, seed, baseline, batchSize);
    }

    public Infidelity withSeed(long seed) {
        return new Infidelity(model, sigma, samples, seed, baseline, batchSize);
    }

    public Infidelity withBatchSize(int rows) {
        return new Infidelity(model, sigma, samples, seed, baseline, rows);
    }

    /**
     * @param inputs       the rows that were explained, [n, ...the model's input shape]
     * @param attributions their attributions (same shape), with the explained target per row
     * @return infidelity per row
     */
    public double[] compute(INDArray inputs, Attributions attributions) {
        Inputs.checkShape(inputs, model.inputShape(), "inputs");
        int n = (int) inputs.size(0);
        int[] targets = attributions.targets().orElseThrow(() -> new IllegalArgumentException(
                "infidelity needs the target each row explained; the " + attributions.method() + " result has none"));
        if (attributions.rows() != n) {
            throw new IllegalArgumentException("got " + attributions.rows() + " attribution rows for " + n + " inputs");
        }
        double[][] x = flat(inputs);
        int d = x[0].length;
        double[][] b = baseline == null ? null : baselineRows(n, d);
        double[][] a = new double[n][];
        for (int r = 0; r < n; r++) {
            a[r] = attributions.row(r);
            if (a[r].length != d) {
                throw new IllegalArgumentException("attributions have " + a[r].length + " values per row, the inputs " + d);
            }
        }
        BatchedEvaluator evaluator = new BatchedEvaluator(model, batchSize);
        double[][] out = evaluator.evaluateAll(n, (first, count) -> Nd4j.createFromArray(Arrays.copyOfRange(x, (int) first, (int) first + count)));
        // the perturbed rows are made batch by batch; the noise of row r, sample s is drawn in that order from one
        // stream, so results do not depend on the batch size, and nothing grows with rows × samples
        SplittableRandom random = new SplittableRandom(seed);
        double[] predicted = new double[evaluator.batchSize()];
        double[] result = new double[n];
        evaluator.evaluate((long) n * samples, (first, count) -> {
            double[][] rows = new double[count][];
            for (int i = 0; i < count; i++) {
                int r = (int) ((first + i) / samples);
                double[] row = x[r].clone();
                predicted[i] = 0;
                for (int f = 0; f < d; f++) {
                    double eps = sigma * random.nextGaussian();
                    predicted[i] += a[r][f] * eps;
                    row[f] -= b == null ? eps : eps * (x[r][f] - b[r][f]);
                }
                rows[i] = row;
            }
            return Nd4j.createFromArray(rows);
        }, (first, outputs) -> {
            for (int i = 0; i < outputs.size(0); i++) {
                int r = (int) ((first + i) / samples);
                double change = out[r][targets[r]] - outputs.getDouble(i, targets[r]);
                double e = predicted[i] - change;
                result[r] += e * e / samples;
            }
        });
        return result;
    }

    private double[][] baselineRows(int n, int d) {
        double[][] rows = flat(baseline);
        if (rows[0].length != d || (rows.length != 1 && rows.length != n)) {
            throw new IllegalArgumentException("the baseline has " + rows.length + " rows of " + rows[0].length
                    + " values; expected 1 or " + n + " rows of " + d);
        }
        if (rows.length == n) {
            return rows;
        }
        double[][] repeated = new double[n][];
        Arrays.fill(repeated, rows[0]);
        return repeated;
    }

    static double[][] flat(INDArray batch) {
        return Inputs.rowsAsDoubles(batch);
    }
}
