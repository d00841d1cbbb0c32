package dev.explain4j.global;

import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import dev.explain4j.perturbation.BatchedEvaluator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.SplittableRandom;

/**
 * Permutation feature importance over a labelled data set: how much a metric worsens when one feature's column is
 * shuffled, breaking its link to the labels. Each feature is shuffled {@code repeats} times (seeded); the result
 * gives the mean and standard deviation of the drop. All shuffled copies run through the model in one batched
 * stream.
 */
public final class PermutationImportance {
    /** A score of the model's outputs [n, k] against the labels. */
    public interface Metric {
        double score(double[][] outputs, double[][] labels);

        /** True for scores like accuracy, false for losses. */
        boolean higherIsBetter();

        String name();

        /** Share of rows whose arg-max output is the label (a class index [n] / [n,1], or one-hot [n, k]). */
        Metric ACCURACY = of("accuracy", true, (out, labels) -> {
            int hits = 0;
            for (int r = 0; r < out.length; r++) {
                hits += argMax(out[r]) == labelClass(labels[r]) ? 1 : 0;
            }
            return hits / (double) out.length;
        });

        /** Mean −log p(label), probabilities clipped to [1e-15, 1 − 1e-15] as scikit-learn does. */
        Metric LOG_LOSS = of("log-loss", false, (out, labels) -> {
            double sum = 0;
            for (int r = 0; r < out.length; r++) {
                double p = Math.min(Math.max(out[r][labelClass(labels[r])], 1e-15), 1 - 1e-15);
                sum -= Math.log(p);
            }
            return sum / out.length;
        });

        /** Mean squared error over rows and outputs; labels [n, k] like the outputs. */
        Metric MSE = of("mse", false, (out, labels) -> {
            double sum = 0;
            long count = 0;
            for (int r = 0; r < out.length; r++) {
                for (int k = 0; k < out[r].length; k++) {
                    double e = out[r][k] - labels[r][k];
                    sum += e * e;
                    count++;
                }
            }
            return sum / count;
        });

        /** A user-given metric. */
        static Metric of(String name, boolean higherIsBetter, java.util.function.ToDoubleBiFunction<double[][], double[][]> score) {
            return new Metric() {
                @Override
                public double score(double[][] outputs, double[][] labels) {
                    return score.applyAsDouble(outputs, labels);
                }

                @Override
                public boolean higherIsBetter() {
                    return higherIsBetter;
                }

                @Override
                public String name() {
                    return name;
                }
            };
        }

        private static int argMax(double[] v) {
            int best = 0;
            for (int i = 1; i < v.length; i++) {
                if (v[i] > v[best]) {
                    best = i;
                }
            }
            return best;
        }

        private static int labelClass(double[] label) {
            return label.length == 1 ? (int) Math.round(label[0]) : argMax(label);
        }
    }

    /**
     * @param baselineScore the metric on the unshuffled data
     * @param drops         [feature][repeat]: how much worse the metric got (positive = the feature mattered)
     * @param mean          mean drop per feature
     * @param std           standard deviation of the drop per feature (population, as scikit-learn reports it)
     */
    public record Result(String metric, double baselineScore, double[][] drops, double[] mean, double[] std, long seed) {
        public Result {
            drops = Copies.of(drops);
            mean = mean.clone();
            std = std.clone();
        }

        @Override
        public double[][] drops() {
            return Copies.of(drops);
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        @Override
        public double[] std() {
            return std.clone();
        }

        /** Feature indices from most to least important. */
        public int[] ranking() {
            return java.util.stream.IntStream.range(0, mean.length).boxed()
                    .sorted((a, b) -> Double.compare(mean[b], mean[a])).mapToInt(Integer::intValue).toArray();
        }
    }

    private final ExplainableModel model;
    private final Metric metric;
    private final int repeats;
    private final long seed;
    private final int batchSize;

    private PermutationImportance(ExplainableModel model, Metric metric, int repeats, long seed, int batchSize) {
        this.model = model;
        this.metric = metric;
        this.repeats = repeats;
        this.seed = seed;
        this.batchSize = batchSize;
    }

    /** Accuracy, 5 shuffles per feature, seed 0. */
    public static PermutationImportance of(ExplainableModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        return new PermutationImportance(model, Metric.ACCURACY, 5, 0, BatchedEvaluator.DEFAULT_BATCH_SIZE);
    }

