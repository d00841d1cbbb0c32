package dev.explain4j.global;

import dev.explain4j.core.Attributions;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.random.Well19937c;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Cohorts of explained rows: rows grouped by their attribution vectors, so that rows whose predictions rest on the
 * same features land together (SHAP's {@code cohorts}/{@code hclust}). Two algorithms: k-means++ (commons-math3,
 * seeded through its own generator) and agglomerative clustering with Ward, complete or average linkage
 * ({@link AgglomerativeClustering}, deterministic).
 * Every result carries the silhouette of each row and a summary per cluster.
 */
public final class AttributionClustering {
    /** How rows are grouped. */
    public enum Algorithm {
        /** Lloyd's k-means from k-means++ seeds, best of several seeded starts by within-cluster variance. */
        KMEANS,
        /** Ward agglomerative clustering (least increase of within-cluster variance), cut into k clusters. */
        HIERARCHICAL_WARD,
        /** Complete-linkage agglomerative clustering (largest pairwise distance), cut into k clusters. */
        HIERARCHICAL_COMPLETE,
        /** Average-linkage (UPGMA) agglomerative clustering, cut into k clusters. */
        HIERARCHICAL_AVERAGE;

        /** The name in files and on the command line: kmeans, hierarchical-ward, ... */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One cluster.
     *
     * @param dominantFeatures feature indices with the largest mean |attribution| in the cluster, largest first
     * @param meanAttribution  mean signed attribution per feature
     * @param meanPrediction   mean of f_target(x) over the cluster's rows (NaN if the attributions carry no outputs)
     * @param majorityTarget   the most frequent explained output in the cluster (-1 if no targets)
     */
    public record Cluster(int id, int size, int[] dominantFeatures, double[] meanAttribution, double meanPrediction,
                          int majorityTarget, double meanSilhouette) {
        public Cluster {
            dominantFeatures = dominantFeatures.clone();
            meanAttribution = meanAttribution.clone();
        }

        @Override
        public int[] dominantFeatures() {
            return dominantFeatures.clone();
        }

        @Override
        public double[] meanAttribution() {
            return meanAttribution.clone();
        }
    }

    /**
     * @param assignments cluster id (0..k-1) per row
     * @param silhouette  per row: (b − a) / max(a, b) with a the mean distance to its own cluster and b to the nearest
     *                    other cluster (0 for a row alone in its cluster, as scikit-learn defines it)
     */
    public record Result(Algorithm algorithm, int k, int[] assignments, double[] silhouette, double meanSilhouette,
                         List<Cluster> clusters, long seed) {
        public Result {
            assignments = assignments.clone();
            silhouette = silhouette.clone();
            clusters = List.copyOf(clusters);
        }

        @Override
        public int[] assignments() {
            return assignments.clone();
        }

        @Override
        public double[] silhouette() {
            return silhouette.clone();
        }
    }

    /** Agglomerative clustering keeps all n(n−1)/2 distances (8 bytes each): 5000 rows take 100 MB. */
    public static final int MAX_HIERARCHICAL_ROWS = AgglomerativeClustering.MAX_ROWS;

    /** k-means keeps the best of this many seeded starts. */
    private static final int KMEANS_STARTS = 10;

    private final Algorithm algorithm;
    private final int k;
    private final long seed;
    private final int dominant;

    private AttributionClustering(Algorithm algorithm, int k, long seed, int dominant) {
        this.algorithm = algorithm;
        this.k = k;
        this.seed = seed;
        this.dominant = dominant;
    }

    /** k-means into k ≥ 2 clusters, seed 0, 3 dominant features per cluster. */
    public static AttributionClustering of(int k) {
        return new AttributionClustering(Algorithm.KMEANS, checkK(k), 0, 3);
    }

    static int checkK(int k) {
        if (k < 2) {
            throw new IllegalArgumentException("clustering needs k ≥ 2 clusters, got " + k);
        }
        return k;
    }

    /** How rows are grouped (default k-means); the agglomerative ones take at most {@link #MAX_HIERARCHICAL_ROWS}. */
    public AttributionClustering withAlgorithm(Algorithm algorithm) {
        if (algorithm == null) {
            throw new IllegalArgumentException("algorithm must not be null");
        }
        return new AttributionClustering(algorithm, k, seed, dominant);
    }

    /** Seeds k-means (default 0); the agglomerative algorithms draw nothing and only record it. */
    public AttributionClustering withSeed(long seed) {
        return new AttributionClustering(algorithm, k, seed, dominant);
    }

    /** How many features each cluster's summary names (default 3). */
    public AttributionClustering withDominantFeatures(int count) {
        return new AttributionClustering(algorithm, k, seed, Math.max(1, count));
    }

