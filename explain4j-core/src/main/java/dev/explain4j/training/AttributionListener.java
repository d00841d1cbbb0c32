package dev.explain4j.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.global.GlobalImportance;
import dev.explain4j.metrics.Completeness;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Explains a fixed probe set while a network trains: every N iterations (or epochs) it runs a chosen method on the
 * probe rows and records the global importance, its Spearman rank correlation with the previous snapshot (how far
 * the model's reasons drifted) and the completeness delta where the method has one (Integrated Gradients). Each
 * snapshot is kept in memory, written as one JSON line when a file is given, and logged as one line.
 *
 * <p>It never changes training. Explanations run through {@link NetworkModel}, on copies of the network that share
 * its parameter buffer and never run its updater; and the one piece of global state they could touch, ND4J's random
 * generator (which dropout draws its masks from), is saved before each snapshot and restored after it.
 */
public final class AttributionListener extends BaseTrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(AttributionListener.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One explanation of the probe set during training.
     *
     * @param rankCorrelation Spearman correlation of the mean |attribution| per feature with the previous snapshot's;
     *                        null for the first snapshot
     * @param maxAbsDelta     largest |completeness delta| over the probe rows; null if the method has none
     */
    public record Snapshot(int iteration, int epoch, String method, GlobalImportance importance, Double rankCorrelation,
                           Double maxAbsDelta, Double meanAbsDelta, double seconds) {
    }

    private final INDArray probe;
    private final Function<NetworkModel, AttributionMethod> method;
    private final Target target;
    private final int every;
    private final boolean byEpoch;
    private final Path jsonLines;
    private final List<String> featureNames;
    private final List<Snapshot> snapshots = new ArrayList<>();
    private Model explained;
    private NetworkModel view;
    private long iterationsSeen;
    private long epochsSeen;

    private AttributionListener(INDArray probe, Function<NetworkModel, AttributionMethod> method, Target target,
                                int every, boolean byEpoch, Path jsonLines, List<String> featureNames) {
        this.probe = probe;
        this.method = method;
        this.target = target;
        this.every = every;
        this.byEpoch = byEpoch;
        this.jsonLines = jsonLines;
        this.featureNames = featureNames;
    }

    /**
     * A snapshot every epoch of the predicted class of each probe row, kept in memory only. Configure it before
     * attaching it: each {@code withY} call gives a new listener with no snapshots.
     *
     * @param probe  rows to explain at every snapshot, [rows, ...the network's input shape]; copied
     * @param method builds the method on the network being trained, e.g. {@code m -> IntegratedGradients.of(m)}
     */
    public static AttributionListener of(INDArray probe, Function<NetworkModel, AttributionMethod> method) {
        if (probe == null || probe.size(0) < 1 || method == null) {
            throw new IllegalArgumentException("the listener needs a non-empty probe set and a method");
        }
        return new AttributionListener(probe.dup(), method, Target.predicted(), 1, true, null, null);
    }

    /** A snapshot every n iterations (minibatches). */
    public AttributionListener withEveryIterations(int n) {
        return new AttributionListener(probe, method, target, checkPositive(n), false, jsonLines, featureNames);
    }

    /** A snapshot every n epochs (the default: every epoch). */
    public AttributionListener withEveryEpochs(int n) {
        return new AttributionListener(probe, method, target, checkPositive(n), true, jsonLines, featureNames);
    }

    private static int checkPositive(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("snapshot interval must be ≥ 1, got " + n);
        }
        return n;
    }

    /** Output to explain per probe row (default: the predicted class at each snapshot). */
    public AttributionListener withTarget(Target target) {
        if (target == null) {
            throw new IllegalArgumentException("target must not be null");
        }
        return new AttributionListener(probe, method, target, every, byEpoch, jsonLines, featureNames);
    }

    /** Appends one JSON object per snapshot to this file. */
    public AttributionListener withJsonLines(Path file) {
        return new AttributionListener(probe, method, target, every, byEpoch, file, featureNames);
    }

    /** Names for the log line and the JSON lines, one per flattened probe column. */
    public AttributionListener withFeatureNames(List<String> names) {
        return new AttributionListener(probe, method, target, every, byEpoch, jsonLines,
                names == null ? null : List.copyOf(names));
    }

    /** The snapshots so far, oldest first. */
    public synchronized List<Snapshot> snapshots() {
        return Collections.unmodifiableList(new ArrayList<>(snapshots));
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        iterationsSeen++;
        if (!byEpoch && iterationsSeen % every == 0) {
            snapshot(model, iteration, epoch);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        epochsSeen++;
        if (byEpoch && epochsSeen % every == 0) {
            int iteration = model instanceof MultiLayerNetwork m ? m.getIterationCount()
                    : model instanceof ComputationGraph g ? g.getIterationCount() : -1;
            int epoch = model instanceof MultiLayerNetwork m ? m.getEpochCount()
                    : model instanceof ComputationGraph g ? g.getEpochCount() : (int) epochsSeen;
            snapshot(model, iteration, epoch);
        }
    }

    private synchronized void snapshot(Model model, int iteration, int epoch) {
        Random rng = Nd4j.getRandom();
        long rootState = rng.rootState();
        long nodeState = rng.nodeState();
        try {
            long start = System.nanoTime();
            Attributions result = method.apply(viewOf(model)).attribute(probe, target);
            GlobalImportance importance = GlobalImportance.of(result);
            Double correlation = null;
            if (!snapshots.isEmpty()) {
                double[] previous = snapshots.get(snapshots.size() - 1).importance().features().meanAbsolute();
                correlation = new SpearmansCorrelation().correlation(previous, importance.features().meanAbsolute());
            }
            Completeness completeness = Completeness.of(result).orElse(null);
            Snapshot s = new Snapshot(iteration, epoch, result.method(), importance, correlation,
                    completeness == null ? null : completeness.maxAbs(), completeness == null ? null : completeness.meanAbs(),
                    (System.nanoTime() - start) / 1e9);
            snapshots.add(s);
            write(s);
            LOG.info(describe(s));
        } finally {
            rng.setStates(rootState, nodeState);
        }
    }

    private NetworkModel viewOf(Model model) {
        if (model != explained) {
            if (model instanceof MultiLayerNetwork network) {
                view = NetworkModel.of(network);
            } else if (model instanceof ComputationGraph graph) {
                view = NetworkModel.of(graph);
            } else {
                throw new IllegalArgumentException("AttributionListener explains MultiLayerNetwork and ComputationGraph models, got "
                        + model.getClass().getSimpleName());
            }
            explained = model;
        }
        return view;
    }

    private String describe(Snapshot s) {
        int[] ranking = s.importance().features().ranking();
        double[] meanAbs = s.importance().features().meanAbsolute();
        StringBuilder top = new StringBuilder();
        for (int i = 0; i < Math.min(3, ranking.length); i++) {
            int f = ranking[i];
            String name = featureNames != null && f < featureNames.size() ? featureNames.get(f) : "#" + f;
            top.append(i == 0 ? "" : ", ").append(name)
                    .append(String.format(Locale.ROOT, " %.3g", meanAbs[f]));
        }
        return String.format(Locale.ROOT, "explain4j %s at iteration %d, epoch %d: top %s; drift ρ %s; max |delta| %s (%.2f s)",
                s.method(), s.iteration(), s.epoch(), top,
                s.rankCorrelation() == null ? "-" : String.format(Locale.ROOT, "%.3f", s.rankCorrelation()),
                s.maxAbsDelta() == null ? "-" : String.format(Locale.ROOT, "%.2g", s.maxAbsDelta()), s.seconds());
    }

    private void write(Snapshot s) {
        if (jsonLines == null) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("iteration", s.iteration());
        line.put("epoch", s.epoch());
        line.put("method", s.method());
        line.put("probe-rows", s.importance().features().rows());
        line.put("importance", s.importance().toMap(featureNames));
        line.put("rank-correlation-with-previous", s.rankCorrelation());
        line.put("max-abs-completeness-delta", s.maxAbsDelta());
        line.put("mean-abs-completeness-delta", s.meanAbsDelta());
        line.put("seconds", s.seconds());
        try {
            Files.writeString(jsonLines, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append an attribution snapshot to " + jsonLines + ": " + e.getMessage(), e);
        }
    }
}
