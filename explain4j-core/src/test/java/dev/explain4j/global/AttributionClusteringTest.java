package dev.explain4j.global;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Target;
import dev.explain4j.perturbation.FeatureAblation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AttributionClusteringTest {

    /**
     * Two planted cohorts under one model f(x) = Σ x_i: in cohort A features 0 and 1 carry the prediction (large
     * values, the rest near zero), in cohort B features 2 and 3 do. Ablation attributions x_i separate them.
     */
    @Test
    void recoversTwoPlantedCohorts() {
        int perCohort = 60;
        Random random = new Random(5);
        double[][] rows = new double[2 * perCohort][5];
        int[] truth = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            truth[r] = r % 2;
            int first = truth[r] == 0 ? 0 : 2;
            for (int f = 0; f < 5; f++) {
                boolean driver = f == first || f == first + 1;
                rows[r][f] = driver ? 2 + 0.5 * random.nextGaussian() : 0.3 * random.nextGaussian();
            }
        }
        ExplainableModel model = ExplainableModel.of(b -> b.sum(true, 1), new long[]{5}, 1, DataType.DOUBLE);
        INDArray x = Nd4j.createFromArray(rows);
        Attributions a = FeatureAblation.of(model).attribute(x, Target.index(0));
        for (AttributionClustering clustering : new AttributionClustering[]{
                AttributionClustering.of(2).withSeed(3),
                AttributionClustering.of(2).withAlgorithm(AttributionClustering.Algorithm.HIERARCHICAL_WARD),
                AttributionClustering.of(2).withAlgorithm(AttributionClustering.Algorithm.HIERARCHICAL_COMPLETE),
                AttributionClustering.of(2).withAlgorithm(AttributionClustering.Algorithm.HIERARCHICAL_AVERAGE)}) {
            AttributionClustering.Result result = clustering.cluster(a);
            double ari = adjustedRandIndex(truth, result.assignments());
            System.out.printf("%s: ARI %.3f, mean silhouette %.3f, clusters %s%n", result.algorithm(), ari,
                    result.meanSilhouette(), result.clusters().stream().map(c -> c.size() + " rows, top "
                            + java.util.Arrays.toString(c.dominantFeatures())).toList());
            assertThat(ari).as(result.algorithm().name()).isGreaterThanOrEqualTo(0.9);
            assertThat(result.meanSilhouette()).isGreaterThan(0.5);
            for (AttributionClustering.Cluster c : result.clusters()) {
                int[] top = java.util.Arrays.copyOf(c.dominantFeatures(), 2);
                java.util.Arrays.sort(top);
                assertThat(top).isIn(new int[]{0, 1}, new int[]{2, 3});
                assertThat(c.meanPrediction()).isBetween(3.0, 5.0);
            }
        }
    }

    @Test
    void silhouetteMatchesItsDefinitionOnAHandExample() {
        double[][] rows = {{0}, {1}, {10}};
        double[] s = AttributionClustering.silhouettes(rows, new int[]{0, 0, 1}, 2);
        // row 0: a = 1, b = 10 → 0.9; row 1: a = 1, b = 9 → 8/9; a single-row cluster has silhouette 0
        assertThat(s[0]).isEqualTo(0.9, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(s[1]).isEqualTo(8.0 / 9, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(s[2]).isZero();
    }

    @Test
    void adjustedRandIndexMatchesScikitLearnOnSmallExamples() {
        // sklearn.metrics.adjusted_rand_score gives these
        assertThat(adjustedRandIndex(new int[]{0, 0, 1, 1}, new int[]{1, 1, 0, 0})).isEqualTo(1.0);
        assertThat(adjustedRandIndex(new int[]{0, 0, 1, 1}, new int[]{0, 0, 1, 2}))
                .isEqualTo(4.0 / 7, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(adjustedRandIndex(new int[]{0, 0, 0, 0}, new int[]{0, 1, 2, 3})).isZero();
    }

    /**
     * Hubert and Arabie's adjusted Rand index: agreement of two labellings on pairs of rows, 1 when they are the same
     * partition and 0 in expectation for random ones.
     */
    static double adjustedRandIndex(int[] a, int[] b) {
        Map<Long, Integer> both = new HashMap<>();
        Map<Integer, Integer> inA = new HashMap<>();
        Map<Integer, Integer> inB = new HashMap<>();
        for (int r = 0; r < a.length; r++) {
            both.merge(((long) a[r] << 32) | (b[r] & 0xffffffffL), 1, Integer::sum);
            inA.merge(a[r], 1, Integer::sum);
            inB.merge(b[r], 1, Integer::sum);
        }
        double index = both.values().stream().mapToDouble(AttributionClusteringTest::pairs).sum();
        double pairsA = inA.values().stream().mapToDouble(AttributionClusteringTest::pairs).sum();
        double pairsB = inB.values().stream().mapToDouble(AttributionClusteringTest::pairs).sum();
        double expected = pairsA * pairsB / pairs(a.length);
        double max = (pairsA + pairsB) / 2;
        return max == expected ? 1 : (index - expected) / (max - expected);
    }

    private static double pairs(int n) {
        return n * (n - 1) / 2.0;
    }
}
