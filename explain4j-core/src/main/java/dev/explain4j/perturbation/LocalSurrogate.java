package dev.explain4j.perturbation;

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
    final double score;
    final double localPrediction;

    private LocalSurrogate(double intercept, double[] coefficients, double score, double localPrediction) {
        this.intercept = intercept;
        this.coefficients = coefficients;
        this.score = score;
        this.localPrediction = localPrediction;
    }

    /** Refuses fewer than one feature for the surrogate. */
    static int checkMaxFeatures(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("max features must be at least 1, got " + k);
        }
        return k;
    }

    /** Refuses a kernel width that is not positive. */
    static double checkKernelWidth(double width) {
        if (!(width > 0) || !Double.isFinite(width)) {
            throw new IllegalArgumentException("kernel width must be > 0, got " + width);
        }
        return width;
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
        Neighbourhood neighbourhood = new Neighbourhood(data, y, w);
        int[] used = select(neighbourhood, numFeatures, selection);
        Fit fit = neighbourhood.fit(used, 1.0);
        double[] coefficients = new double[data[0].length];
        double local = fit.intercept;
        for (int i = 0; i < used.length; i++) {
            coefficients[used[i]] = fit.beta[i];
            local += fit.beta[i] * data[0][used[i]];
        }
        return new LocalSurrogate(fit.intercept, coefficients, neighbourhood.score(fit), local);
    }

    private static int[] select(Neighbourhood neighbourhood, int numFeatures, Selection selection) {
        int d = neighbourhood.features();
        switch (selection) {
            case NONE:
                return range(d);
            case AUTO:
                return select(neighbourhood, numFeatures, numFeatures <= 6 ? Selection.FORWARD : Selection.HIGHEST_WEIGHTS);
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
                        double score = neighbourhood.score(neighbourhood.fit(trial, 0.0));
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
                Fit fit = neighbourhood.fit(range(d), 0.01);
                Integer[] order = new Integer[d];
                for (int i = 0; i < d; i++) {
                    order[i] = i;
                }
                double[] weighted = new double[d];
                for (int i = 0; i < d; i++) {
                    weighted[i] = fit.beta[i] * neighbourhood.data[0][i];
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

    /** A weighted ridge fit with intercept on some columns of a {@link Neighbourhood}. */
    private static final class Fit {
        final int[] columns;
        final double intercept;
        final double[] beta;

        Fit(int[] columns, double intercept, double[] beta) {
            this.columns = columns;
            this.intercept = intercept;
            this.beta = beta;
        }
    }

    /**
     * The neighbourhood (rows × features, targets, weights) with its weighted means, and the centred weighted Gram
     * matrix XᵀWX and moments XᵀW(y − ȳ) of all features, computed once: a fit on any subset of the features (forward
     * selection tries many) then only solves a small system.
     */
    private static final class Neighbourhood {
        final double[][] data;
        private final double[] y;
        private final double[] w;
        private final double yMean;
        private final double[] means;
        private final double[][] gram;
        private final double[] moments;

        Neighbourhood(double[][] data, double[] y, double[] w) {
            this.data = data;
            this.y = y;
            this.w = w;
            int n = data.length;
            int d = data[0].length;
            double weightSum = 0;
            double ySum = 0;
            means = new double[d];
            for (int r = 0; r < n; r++) {
                weightSum += w[r];
                ySum += w[r] * y[r];
                for (int f = 0; f < d; f++) {
                    means[f] += w[r] * data[r][f];
                }
            }
            yMean = ySum / weightSum;
            for (int f = 0; f < d; f++) {
                means[f] /= weightSum;
            }
            gram = new double[d][d];
            moments = new double[d];
            double[] centred = new double[d];
            for (int r = 0; r < n; r++) {
                for (int f = 0; f < d; f++) {
                    centred[f] = data[r][f] - means[f];
                }
                double yCentred = y[r] - yMean;
                for (int i = 0; i < d; i++) {
                    double weighted = w[r] * centred[i];
                    moments[i] += weighted * yCentred;
                    for (int j = i; j < d; j++) {
                        gram[i][j] += weighted * centred[j];
                    }
                }
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    gram[i][j] = gram[j][i];
                }
            }
        }

        int features() {
            return means.length;
        }

        /** scikit-learn's Ridge with sample weights on {@code columns}: solve (XᵀWX + αI)β = XᵀW(y − ȳ) on centred data. */
        Fit fit(int[] columns, double alpha) {
            int k = columns.length;
            double[][] normal = new double[k][k];
            double[] rhs = new double[k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    normal[i][j] = gram[columns[i]][columns[j]];
                }
                normal[i][i] += alpha;
                rhs[i] = moments[columns[i]];
            }
            double[] beta = NormalEquations.solve(normal, rhs);
            double intercept = yMean;
            for (int i = 0; i < k; i++) {
                intercept -= means[columns[i]] * beta[i];
            }
            return new Fit(columns, intercept, beta);
        }

        /** Weighted R² of a fit on this neighbourhood. */
        double score(Fit fit) {
            double residual = 0;
            double spread = 0;
            for (int r = 0; r < y.length; r++) {
                double prediction = fit.intercept;
                for (int i = 0; i < fit.beta.length; i++) {
                    prediction += fit.beta[i] * data[r][fit.columns[i]];
                }
                residual += w[r] * (y[r] - prediction) * (y[r] - prediction);
                spread += w[r] * (y[r] - yMean) * (y[r] - yMean);
            }
            return spread == 0 ? (residual == 0 ? 1.0 : 0.0) : 1 - residual / spread;
        }
    }
}