    public Result cluster(Attributions attributions) {
        int n = attributions.rows();
        if (n < k) {
            throw new IllegalArgumentException("cannot make " + k + " clusters of " + n + " rows");
        }
        if (algorithm != Algorithm.KMEANS && n > MAX_HIERARCHICAL_ROWS) {
            throw new IllegalArgumentException("hierarchical clustering of " + n + " rows would keep " + n + "² distances;"
                    + " use k-means or at most " + MAX_HIERARCHICAL_ROWS + " rows");
        }
        double[][] rows = new double[n][];
        for (int r = 0; r < n; r++) {
            rows[r] = attributions.row(r);
        }
        int[] labels = switch (algorithm) {
            case KMEANS -> kMeans(rows);
            case HIERARCHICAL_WARD -> agglomerative(rows, AgglomerativeClustering.Linkage.WARD);
            case HIERARCHICAL_COMPLETE -> agglomerative(rows, AgglomerativeClustering.Linkage.COMPLETE);
            case HIERARCHICAL_AVERAGE -> agglomerative(rows, AgglomerativeClustering.Linkage.AVERAGE);
        };
        labels = renumberBySize(labels);
        double[] silhouette = silhouettes(rows, labels, k);
        double[] outputs = attributions.targetOutputs().orElse(null);
        int[] targets = attributions.targets().orElse(null);
        List<Cluster> clusters = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            clusters.add(summarise(c, members(labels, c), rows, outputs, targets, silhouette));
        }
        double meanSilhouette = java.util.Arrays.stream(silhouette).average().orElse(0);
        return new Result(algorithm, k, labels, silhouette, meanSilhouette, clusters, seed);
    }

    private int[] agglomerative(double[][] rows, AgglomerativeClustering.Linkage linkage) {
        return AgglomerativeClustering.fit(rows, linkage).cut(k);
    }

    private int[] kMeans(double[][] rows) {
        List<DoublePoint> points = new ArrayList<>();
        for (double[] row : rows) {
            points.add(new DoublePoint(row));
        }
        Well19937c random = new Well19937c(seed);
        double bestCost = Double.POSITIVE_INFINITY;
        int[] best = null;
        for (int start = 0; start < KMEANS_STARTS; start++) {
            KMeansPlusPlusClusterer<DoublePoint> clusterer = new KMeansPlusPlusClusterer<>(k, 300,
                    new org.apache.commons.math3.ml.distance.EuclideanDistance(), random);
            List<CentroidCluster<DoublePoint>> found = clusterer.cluster(points);
            Map<DoublePoint, Integer> labelOf = new IdentityHashMap<>();
            double cost = 0;
            for (int c = 0; c < found.size(); c++) {
                double[] centre = found.get(c).getCenter().getPoint();
                for (DoublePoint p : found.get(c).getPoints()) {
                    labelOf.put(p, c);
                    cost += squaredDistance(p.getPoint(), centre);
                }
            }
            if (cost < bestCost) {
                bestCost = cost;
                best = points.stream().mapToInt(labelOf::get).toArray();
            }
        }
        return best;
    }

    /** Cluster 0 is the largest; ties by first row, so results do not depend on the algorithm's internal order. */
    private int[] renumberBySize(int[] labels) {
        int[] size = new int[k];
        int[] first = new int[k];
        java.util.Arrays.fill(first, Integer.MAX_VALUE);
        for (int r = 0; r < labels.length; r++) {
            size[labels[r]]++;
            first[labels[r]] = Math.min(first[labels[r]], r);
        }
        int[] order = IntStream.range(0, k).boxed()
                .sorted(Comparator.comparingInt((Integer c) -> -size[c]).thenComparingInt(c -> first[c]))
                .mapToInt(Integer::intValue).toArray();
        int[] newId = new int[k];
        for (int i = 0; i < k; i++) {
            newId[order[i]] = i;
        }
        return IntStream.of(labels).map(l -> newId[l]).toArray();
    }

    private static int[] members(int[] labels, int c) {
        return IntStream.range(0, labels.length).filter(r -> labels[r] == c).toArray();
    }

    private Cluster summarise(int id, int[] members, double[][] rows, double[] outputs, int[] targets, double[] silhouette) {
        int d = rows[0].length;
        double[] mean = new double[d];
        double[] meanAbs = new double[d];
        for (int r : members) {
            for (int f = 0; f < d; f++) {
                mean[f] += rows[r][f] / members.length;
                meanAbs[f] += Math.abs(rows[r][f]) / members.length;
            }
        }
        int[] top = IntStream.range(0, d).boxed()
                .sorted(Comparator.comparingDouble((Integer f) -> -meanAbs[f]).thenComparingInt(f -> f))
                .limit(dominant).mapToInt(Integer::intValue).toArray();
        double prediction = outputs == null ? Double.NaN : IntStream.of(members).mapToDouble(r -> outputs[r]).average().orElse(Double.NaN);
        int majority = -1;
        if (targets != null) {
            Map<Integer, Long> counts = new java.util.TreeMap<>();
            for (int r : members) {
                counts.merge(targets[r], 1L, Long::sum);
            }
            majority = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(-1);
        }
        double sil = IntStream.of(members).mapToDouble(r -> silhouette[r]).average().orElse(0);
        return new Cluster(id, members.length, top, mean, prediction, majority, sil);
    }

    /** Silhouette of every row under Euclidean distance (Rousseeuw 1987). */
    static double[] silhouettes(double[][] rows, int[] labels, int k) {
        int n = rows.length;
        int[] size = new int[k];
        for (int l : labels) {
            size[l]++;
        }
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            double[] sum = new double[k];
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    sum[labels[j]] += Math.sqrt(squaredDistance(rows[i], rows[j]));
                }
            }
            int own = labels[i];
            if (size[own] <= 1) {
                continue;
            }
            double a = sum[own] / (size[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (c != own && size[c] > 0) {
                    b = Math.min(b, sum[c] / size[c]);
                }
            }
            double m = Math.max(a, b);
            s[i] = m == 0 || Double.isInfinite(b) ? 0 : (b - a) / m;
        }
        return s;
    }

    private static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double e = a[i] - b[i];
            s += e * e;
        }
        return s;
    }
}
