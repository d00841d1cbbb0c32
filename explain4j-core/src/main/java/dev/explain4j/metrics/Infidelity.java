package dev.explain4j.metrics;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.core.Reference;
import dev.explain4j.core.RowRandom;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import dev.explain4j.perturbation.BatchedEvaluator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Infidelity (Yeh et al. 2019, as Captum's {@code infidelity} computes it): for each row, the mean over perturbations
 * I of (Σ_i a_i I_i − (f(x) − f(x − I)))², the squared error of the attributions read as a linear model of how the
 * output answers a perturbation. 0 for attributions that predict every perturbation's effect exactly.
 *
 * <p>Two kinds of perturbation, matching the two kinds of attribution ({@link Perturbation}):
 * <ul>
 *   <li>{@link Perturbation#LOCAL}: I ~ N(0, σ²) per feature, for attributions that do not factor in the input
 *       (saliency, gradient); σ 0.003 by default, as in Captum's documented example;</li>
 *   <li>{@link Perturbation#ALONG_REFERENCE}: x − I = x − ε ⊙ (x − b) with ε ~ N(0, σ²), and the attributions are
 *       weighed by ε: Captum's {@code infidelity_perturb_func_decorator(multiply_by_inputs=True)}, for attributions
 *       that hold the factor (x − b) of a reference b (Integrated Gradients, gradient × input, Shapley values,
 *       ablation); σ 0.1 by default.</li>
 * </ul>
 * Unless set, the perturbation follows the result: along its {@link Attributions#reference() reference} when it
 * records one (b resolved per row, a distribution at its weighted mean), local otherwise. {@link #withReference}
 * replaces the result's reference.
 *
 * <p>Each row's noise comes from its own stream ({@link RowRandom}: the seed and the row's values), sample by sample,
 * feature by feature: a row's figure does not depend on the other rows of the call nor on the batch size. All
 * perturbed rows go through the model in batches; nothing grows with rows × samples.
 */
public final class Infidelity {

    /** How the inputs are perturbed. */
    public enum Perturbation {
        LOCAL(0.003), ALONG_REFERENCE(0.1);

        private final double defaultSigma;

        Perturbation(double defaultSigma) {
            this.defaultSigma = defaultSigma;
        }
    }

    private final ExplainableModel model;
    /** null: from the result (along its reference if it has one). */
    private final Perturbation perturbation;
    /** null: the perturbation's default. */
    private final Double sigma;
    private final int samples;
    private final long seed;
    /** null: the result's reference. */
    private final Reference reference;
    private final int batchSize;

    private Infidelity(ExplainableModel model, Perturbation perturbation, Double sigma, int samples, long seed,
                       Reference reference, int batchSize) {
        if (sigma != null && !(sigma > 0)) {
            throw new IllegalArgumentException("infidelity needs a noise σ > 0, got " + sigma);
        }
        Limits.check("samples", samples, 1, Limits.MAX_SAMPLES);
        this.model = Objects.requireNonNull(model, "model");
        this.perturbation = perturbation;
        this.sigma = sigma;
        this.samples = samples;
        this.seed = seed;
        this.reference = reference;
        this.batchSize = BatchedEvaluator.checkBatchSize(batchSize);
    }

    /** 10 samples, seed 0, the perturbation and σ chosen from each result. */
    public static Infidelity of(ExplainableModel model) {
        return new Infidelity(model, null, null, 10, 0, null, BatchedEvaluator.DEFAULT_BATCH_SIZE);
    }

    /** Always this kind of perturbation, whatever the result records. */
    public Infidelity withPerturbation(Perturbation p) {
        return new Infidelity(model, Objects.requireNonNull(p, "perturbation"), sigma, samples, seed, reference, batchSize);
    }

    /** Perturb along x − this reference (implies {@link Perturbation#ALONG_REFERENCE} unless set otherwise). */
    public Infidelity withReference(Reference r) {
        return new Infidelity(model, perturbation, sigma, samples, seed, Objects.requireNonNull(r, "reference"), batchSize);
    }

    public Infidelity withSigma(double s) {
        return new Infidelity(model, perturbation, s, samples, seed, reference, batchSize);
    }

    public Infidelity withSamples(int n) {
        return new Infidelity(model, perturbation, sigma, n, seed, reference, batchSize);
    }

    public Infidelity withSeed(long s) {
        return new Infidelity(model, perturbation, sigma, samples, s, reference, batchSize);
    }

    public Infidelity withBatchSize(int rows) {
        return new Infidelity(model, perturbation, sigma, samples, seed, reference, rows);
    }

    /** The perturbation this metric applies to {@code attributions}. */
    public Perturbation perturbationFor(Attributions attributions) {
        if (perturbation != null) {
            return perturbation;
        }
        return referenceFor(attributions).isPresent() ? Perturbation.ALONG_REFERENCE : Perturbation.LOCAL;
    }

    private Optional<Reference> referenceFor(Attributions attributions) {
        return reference != null ? Optional.of(reference) : attributions.reference();
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
        Perturbation kind = perturbationFor(attributions);
        double s = sigma != null ? sigma : kind.defaultSigma;
        double[][] x = flat(inputs);
        int d = x[0].length;
        double[][] b = kind == Perturbation.LOCAL ? null : flat(referenceFor(attributions).orElseThrow(
                () -> new IllegalArgumentException("infidelity along the reference needs one: the " + attributions.method()
                        + " result records none; give it with withReference")).resolve(inputs, model));
        double[][] a = new double[n][];
        SplittableRandom[] random = new SplittableRandom[n];
        for (int r = 0; r < n; r++) {
            a[r] = attributions.row(r);
            if (a[r].length != d) {
                throw new IllegalArgumentException("attributions have " + a[r].length + " values per row, the inputs " + d);
            }
            random[r] = RowRandom.of(seed, x[r]);
        }
        BatchedEvaluator evaluator = new BatchedEvaluator(model, batchSize);
        double[][] out = evaluator.evaluateAll(n, (first, count) -> Nd4j.createFromArray(Arrays.copyOfRange(x, (int) first, (int) first + count)));
        // the perturbed rows are made batch by batch, row r's samples in order from its own stream
        double[] predicted = new double[evaluator.batchSize()];
        double[] result = new double[n];
        evaluator.evaluate((long) n * samples, (first, count) -> {
            double[][] rows = new double[count][];
            for (int i = 0; i < count; i++) {
                int r = (int) ((first + i) / samples);
                double[] row = x[r].clone();
                predicted[i] = 0;
                for (int f = 0; f < d; f++) {
                    double eps = s * random[r].nextGaussian();
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

    static double[][] flat(INDArray batch) {
        return Inputs.rowsAsDoubles(batch);
    }
}
