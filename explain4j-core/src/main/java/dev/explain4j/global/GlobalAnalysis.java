package dev.explain4j.global;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.NetworkModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The global view of a classifier over a set of rows, built from local attributions the caller has already computed
 * with the method of its choice: what {@code explain4j global} reports.
 * <ul>
 *   <li>{@link GlobalImportance} grouped by the explained output of each row, and by the true label when labels are
 *       given;</li>
 *   <li>{@link AttributionClustering} of the attribution rows: k-means (seeded), and Ward clustering while the rows
 *       are at most {@link AttributionClustering#MAX_HIERARCHICAL_ROWS}; only when there are more rows than
 *       clusters;</li>
 *   <li>a {@link SurrogateTree} of the model, from 4 rows on;</li>
 *   <li>{@link PermutationImportance} (accuracy) when labels are given;</li>
 *   <li>{@link LinearWeights} of the first layer, when the model is a network whose first layer is dense.</li>
 * </ul>
 * One seed drives k-means, the surrogate tree and the permutations, so a result is reproduced by its settings.
 * Immutable and thread-safe; {@link #analyse} may run from several threads at once.
 */
public final class GlobalAnalysis {
    private final ExplainableModel model;
    private final int clusters;
    private final int maxDepth;
    private final long seed;
    private final List<String> featureNames;
    private final List<String> classNames;

    private GlobalAnalysis(ExplainableModel model, int clusters, int maxDepth, long seed, List<String> featureNames,
                           List<String> classNames) {
        this.model = model;
        this.clusters = clusters;
        this.maxDepth = maxDepth;
        this.seed = seed;
        this.featureNames = featureNames;
        this.classNames = classNames;
    }

    /** 3 clusters, surrogate depth 4, seed 0, features named x0, x1, ... */
    public static GlobalAnalysis of(ExplainableModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        return new GlobalAnalysis(model, 3, 4, 0, null, null);
    }

    /** Clusters of rows, k ≥ 2 (default 3). */
    public GlobalAnalysis withClusters(int k) {
        return new GlobalAnalysis(model, AttributionClustering.checkK(k), maxDepth, seed, featureNames, classNames);
    }

    /** Deepest path of the surrogate tree, 1..20 (default 4). */
    public GlobalAnalysis withMaxDepth(int depth) {
        return new GlobalAnalysis(model, clusters, SurrogateTree.checkDepth(depth), seed, featureNames, classNames);
    }

    /** Seeds k-means, the surrogate tree's split and noise, and the permutations (default 0). */
    public GlobalAnalysis withSeed(long seed) {
        return new GlobalAnalysis(model, clusters, maxDepth, seed, featureNames, classNames);
    }

    /** One name per flattened column, for the importance and the tree's rules; ignored when of another count. */
    public GlobalAnalysis withFeatureNames(List<String> names) {
        return new GlobalAnalysis(model, clusters, maxDepth, seed, names == null ? null : List.copyOf(names), classNames);
    }

    /** Names of the model's outputs, for the surrogate tree's rules (default "class 0", "class 1", ...). */
    public GlobalAnalysis withClassNames(List<String> names) {
        return new GlobalAnalysis(model, clusters, maxDepth, seed, featureNames, names == null ? null : List.copyOf(names));
    }

    /**
     * @param rows  [n, ...the model's input shape], the rows the attributions explain
     * @param local the attributions of those rows, shaped like them and with a target per row
     */
    public Result analyse(INDArray rows, Attributions local) {
        return analyse(rows, local, null);
    }

    /**
     * @param labels the true class of each row (0 .. outputs − 1), or null: per-label importance and permutation
     *               importance
     */
    public Result analyse(INDArray rows, Attributions local, int[] labels) {
        int n = (int) rows.size(0);
        if (local.rows() != n || local.values().length() != rows.length()) {
            throw new IllegalArgumentException("the " + local.method() + " attributions have shape "
                    + Arrays.toString(local.values().shape()) + ", the rows "
                    + Arrays.toString(rows.shape()) + "; global analysis needs attributions of the input rows");
        }
        if (labels != null) {
            checkLabels(labels, n);
        }
        INDArray flat = rows.reshape('c', n, -1);
        GlobalImportance byPrediction = GlobalImportance.of(local);
        GlobalImportance byLabel = labels == null ? null : GlobalImportance.of(local, labels, "label");
        List<AttributionClustering.Result> clusterings = new ArrayList<>();
        if (n > clusters) {
            clusterings.add(AttributionClustering.of(clusters).withSeed(seed).cluster(local));
            if (n <= AttributionClustering.MAX_HIERARCHICAL_ROWS) {
                clusterings.add(AttributionClustering.of(clusters)
                        .withAlgorithm(AttributionClustering.Algorithm.HIERARCHICAL_WARD).cluster(local));
            }
        }
        SurrogateTree.Result surrogate = n < 4 ? null
                : SurrogateTree.of(model).withMaxDepth(maxDepth).withSeed(seed).withFeatureNames(featureNames)
                .withClassNames(classNames).fit(flat);
        PermutationImportance.Result permutation = labels == null ? null : PermutationImportance.of(model).withSeed(seed)
                .compute(rows, Nd4j.createFromArray(labels).castTo(DataType.DOUBLE));
        LinearWeights.Result weights = null;
        String noWeights = null;
        if (model instanceof NetworkModel network) {
            try {
                weights = LinearWeights.of(network).compute(flat);
            } catch (IllegalArgumentException notDense) {
                noWeights = notDense.getMessage();
            }
        } else {
            noWeights = "weight analysis needs a DL4J network";
        }
        return new Result(n, featureNames, byPrediction, byLabel, clusterings, surrogate, permutation, weights, noWeights);
    }

    private void checkLabels(int[] labels, int n) {
        if (labels.length != n) {
            throw new IllegalArgumentException(labels.length + " labels for " + n + " rows");
        }
        for (int r = 0; r < n; r++) {
            if (labels[r] < 0 || labels[r] >= model.outputSize()) {
                throw new IllegalArgumentException("row " + r + " has label " + labels[r] + ", expected a class index 0.."
                        + (model.outputSize() - 1));
            }
        }
    }

    /** What {@link #analyse} found; the optional parts are empty where the list in {@link GlobalAnalysis} says. */
    public static final class Result {
        private final int rows;
        private final List<String> featureNames;
        private final GlobalImportance importance;
        private final GlobalImportance importanceByLabel;
        private final List<AttributionClustering.Result> clusterings;
        private final SurrogateTree.Result surrogate;
        private final PermutationImportance.Result permutationImportance;
        private final LinearWeights.Result firstLayerWeights;
        private final String firstLayerWeightsNote;

        private Result(int rows, List<String> featureNames, GlobalImportance importance,
                       GlobalImportance importanceByLabel, List<AttributionClustering.Result> clusterings,
                       SurrogateTree.Result surrogate, PermutationImportance.Result permutationImportance,
                       LinearWeights.Result firstLayerWeights, String firstLayerWeightsNote) {
            this.rows = rows;
            this.featureNames = featureNames;
            this.importance = importance;
            this.importanceByLabel = importanceByLabel;
            this.clusterings = List.copyOf(clusterings);
            this.surrogate = surrogate;
            this.permutationImportance = permutationImportance;
            this.firstLayerWeights = firstLayerWeights;
            this.firstLayerWeightsNote = firstLayerWeightsNote;
        }

        public int rows() {
            return rows;
        }

        /** Importance grouped by the output each row explained. */
        public GlobalImportance importance() {
            return importance;
        }

        /** Importance grouped by the true labels, when given. */
        public Optional<GlobalImportance> importanceByLabel() {
            return Optional.ofNullable(importanceByLabel);
        }

        /** k-means first, then Ward when computed; empty when there are no more rows than clusters. */
        public List<AttributionClustering.Result> clusterings() {
            return clusterings;
        }

        public Optional<SurrogateTree.Result> surrogate() {
            return Optional.ofNullable(surrogate);
        }

        /** Accuracy drops, when labels were given. */
        public Optional<PermutationImportance.Result> permutationImportance() {
            return Optional.ofNullable(permutationImportance);
        }

        public Optional<LinearWeights.Result> firstLayerWeights() {
            return Optional.ofNullable(firstLayerWeights);
        }

        /** Why there are no first-layer weights (e.g. the first layer is a convolution). */
        public Optional<String> firstLayerWeightsNote() {
            return Optional.ofNullable(firstLayerWeightsNote);
        }

        /**
         * A view for JSON writers, keys kebab-case: rows, importance, importance-by-label, clusters (by algorithm),
         * surrogate, permutation-importance, first-layer-weights (the figures, or the note saying why there are none);
         * absent parts are left out. Values are maps, lists, numbers, strings and the parts' records.
         */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("rows", rows);
            map.put("importance", importance.toMap(featureNames));
            if (importanceByLabel != null) {
                map.put("importance-by-label", importanceByLabel.toMap(featureNames));
            }
            if (!clusterings.isEmpty()) {
                Map<String, Object> byAlgorithm = new LinkedHashMap<>();
                clusterings.forEach(c -> byAlgorithm.put(c.algorithm().key(), c));
                map.put("clusters", byAlgorithm);
            }
            if (surrogate != null) {
                map.put("surrogate", surrogate);
            }
            if (permutationImportance != null) {
                map.put("permutation-importance", permutationImportance);
            }
            map.put("first-layer-weights", firstLayerWeights != null ? firstLayerWeights : firstLayerWeightsNote);
            return map;
        }
    }
}
