package dev.explain4j.perturbation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The weighted linear surrogate LIME fits: weighted ridge regression with an intercept (scikit-learn's Ridge with
 * sample weights), its weighted R², and LIME's feature selection rules. Shared by {@link Lime} and {@link LimeImage}.
 */
final class LocalSurrogate {
    /** How LIME picks the features of the surrogate. */
    enum Selection { AUTO, FORWARD, HIGHEST_WEIGHTS, NONE }

    final double intercept;
    /** Coefficient per column of the neighbourhood data; 0 for columns not selected. */
    final double[] coefficients;
    final int[] selected;
    final double score;
    final double localPrediction;

    private LocalSurrogate(double intercept, double[] coefficients, int[] selected, double score, double localPrediction) {
        this.intercept = intercept;
        this.coefficients = coefficients;
        this.selected = selected;
        this.score = score;
        this.localPrediction = localPrediction;
    }

    /** Kernel √exp(−d²/width²), LIME's default. */
    static double kernel(double distance, double width) {
        return Math.sqrt(Math.exp(-(distance * distance) / (width * width)));
    }

    /**
     * Selects features, fits the ridge (α = 1) on them and scores it; the local prediction is the surrogate's value at
     * row 0 of {@code data} (the explained instance).
     */
    static LocalSurrogate explain(double[][] data, double[] y, double[] w, int numFeatures, Selection selection) {
        int[] used = select(data, y, w, numFeatures, selection);
        Fit fit = Fit.of(columns(data, used), y, w, 1.0);
        double[] coefficients = new double[data[0].length];
        double local = fit.intercept;
        for (int i = 0; i < used.length; i++) {
            coefficients[used[i]] = fit.beta[i];
            local += fit.beta[i] * data[0][used[i]];
        }
        return new LocalSurrogate(fit.intercept, coefficients, used, fit.score(columns(data, used), y, w), local);
    }

    static int[] select(double[][] data, double[] y, double[] w, int numFeatures, Selection selection) {
        int d = data[0].length;
        switch (selection) {
            case NONE:
                return range(d);
            case AUTO:
                return select(data, y, w, numFeatures, numFeatures <= 6 ? Selection.FORWARD : Selection.HIGHEST_WEIGHTS);
            case FORWARD: {
                List<Integer> used = new ArrayList<>();
                for (int round = 0; round < Math.min(numFeatures, d); round++) {
                    double best = -1e8;
                    int bestFeature = 0;
                    for (int f = 0; f < d; f++) {
                        if (used.contains(f)) {
                            continue;
                        }
                        int[] trial = new int[used.size() + 1];
                        for (int i = 0; i < used.size(); i++) {
                            trial[i] = used.get(i);
                        }
                        trial[used.size()] = f;
                        double[][] sub = columns(data, trial);
                        double score = Fit.of(sub, y, w, 0.0).score(sub, y, w);
                        if (score > best) {
                            best = score;
                            bestFeature = f;
                        }
                    }
                    used.add(bestFeature);
                }
                return used.stream().mapToInt(Integer::intValue).toArray();
            }
            case HIGHEST_WEIGHTS: {
                Fit fit = Fit.of(data, y, w, 0.01);
                Integer[] order = new Integer[d];
                for (int i = 0; i < d; i++) {
                    order[i] = i;
                }
                double[] weighted = new double[d];
                for (int i = 0; i < d; i++) {
                    weighted[i] = fit.beta[i] * data[0][i];
                }
                // stable sort, like Python's sorted: ties keep feature order
                Arrays.sort(order, (a, b) -> Double.compare(Math.abs(weighted[b]), Math.abs(weighted[a])));
                int k = Math.min(numFeatures, d);
                int[] out = new int[k];
                for (int i = 0; i < k; i++) {
                    out[i] = order[i];
                }
                return out;
            }
            default:
                throw new IllegalStateException(selection.toString());
        }
    }

    private static int[] range(int d) {
        int[] all = new int[d];
        for (int i = 0; i < d; i++) {
            all[i] = i;
        }
        return all;
    }

    private static double[][] columns(double[][] data, int[] cols) {
        double[][] out = new double[data.length][cols.length];
        for (int r = 0; r < data.length; r++) {
            for (int i = 0; i < cols.length; i++) {
                out[r][i] = data[r][cols[i]];
            }
        }
        return out;
    }

    /** A weighted ridge fit with intercept: centre by weighted means, solve (XᵀWX + αI)β = XᵀW(y − ȳ). */
    static final class Fit {
        final double intercept;
        final double[] beta;

        private Fit(double intercept, double[] beta) {
            this.intercept = intercept;
            this.beta = beta;
        }

        static Fit of(double[][] data, double[] y, double[] w, double alpha) {
            int k = data[0].length;
            INDArray xs = Nd4j.create(data).castTo(DataType.DOUBLE);
            INDArray ys = Nd4j.create(y, new long[]{y.length, 1}, DataType.DOUBLE);
            INDArray ws = Nd4j.create(w, new long[]{w.length, 1}, DataType.DOUBLE);
            double weightSum = ws.sumNumber().doubleValue();
            INDArray xMean = xs.mulColumnVector(ws).sum(0).divi(weightSum);
            double yMean = ys.mul(ws).sumNumber().doubleValue() / weightSum;
            INDArray centred = xs.subRowVector(xMean);
            INDArray weighted = centred.mulColumnVector(ws);
            INDArray normal = weighted.transpose().mmul(centred).addi(Nd4j.eye(k).castTo(DataType.DOUBLE).muli(alpha));
            INDArray rhs = weighted.transpose().mmul(ys.sub(yMean));
            double[] beta = NormalEquations.solve(normal, rhs);
            double intercept = yMean;
            double[] means = xMean.reshape(-1).toDoubleVector();
            for (int i = 0; i < k; i++) {
                intercept -= means[i] * beta[i];
            }
            return new Fit(intercept, beta);
        }

        /** Weighted R² of this fit on (data, y). */
        double score(double[][] data, double[] y, double[] w) {
            double weightSum = 0;
            double yMean = 0;
            for (int r = 0; r < y.length; r++) {
                weightSum += w[r];
                yMean += w[r] * y[r];
            }
            yMean /= weightSum;
            double residual = 0;
            double spread = 0;
            for (int r = 0; r < y.length; r++) {
                double prediction = intercept;
                for (int i = 0; i < beta.length; i++) {
                    prediction += beta[i] * data[r][i];
                }
                residual += w[r] * (y[r] - prediction) * (y[r] - prediction);
                spread += w[r] * (y[r] - yMean) * (y[r] - yMean);
            }
            return spread == 0 ? (residual == 0 ? 1.0 : 0.0) : 1 - residual / spread;
        }
    }
}