    /** The score whose drop is measured (default accuracy). */
    public PermutationImportance withMetric(Metric metric) {
        if (metric == null) {
            throw new IllegalArgumentException("metric must not be null");
        }
        return new PermutationImportance(model, metric, repeats, seed, batchSize);
    }

    /** Shuffles per feature (default 5). */
    public PermutationImportance withRepeats(int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }
        return new PermutationImportance(model, metric, repeats, seed, batchSize);
    }

    /** Seeds the shuffles (default 0). */
    public PermutationImportance withSeed(long seed) {
        return new PermutationImportance(model, metric, repeats, seed, batchSize);
    }

    /** Rows per forward pass over the stream of shuffled copies. */
    public PermutationImportance withBatchSize(int batchSize) {
        return new PermutationImportance(model, metric, repeats, seed, BatchedEvaluator.checkBatchSize(batchSize));
    }

    /**
     * @param data   [n, ...the model's input shape]; features are the flattened columns
     * @param labels [n] or [n, k]
     */
    public Result compute(INDArray data, INDArray labels) {
        Inputs.checkShape(data, model.inputShape(), "data");
        int n = (int) data.size(0);
        if (labels == null || labels.size(0) != n) {
            throw new IllegalArgumentException("labels have " + (labels == null ? 0 : labels.size(0)) + " rows, the data has " + n);
        }
        double[][] y = Inputs.rowsAsDoubles(labels);
        INDArray x = data.castTo(model.dataType()).dup('c').reshape('c', n, -1);
        int d = (int) x.size(1);
        double[][] xs = Inputs.rowsAsDoubles(x);
        // one permutation of the rows per (feature, repeat), drawn in that order from the seed as the stream reaches
        // its copy; each copy is scored as soon as its outputs are in: nothing is held per copy beyond the current one
        SplittableRandom rng = new SplittableRandom(seed);
        int copies = d * repeats;
        int[][] perm = new int[1][];
        long[] permOf = {0};
        double[][] copyOutputs = new double[n][];
        double[] scores = new double[1 + copies];
        long total = (long) n * (1 + copies);
        BatchedEvaluator evaluator = new BatchedEvaluator(model, batchSize);
        evaluator.evaluate(total, (first, count) -> {
            if (first + count <= n) {
                return x.get(NDArrayIndex.interval(first, first + count), NDArrayIndex.all());
            }
            double[][] rows = new double[count][];
            for (int i = 0; i < count; i++) {
                long t = first + i;
                int copy = (int) (t / n);
                int r = (int) (t % n);
                rows[i] = xs[r];
                if (copy > 0) {
                    if (permOf[0] != copy) {
                        perm[0] = shuffled(rng, n);
                        permOf[0] = copy;
                    }
                    int feature = (copy - 1) / repeats;
                    rows[i] = xs[r].clone();
                    rows[i][feature] = xs[perm[0][r]][feature];
                }
            }
            return Nd4j.create(rows).castTo(model.dataType());
        }, (first, outputs) -> {
            double[][] block = Inputs.rowsAsDoubles(outputs);
            for (int i = 0; i < block.length; i++) {
                long t = first + i;
                int r = (int) (t % n);
                copyOutputs[r] = block[i];
                if (r == n - 1) {
                    scores[(int) (t / n)] = metric.score(copyOutputs.clone(), y);
                }
            }
        });
        double base = scores[0];
        double[][] drops = new double[d][repeats];
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int k = 0; k < copies; k++) {
            double score = scores[k + 1];
            drops[k / repeats][k % repeats] = metric.higherIsBetter() ? base - score : score - base;
        }
        for (int f = 0; f < d; f++) {
            for (double v : drops[f]) {
                mean[f] += v / repeats;
            }
            for (double v : drops[f]) {
                std[f] += (v - mean[f]) * (v - mean[f]) / repeats;
            }
            std[f] = Math.sqrt(std[f]);
        }
        return new Result(metric.name(), base, drops, mean, std, seed);
    }

    /** 0..n−1 shuffled by Fisher–Yates from the end, one draw per position. */
    private static int[] shuffled(SplittableRandom rng, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
