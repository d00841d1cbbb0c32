package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Integrated Gradients (Sundararajan et al. 2017): (x − b) ⊙ ∫₀¹ ∂f/∂x(b + α(x − b)) dα, by a quadrature
 * {@link IntegrationRule} (Gauss–Legendre, 50 steps by default, as in Captum).
 *
 * <p>The path starts at the {@link #withReference reference} b, one row per input row ({@link Reference#resolve}:
 * zeros by default, a distribution by its weighted mean). Steps × rows are stacked and cut into chunks of
 * {@link #withBatchSize batch size} points (by default as many as the model's memory budget allows), one
 * forward+backward per chunk. Every result carries the reference and the per-row completeness delta
 * Σ attributions − (f(x) − f(b)).
 *
 * <p>{@link #withAdaptiveSteps Adaptive mode} doubles the steps of the rows whose |delta| exceeds tolerance · |f(x) − f(b)|
 * until they meet it or reach a step cap, and reports the steps each row used.
 */
public final class IntegratedGradients extends ReferenceAttribution {
    /** Deltas below this are at the resolution of float32 outputs: adaptive mode treats them as met. */
    private static final double DELTA_FLOOR = 1e-7;

    private final int steps;
    private final IntegrationRule rule;
    private final int internalBatchSize;
    private final double tolerance;
    private final int maxSteps;

    private IntegratedGradients(NetworkModel model, int steps, IntegrationRule rule, Reference reference,
                                int internalBatchSize, double tolerance, int maxSteps) {
        super(model, reference);
        rule.checkSteps(steps);
        if (internalBatchSize < 0) {
            throw new IllegalArgumentException("internal batch size must be ≥ 1 (or 0 for the default), got " + internalBatchSize);
        }
        this.steps = steps;
        this.rule = rule;
        this.internalBatchSize = internalBatchSize;
        this.tolerance = tolerance;
        this.maxSteps = maxSteps;
    }

    /** 50 Gauss–Legendre steps from a zero reference. */
    public static IntegratedGradients of(NetworkModel model) {
        return new IntegratedGradients(model, 50, IntegrationRule.GAUSS_LEGENDRE, Reference.zeros(), 0, 0, 0);
    }

    public IntegratedGradients withSteps(int n) {
        return new IntegratedGradients(model, n, rule, reference, internalBatchSize, tolerance, maxSteps);
    }

    public IntegratedGradients withRule(IntegrationRule r) {
        return new IntegratedGradients(model, steps, r, reference, internalBatchSize, tolerance, maxSteps);
    }

    /** Where the paths start: one reference row per input row, or one for all. */
    public IntegratedGradients withReference(Reference r) {
        return new IntegratedGradients(model, steps, rule, Objects.requireNonNull(r, "reference"),
                internalBatchSize, tolerance, maxSteps);
    }

    /** Points per forward+backward pass; 0 for the default from the model's memory budget. */
    public IntegratedGradients withBatchSize(int points) {
        return new IntegratedGradients(model, steps, rule, reference, points, tolerance, maxSteps);
    }

    /**
     * Doubles a row's steps until |delta| ≤ tolerance · |f(x) − f(b)| (or ≤ 1e-7) or the steps would pass
     * {@code maxSteps}.
     */
    public IntegratedGradients withAdaptiveSteps(double relativeTolerance, int maxSteps) {
        if (!(relativeTolerance > 0) || maxSteps < steps) {
            throw new IllegalArgumentException("adaptive mode needs a tolerance > 0 and a step cap ≥ the starting steps ("
                    + steps + "), got " + relativeTolerance + " and " + maxSteps);
        }
        Limits.check("max-steps (" + rule.cliName() + ")", maxSteps, steps, rule.maximumSteps());
        return new IntegratedGradients(model, steps, rule, reference, internalBatchSize, relativeTolerance, maxSteps);
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        INDArray x = inputs.castTo(model.dataType());
        INDArray b = reference.resolve(x, model);
        int n = (int) x.size(0);
        INDArray outputs = model.predict(Nd4j.concat(0, x, b));
        int[] targets = target.resolve(outputs.get(NDArrayIndex.interval(0, n)));
        double[] fx = new double[n];
        double[] fb = new double[n];
        for (int r = 0; r < n; r++) {
            fx[r] = outputs.getDouble(r, targets[r]);
            fb[r] = outputs.getDouble(n + r, targets[r]);
        }
        int[] stepsUsed = new int[n];
        Arrays.fill(stepsUsed, steps);
        INDArray attributions = integrate(x, b, targets, IntStream.range(0, n).toArray(), steps);
        double[] delta = delta(attributions, fx, fb);
        int[] pending = adaptive() ? unmet(delta, fx, fb, stepsUsed) : new int[0];
        while (pending.length > 0) {
            int doubled = stepsUsed[pending[0]] * 2;
            INDArray again = integrate(x, b, targets, pending, doubled);
            for (int k = 0; k < pending.length; k++) {
                attributions.putSlice(pending[k], again.slice(k));
                stepsUsed[pending[k]] = doubled;
            }
            delta = delta(attributions, fx, fb);
            pending = unmet(delta, fx, fb, stepsUsed);
        }
        Attributions.Builder result = Attributions.builder(name(), attributions)
                .targets(targets).targetOutputs(fx).referenceOutputs(fb).completenessDelta(delta).reference(reference)
                .parameter("output-space", model.outputSpace().name().toLowerCase(Locale.ROOT))
                .parameter("steps", steps).parameter("integration", rule.cliName())
                .parameter("baseline", reference.describe());
        if (internalBatchSize > 0) {
            result.parameter("batch-size", internalBatchSize);
        }
        if (adaptive()) {
            result.parameter("tolerance", tolerance).parameter("max-steps", maxSteps).stepsUsed(stepsUsed);
        }
        return result.build();
    }

    private boolean adaptive() {
        return tolerance > 0;
    }

    /** Attributions of the given rows with the given number of steps, [rows.length, ...]. */
    private INDArray integrate(INDArray x, INDArray b, int[] targets, int[] rows, int n) {
        INDArray xs = select(x, rows);
        INDArray bs = select(b, rows);
        int[] rowTargets = Arrays.stream(rows).map(r -> targets[r]).toArray();
        return PathIntegral.accumulate(model, xs, bs, new StraightPaths(rule, rows.length, n), rowTargets, internalBatchSize);
    }

    /** One path per row, from its own reference row, with the rule's n points. */
    private record StraightPaths(IntegrationRule rule, int rows, int steps) implements PathIntegral.Paths {
        @Override
        public long count() {
            return rows;
        }

        @Override
        public int row(long path) {
            return (int) path;
        }

        @Override
        public int points(long path, int firstStep, int length, double[] alpha, double[] weight, int offset) {
            for (int i = 0; i < length; i++) {
                alpha[offset + i] = rule.alpha(firstStep + i, steps);
                weight[offset + i] = rule.weight(firstStep + i, steps);
            }
            return (int) path;
        }
    }

    private static INDArray select(INDArray batch, int[] rows) {
        if (rows.length == batch.size(0)) {
            return batch;
        }
        long[] shape = batch.shape().clone();
        shape[0] = rows.length;
        return Nd4j.pullRows(batch.reshape('c', batch.size(0), -1), 1, rows).reshape('c', shape);
    }

    private static double[] delta(INDArray attributions, double[] fx, double[] fb) {
        double[] sums = attributions.reshape(attributions.size(0), -1).sum(1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
        for (int r = 0; r < sums.length; r++) {
            sums[r] -= fx[r] - fb[r];
        }
        return sums;
    }

    private int[] unmet(double[] delta, double[] fx, double[] fb, int[] stepsUsed) {
        return IntStream.range(0, delta.length)
                .filter(r -> Math.abs(delta[r]) > Math.max(tolerance * Math.abs(fx[r] - fb[r]), DELTA_FLOOR))
                .filter(r -> stepsUsed[r] * 2 <= maxSteps)
                .toArray();
    }

    @Override
    public String name() {
        return "integrated-gradients";
    }
}
