package dev.explain4j.global;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Agglomerative clustering of rows under Euclidean distance: starting from one cluster per row, the two clusters of
 * least linkage cost merge until one is left. The costs of the merged cluster to the others follow from the old ones
 * by the Lance-Williams update, so the only state is one distance matrix.
 * <p>
 * The merges are found with the nearest-neighbour chain (Murtagh 1983): O(n²) time, where the textbook search for
 * the globally closest pair at every step is O(n³) (2·10¹⁰ comparisons at {@link #MAX_ROWS} rows). The chain finds
 * the same merges as that search for linkages whose merged cluster is never closer to a third than both parts were,
 * which holds for the three here; it finds them in another order, so they are sorted by height afterwards.
 */
final class AgglomerativeClustering {
    /** How the cost of merging two clusters is measured; the merge heights are these costs. */
    enum Linkage {
        /** Increase of the within-cluster sum of squared distances to the centroid (Ward 1963). */
        WARD,
        /** Largest distance between a row of one cluster and a row of the other. */
        COMPLETE,
        /** Mean distance between the rows of one cluster and the rows of the other (UPGMA). */
        AVERAGE
    }

    /**
     * The distance matrix holds n(n−1)/2 doubles: 5000 rows take 100 MB, and 1.3 s (average) to 2.2 s (Ward) on this
     * project's 2-core test machine with 10 features.
     */
    static final int MAX_ROWS = 5000;

    private final int rows;
    /** Merge m joins the cluster holding row {@code left[m]} and the one holding row {@code right[m]}. */
    private final int[] left;
    private final int[] right;
    private final double[] height;

    private AgglomerativeClustering(int rows, int[] left, int[] right, double[] height) {
        this.rows = rows;
        this.left = left;
        this.right = right;
        this.height = height;
    }

    /** @param points [n][d], 1 ≤ n ≤ {@link #MAX_ROWS} */
    static AgglomerativeClustering fit(double[][] points, Linkage linkage) {
        int n = points.length;
        if (n < 1 || n > MAX_ROWS) {
            throw new IllegalArgumentException("agglomerative clustering keeps all n(n−1)/2 distances, so it takes"
                    + " 1 to " + MAX_ROWS + " rows; got " + n);
        }
        double[] cost = initialCosts(points, linkage);
        int[] size = new int[n];
        Arrays.fill(size, 1);
        boolean[] retired = new boolean[n];
        // cluster slot s always holds row s: a merge keeps the pair in the slot of one of them and retires the other
        int[] left = new int[n - 1];
        int[] right = new int[n - 1];
        double[] height = new double[n - 1];
        int[] chain = new int[n];
        int length = 0;
        int nextStart = 0;
        for (int m = 0; m < n - 1; m++) {
            while (true) {
                if (length == 0) {
                    while (retired[nextStart]) {
                        nextStart++;
                    }
                    chain[length++] = nextStart;
                }
                int a = chain[length - 1];
                int previous = length > 1 ? chain[length - 2] : -1;
                // on a tie the previous link wins, else the chain could cycle between equidistant clusters
                int nearest = previous;
                double best = previous < 0 ? Double.POSITIVE_INFINITY : cost[index(a, previous)];
                for (int c = 0; c < n; c++) {
                    if (c != a && !retired[c] && cost[index(a, c)] < best) {
                        best = cost[index(a, c)];
                        nearest = c;
                    }
                }
                if (nearest == previous) {
                    length -= 2;
                    int keep = Math.min(a, previous);
                    int retire = Math.max(a, previous);
                    left[m] = keep;
                    right[m] = retire;
                    height[m] = best;
                    update(cost, keep, retire, size, retired, linkage);
                    size[keep] += size[retire];
                    retired[retire] = true;
                    break;
                }
                chain[length++] = nearest;
            }
        }
        Integer[] order = IntStream.range(0, n - 1).boxed().toArray(Integer[]::new);
        // stable: among equal heights a merge stays after the merges that built its parts
        Arrays.sort(order, Comparator.comparingDouble(m -> height[m]));
        return new AgglomerativeClustering(n,
                Arrays.stream(order).mapToInt(m -> left[m]).toArray(),
                Arrays.stream(order).mapToInt(m -> right[m]).toArray(),
                Arrays.stream(order).mapToDouble(m -> height[m]).toArray());
    }

    /** Ward costs start as half the squared distance, the increase of the sum of squares when two rows merge. */
    private static double[] initialCosts(double[][] points, Linkage linkage) {
        int n = points.length;
        double[] cost = new double[n * (n - 1) / 2];
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double s = 0;
                for (int f = 0; f < points[i].length; f++) {
                    double e = points[i][f] - points[j][f];
                    s += e * e;
                }
                cost[index(i, j)] = linkage == Linkage.WARD ? s / 2 : Math.sqrt(s);
            }
        }
        return cost;
    }

    /** Lance-Williams: the costs from the union of clusters i and j to every other cluster k, written into slot i. */
    private static void update(double[] cost, int i, int j, int[] size, boolean[] retired, Linkage linkage) {
        double ij = cost[index(i, j)];
        for (int k = 0; k < size.length; k++) {
            if (k == i || k == j || retired[k]) {
                continue;
            }
            double ki = cost[index(k, i)];
            double kj = cost[index(k, j)];
            cost[index(k, i)] = switch (linkage) {
                case WARD -> ((size[i] + size[k]) * ki + (size[j] + size[k]) * kj - size[k] * ij)
                        / (size[i] + size[j] + size[k]);
                case COMPLETE -> Math.max(ki, kj);
                case AVERAGE -> (size[i] * ki + size[j] * kj) / (size[i] + size[j]);
            };
        }
    }

    /** Position of the pair {i, j}, i ≠ j, in the packed lower triangle. */
    private static int index(int i, int j) {
        int hi = Math.max(i, j);
        return hi * (hi - 1) / 2 + Math.min(i, j);
    }

    /** The n − 1 merge costs, ascending. */
    double[] heights() {
        return height.clone();
    }

    /**
     * The clusters left after the first n − k merges.
     *
     * @return a cluster id in 0..k−1 per row, numbered in order of each cluster's first row
     */
    int[] cut(int k) {
        if (k < 1 || k > rows) {
            throw new IllegalArgumentException("cannot cut " + rows + " rows into " + k + " clusters");
        }
        int[] parent = IntStream.range(0, rows).toArray();
        for (int m = 0; m < rows - k; m++) {
            parent[root(parent, left[m])] = root(parent, right[m]);
        }
        int[] label = new int[rows];
        int[] idOfRoot = new int[rows];
        Arrays.fill(idOfRoot, -1);
        int next = 0;
        for (int r = 0; r < rows; r++) {
            int root = root(parent, r);
            if (idOfRoot[root] < 0) {
                idOfRoot[root] = next++;
            }
            label[r] = idOfRoot[root];
        }
        return label;
    }

    private static int root(int[] parent, int r) {
        while (parent[r] != r) {
            parent[r] = parent[parent[r]];
            r = parent[r];
        }
        return r;
    }
}
