package dev.explain4j.global;

import dev.explain4j.global.AgglomerativeClustering.Linkage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AgglomerativeClusteringTest {

    /**
     * The definition run literally: at every step the cost of every pair of clusters is computed from their rows and
     * the cheapest pair merges. Every merge height and every cut must be the brute force's.
     */
    @ParameterizedTest
    @EnumSource(Linkage.class)
    void matchesTheGreedyDefinitionComputedFromThePoints(Linkage linkage) {
        for (long seed = 1; seed <= 5; seed++) {
            double[][] points = gaussian(30, 3, seed);
            AgglomerativeClustering fast = AgglomerativeClustering.fit(points, linkage);
            List<List<Integer>> clusters = new ArrayList<>();
            for (int r = 0; r < points.length; r++) {
                clusters.add(new ArrayList<>(List.of(r)));
            }
            double[] heights = fast.heights();
            for (int m = 0; clusters.size() > 1; m++) {
                int bestA = -1;
                int bestB = -1;
                double best = Double.POSITIVE_INFINITY;
                for (int a = 0; a < clusters.size(); a++) {
                    for (int b = a + 1; b < clusters.size(); b++) {
                        double cost = cost(points, clusters.get(a), clusters.get(b), linkage);
                        if (cost < best) {
                            best = cost;
                            bestA = a;
                            bestB = b;
                        }
                    }
                }
                clusters.get(bestA).addAll(clusters.remove(bestB));
                assertThat(heights[m]).as("%s seed %d merge %d", linkage, seed, m).isCloseTo(best, within(1e-9 * best));
                assertThat(fast.cut(clusters.size())).as("%s seed %d, %d clusters", linkage, seed, clusters.size())
                        .isEqualTo(labels(clusters, points.length));
            }
        }
    }

    @Test
    void wardHeightIsTheIncreaseOfTheSumOfSquaresOnAHandExample() {
        // {0, 2} merge first: their sum of squares about 1 is 1 + 1 = 2. Adding 10: about the mean 4 it is
        // 16 + 4 + 36 = 56, an increase of 54
        double[][] points = {{0}, {2}, {10}};
        double[] heights = AgglomerativeClustering.fit(points, Linkage.WARD).heights();
        assertThat(heights).containsExactly(2, 54);
    }

    @Test
    void identicalRowsMergeAtHeightZeroWithoutTheChainCycling() {
        double[][] points = new double[12][2];
        for (Linkage linkage : Linkage.values()) {
            AgglomerativeClustering tree = AgglomerativeClustering.fit(points, linkage);
            assertThat(tree.heights()).containsOnly(0.0).hasSize(11);
            assertThat(Arrays.stream(tree.cut(3)).distinct().count()).isEqualTo(3);
        }
    }

    @Test
    void refusesMoreRowsThanTheDistanceMatrixIsSizedFor() {
        double[][] points = new double[AgglomerativeClustering.MAX_ROWS + 1][1];
        assertThatThrownBy(() -> AgglomerativeClustering.fit(points, Linkage.WARD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5000 rows; got 5001");
        assertThat(AgglomerativeClustering.fit(new double[][]{{1}}, Linkage.WARD).cut(1)).containsExactly(0);
    }

    private static double cost(double[][] points, List<Integer> a, List<Integer> b, Linkage linkage) {
        return switch (linkage) {
            case WARD -> {
                List<Integer> union = new ArrayList<>(a);
                union.addAll(b);
                yield sumOfSquares(points, union) - sumOfSquares(points, a) - sumOfSquares(points, b);
            }
            case COMPLETE -> pairDistances(points, a, b).max().orElseThrow();
            case AVERAGE -> pairDistances(points, a, b).average().orElseThrow();
        };
    }

    private static java.util.stream.DoubleStream pairDistances(double[][] points, List<Integer> a, List<Integer> b) {
        return a.stream().flatMapToDouble(i -> b.stream().mapToDouble(j -> distance(points[i], points[j])));
    }

    private static double sumOfSquares(double[][] points, List<Integer> members) {
        double[] centroid = new double[points[0].length];
        for (int r : members) {
            for (int f = 0; f < centroid.length; f++) {
                centroid[f] += points[r][f] / members.size();
            }
        }
        return members.stream().mapToDouble(r -> Math.pow(distance(points[r], centroid), 2)).sum();
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int f = 0; f < a.length; f++) {
            s += (a[f] - b[f]) * (a[f] - b[f]);
        }
        return Math.sqrt(s);
    }

    /** Cluster ids numbered in order of each cluster's first row, as {@link AgglomerativeClustering#cut} does. */
    static int[] labels(List<List<Integer>> clusters, int rows) {
        int[] clusterOf = new int[rows];
        for (int c = 0; c < clusters.size(); c++) {
            for (int r : clusters.get(c)) {
                clusterOf[r] = c;
            }
        }
        return canonical(clusterOf);
    }

    static int[] canonical(int[] labels) {
        int[] id = new int[Arrays.stream(labels).max().orElse(0) + 1];
        Arrays.fill(id, -1);
        int next = 0;
        int[] out = new int[labels.length];
        for (int r = 0; r < labels.length; r++) {
            if (id[labels[r]] < 0) {
                id[labels[r]] = next++;
            }
            out[r] = id[labels[r]];
        }
        return out;
    }

    static double[][] gaussian(int n, int d, long seed) {
        Random random = new Random(seed);
        double[][] points = new double[n][d];
        for (double[] row : points) {
            for (int f = 0; f < d; f++) {
                row[f] = random.nextGaussian();
            }
        }
        return points;
    }
}
