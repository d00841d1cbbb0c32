package dev.explain4j.global;

import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Inputs;
import dev.explain4j.perturbation.BatchedEvaluator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.SplitNode;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Distils a classifier into a depth-limited decision tree (Tribuo's CART, Gini splits) trained on the model's own
 * predicted classes, so the tree's rules read as "what the network does". The training rows are a share of the
 * data set plus Gaussian-perturbed copies of them (noise of {@code noise} × each feature's standard deviation), which
 * fill the space between the data points where the network's boundary lies; fidelity is the share of the held-out
 * data rows on which the tree predicts the network's class.
 */
public final class SurrogateTree {
    /**
     * One root-to-leaf path as a rule.
     *
     * @param conditions e.g. "petal_length_cm ≤ 2.45", bounds on one feature merged into one condition
     * @param purity     share of the leaf's training rows of the predicted class
     */
    public record Rule(List<String> conditions, int predictedClass, String className, double purity, int support) {
        public Rule {
            conditions = List.copyOf(conditions);
        }

        @Override
        public String toString() {
            String when = conditions.isEmpty() ? "always" : String.join(" ∧ ", conditions);
            return when + " → " + className + String.format(Locale.ROOT, " (%.0f%%, %d rows)", 100 * purity, support);
        }
    }

    /**
     * @param fidelity         agreement with the network on the held-out data rows
     * @param trainingFidelity agreement on the rows the tree was fit on (data and perturbed)
     */
    public record Result(int maxDepth, int depth, int leaves, double fidelity, double trainingFidelity, int heldOutRows,
                         int trainingRows, List<Rule> rules, long seed) {
        public Result {
            rules = List.copyOf(rules);
        }

        /** The rules, one per line, then the fidelity. */
        public String describe() {
            StringBuilder out = new StringBuilder();
            rules.forEach(r -> out.append(r).append('\n'));
            out.append(String.format(Locale.ROOT, "fidelity %.3f on %d held-out rows (depth %d, %d leaves)%n",
                    fidelity, heldOutRows, depth, leaves));
            return out.toString();
        }
    }

    private final ExplainableModel model;
    private final int maxDepth;
    private final int perturbedCopies;
    private final double noise;
    private final double heldOutShare;
    private final long seed;
    private final List<String> featureNames;
    private final List<String> classNames;
    private final int batchSize;

    private SurrogateTree(ExplainableModel model, int maxDepth, int perturbedCopies, double noise, double heldOutShare,
                          long seed, List<String> featureNames, List<String> classNames, int batchSize) {
        this.model = model;
        this.maxDepth = maxDepth;
        this.perturbedCopies = perturbedCopies;
        this.noise = noise;
        this.heldOutShare = heldOutShare;
        this.seed = seed;
        this.featureNames = featureNames;
        this.classNames = classNames;
        this.batchSize = batchSize;
    }

    /** Depth 4, 5 perturbed copies per fitting row at noise 0.1, a quarter of the rows held out, seed 0. */
    public static SurrogateTree of(ExplainableModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        return new SurrogateTree(model, 4, 5, 0.1, 0.25, 0, null, null, BatchedEvaluator.DEFAULT_BATCH_SIZE);
    }

    /** Deepest path (default 4). */
    public SurrogateTree withMaxDepth(int depth) {
        return new SurrogateTree(model, checkDepth(depth), perturbedCopies, noise, heldOutShare, seed, featureNames,
                classNames, batchSize);
    }

    static int checkDepth(int depth) {
        if (depth < 1 || depth > 20) {
            throw new IllegalArgumentException("tree depth must be in 1..20, got " + depth);
        }
        return depth;
    }

    /** Perturbed copies of each fitting row (default 5; 0 fits on the data rows alone). */
    public SurrogateTree withPerturbedCopies(int copies) {
        if (copies < 0) {
            throw new IllegalArgumentException("perturbed copies must be ≥ 0, got " + copies);
        }
        return new SurrogateTree(model, maxDepth, copies, noise, heldOutShare, seed, featureNames, classNames, batchSize);
    }

    /** Noise of the perturbed copies, in standard deviations of each feature (default 0.1). */
    public SurrogateTree withNoise(double scale) {
        if (!(scale >= 0)) {
            throw new IllegalArgumentException("noise scale must be ≥ 0, got " + scale);
        }
        return new SurrogateTree(model, maxDepth, perturbedCopies, scale, heldOutShare, seed, featureNames, classNames,
                batchSize);
    }

    /** Share of the data rows kept out of fitting to measure fidelity (default 0.25). */
    public SurrogateTree withHeldOutShare(double share) {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("held-out share must be in (0, 1), got " + share);
        }
        return new SurrogateTree(model, maxDepth, perturbedCopies, noise, share, seed, featureNames, classNames,
                batchSize);
    }

    /** Seeds the held-out split and the perturbed copies (default 0). */
    public SurrogateTree withSeed(long seed) {
        return new SurrogateTree(model, maxDepth, perturbedCopies, noise, heldOutShare, seed, featureNames, classNames,
                batchSize);
    }

    /** Names for the rules, one per flattened column; ignored (x0, x1, ...) when null or of another count. */
    public SurrogateTree withFeatureNames(List<String> names) {
        return new SurrogateTree(model, maxDepth, perturbedCopies, noise, heldOutShare, seed,
                names == null ? null : List.copyOf(names), classNames, batchSize);
    }

    /** Names of the model's classes for the rules (default "class 0", "class 1", ...). */
    public SurrogateTree withClassNames(List<String> names) {
        return new SurrogateTree(model, maxDepth, perturbedCopies, noise, heldOutShare, seed, featureNames,
                names == null ? null : List.copyOf(names), batchSize);
    }

    /** Rows per forward pass when labelling the rows with the model's classes. */
    public SurrogateTree withBatchSize(int batchSize) {
        return new SurrogateTree(model, maxDepth, perturbedCopies, noise, heldOutShare, seed, featureNames, classNames,
                BatchedEvaluator.checkBatchSize(batchSize));
    }

    /** @param data [n, ...the model's input shape]; features are the flattened columns */
    public Result fit(INDArray data) {
        Inputs.checkShape(data, model.inputShape(), "data");
        int n = (int) data.size(0);
        double[][] x = Inputs.rowsAsDoubles(data);
        int d = x[0].length;
        List<String> names = featureNames != null && featureNames.size() == d ? featureNames
                : IntStream.range(0, d).mapToObj(f -> "x" + f).toList();
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = shuffled(n, random);
        int held = (int) Math.round(n * heldOutShare);
        if (held < 1 || n - held < 2) {
            throw new IllegalArgumentException("a surrogate tree needs at least 3 rows (some to fit, some to check), got " + n);
        }
        int[] heldOut = Arrays.copyOfRange(order, 0, held);
        int[] fitting = Arrays.copyOfRange(order, held, n);
        double[] std = columnStd(x, fitting);
        double[][] train = new double[fitting.length * (1 + perturbedCopies)][];
        for (int i = 0; i < fitting.length; i++) {
            train[i] = x[fitting[i]];
        }
        for (int i = fitting.length; i < train.length; i++) {
            double[] source = x[fitting[i % fitting.length]];
            double[] row = source.clone();
            for (int f = 0; f < d; f++) {
                row[f] += noise * std[f] * random.nextGaussian();
            }
            train[i] = row;
        }
        int[] trainClass = predictedClasses(train);
        double[][] check = Arrays.stream(heldOut).mapToObj(r -> x[r]).toArray(double[][]::new);
        int[] checkClass = predictedClasses(check);

        Tree tree = Tree.fit(train, trainClass, maxDepth);
        int classes = Arrays.stream(trainClass).max().orElse(0) + 1;
        Map<LeafNode<Label>, int[]> leafCounts = new IdentityHashMap<>();
        for (int r = 0; r < train.length; r++) {
            leafCounts.computeIfAbsent(tree.leafOf(train[r]), leaf -> new int[classes])[trainClass[r]]++;
        }
        List<Rule> rules = new ArrayList<>();
        int depth = collectRules(tree.root(), leafCounts, classes, new double[d][], tree.column(), names,
                new ArrayList<>(), rules);
        return new Result(maxDepth, depth, rules.size(), tree.agreement(check, checkClass),
                tree.agreement(train, trainClass), held, train.length, rules, seed);
    }

    /**
     * A fitted Tribuo tree. Tribuo numbers features by their names in sorted order, so the tree is fit on the column
     * numbers as names (the user's names need not be unique) and {@code column} maps its feature ids back.
     */
    private record Tree(Node<Label> root, int[] column) {
        /**
         * Gini splits over every feature (no random subsets, so Tribuo's own seed plays no part); a node of fewer than
         * 5 rows is not split.
         */
        static Tree fit(double[][] rows, int[] classes, int maxDepth) {
            String[] ids = IntStream.range(0, rows[0].length).mapToObj(Integer::toString).toArray(String[]::new);
            LabelFactory labels = new LabelFactory();
            MutableDataset<Label> data = new MutableDataset<>(
                    new SimpleDataSourceProvenance("rows labelled with the network's classes", labels), labels);
            for (int r = 0; r < rows.length; r++) {
                data.add(new ArrayExample<>(new Label(Integer.toString(classes[r])), ids, rows[r]));
            }
            // Tribuo counts depth as scikit-learn does: the number of tests on a path, the root at depth 0
            TreeModel<Label> tree = new CARTClassificationTrainer(maxDepth, 5f, 0f, 1f, false, new GiniIndex(), 0)
                    .train(data);
            int[] column = IntStream.range(0, tree.getFeatureIDMap().size())
                    .map(id -> Integer.parseInt(tree.getFeatureIDMap().get(id).getName())).toArray();
            return new Tree(tree.getRoot(), column);
        }

        /** Routes a row as Tribuo does: to the greater-than child when its value exceeds the split value. */
        LeafNode<Label> leafOf(double[] row) {
            Node<Label> node = root;
            while (node instanceof SplitNode<Label> split) {
                node = row[column[split.getFeatureID()]] > split.splitValue() ? split.getGreaterThan()
                        : split.getLessThanOrEqual();
            }
            return (LeafNode<Label>) node;
        }

        double agreement(double[][] rows, int[] classes) {
            int hits = 0;
            for (int r = 0; r < rows.length; r++) {
                hits += classOf(leafOf(rows[r])) == classes[r] ? 1 : 0;
            }
            return hits / (double) rows.length;
        }
    }

    private static int classOf(LeafNode<Label> leaf) {
        return Integer.parseInt(leaf.getOutput().getLabel());
    }

    private int[] predictedClasses(double[][] rows) {
        double[][] out = new BatchedEvaluator(model, batchSize).evaluateAll(rows.length,
                (first, count) -> Nd4j.createFromArray(Arrays.copyOfRange(rows, (int) first, (int) first + count)));
        return Arrays.stream(out).mapToInt(SurrogateTree::argMax).toArray();
    }

    /**
     * Walks the tree depth first, the "≤" branch first; the bounds are Tribuo's split values, midway between the
     * closest training values on either side. A subtree whose leaves all predict one class is one rule: Tribuo keeps
     * splits that only sharpen purity (9 rules where 5 say the same on the iris test), and they change no prediction.
     *
     * @param leafCounts per leaf, the training rows that reach it by class
     * @param bounds     per feature {lower, upper} of the path so far, null where the path does not test the feature
     * @return the depth of the subtree once such subtrees are single rules
     */
    private int collectRules(Node<Label> node, Map<LeafNode<Label>, int[]> leafCounts, int classes,
                             double[][] bounds, int[] column, List<String> names, List<Integer> tested,
                             List<Rule> rules) {
        int c = soleClass(node);
        if (c >= 0) {
            int[] count = new int[classes];
            addCounts(node, leafCounts, count);
            int total = Arrays.stream(count).sum();
            List<String> conditions = new ArrayList<>();
            for (int f : tested) {
                conditions.add(condition(names.get(f), bounds[f]));
            }
            rules.add(new Rule(conditions, c, className(c), total == 0 ? 0 : count[c] / (double) total, total));
            return 0;
        }
        SplitNode<Label> split = (SplitNode<Label>) node;
        int f = column[split.getFeatureID()];
        double threshold = split.splitValue();
        List<Integer> nowTested = new ArrayList<>(tested);
        if (!nowTested.contains(f)) {
            nowTested.add(f);
        }
        double[] old = bounds[f];
        double[] current = old == null ? new double[]{Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY} : old;
        bounds[f] = new double[]{current[0], Math.min(current[1], threshold)};
        int below = collectRules(split.getLessThanOrEqual(), leafCounts, classes, bounds, column, names, nowTested,
                rules);
        bounds[f] = new double[]{Math.max(current[0], threshold), current[1]};
        int above = collectRules(split.getGreaterThan(), leafCounts, classes, bounds, column, names, nowTested, rules);
        bounds[f] = old;
        return 1 + Math.max(below, above);
    }

    /** The class all leaves under the node predict, or −1 when they differ. */
    private static int soleClass(Node<Label> node) {
        if (node instanceof SplitNode<Label> split) {
            int below = soleClass(split.getLessThanOrEqual());
            return below == soleClass(split.getGreaterThan()) ? below : -1;
        }
        return classOf((LeafNode<Label>) node);
    }

    private static void addCounts(Node<Label> node, Map<LeafNode<Label>, int[]> leafCounts, int[] sum) {
        if (node instanceof SplitNode<Label> split) {
            addCounts(split.getLessThanOrEqual(), leafCounts, sum);
            addCounts(split.getGreaterThan(), leafCounts, sum);
        } else {
            int[] count = leafCounts.getOrDefault((LeafNode<Label>) node, new int[sum.length]);
            Arrays.setAll(sum, k -> sum[k] + count[k]);
        }
    }

    private static String condition(String name, double[] bound) {
        boolean low = bound[0] > Double.NEGATIVE_INFINITY;
        boolean high = bound[1] < Double.POSITIVE_INFINITY;
        if (low && high) {
            return number(bound[0]) + " < " + name + " ≤ " + number(bound[1]);
        }
        return low ? name + " > " + number(bound[0]) : name + " ≤ " + number(bound[1]);
    }

    private static String number(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private String className(int c) {
        return classNames != null && c < classNames.size() ? classNames.get(c) : "class " + c;
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] p = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static double[] columnStd(double[][] x, int[] rows) {
        int d = x[0].length;
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int r : rows) {
            for (int f = 0; f < d; f++) {
                mean[f] += x[r][f] / rows.length;
            }
        }
        for (int r : rows) {
            for (int f = 0; f < d; f++) {
                std[f] += (x[r][f] - mean[f]) * (x[r][f] - mean[f]) / rows.length;
            }
        }
        for (int f = 0; f < d; f++) {
            std[f] = Math.sqrt(std[f]);
        }
        return std;
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
}
