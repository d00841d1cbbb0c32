package dev.explain4j.metrics;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The model-parameter randomization sanity check (Adebayo et al. 2018): the parameters of one layer (by default the
 * top layer with parameters) are replaced by Gaussian noise of the same standard deviation, in a deep copy of the
 * network, and the same method explains the same rows on the copy for the same targets. An explanation that depends
 * on what the network learnt changes: the Spearman rank correlation per row between the two attributions should be
 * low. The user's network is never touched.
 */
public final class ModelRandomization {
    /**
     * @param spearman         per row, rank correlation of the attributions before and after
     * @param spearmanAbsolute per row, the same for |attributions| (the paper reports both)
     */
    public record Result(String method, String layer, double[] spearman, double[] spearmanAbsolute, long seed) {
        public double meanSpearman() {
            return Arrays.stream(spearman).average().orElse(Double.NaN);
        }

        public double meanSpearmanAbsolute() {
            return Arrays.stream(spearmanAbsolute).average().orElse(Double.NaN);
        }
    }

    private final NetworkModel model;
    private final Function<NetworkModel, AttributionMethod> method;
    private final String layer;
    private final long seed;

    private ModelRandomization(NetworkModel model, Function<NetworkModel, AttributionMethod> method, String layer, long seed) {
        this.model = model;
        this.method = method;
        this.layer = layer;
        this.seed = seed;
    }

    /**
     * Randomizes the top layer: the one producing the explained output (in a graph with several outputs, the output
     * being explained, not the last vertex in topological order), or the last layer with parameters if it has none.
     *
     * @param method builds the method to check on a given model, e.g. {@code Saliency::signed}
     */
    public static ModelRandomization of(NetworkModel model, Function<NetworkModel, AttributionMethod> method) {
        String top = model.outputLayer().name();
        if (model.layerParameters(top).isEmpty()) {
            // e.g. a loss layer on top: the last layer with parameters before it
            top = model.layers().stream().filter(l -> l.index() >= 0 && !model.layerParameters(l.name()).isEmpty())
                    .reduce((a, b) -> b).orElseThrow(() -> new IllegalArgumentException("the model has no layer with parameters"))
                    .name();
        }
        return new ModelRandomization(model, method, top, 0);
    }

    /** Randomize this layer instead of the top one. */
    public ModelRandomization withLayer(String reference) {
        return new ModelRandomization(model, method, model.layer(reference).name(), seed);
    }

    public ModelRandomization withSeed(long seed) {
        return new ModelRandomization(model, method, layer, seed);
    }

    /** The layer's parameters replaced by N(0, std of each parameter array) noise drawn from the seed. */
    public NetworkModel randomizedCopy() {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, INDArray> noise = new LinkedHashMap<>();
        model.layerParameters(layer).forEach((key, value) -> {
            double[] v = value.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
            double mean = Arrays.stream(v).average().orElse(0);
            double std = Math.sqrt(Arrays.stream(v).map(e -> (e - mean) * (e - mean)).average().orElse(0));
            double scale = std > 0 ? std : 0.1;
            double[] drawn = new double[v.length];
            for (int i = 0; i < drawn.length; i++) {
                drawn[i] = scale * random.nextGaussian();
            }
            noise.put(key, Nd4j.createFromArray(drawn).reshape(value.shape()).castTo(value.dataType()));
        });
        return model.withLayerParameters(layer, noise);
    }

    /** Explains {@code inputs} on the model and on the randomized copy, for the same targets, and compares. */
    public Result compute(INDArray inputs, Target target) {
        Attributions before = method.apply(model).attribute(inputs, target);
        int[] targets = before.targets().orElseThrow(() -> new IllegalArgumentException(
                "the " + before.method() + " result carries no targets to repeat on the randomized model"));
        Attributions after = method.apply(randomizedCopy()).attribute(inputs, Target.perRow(targets));
        SpearmansCorrelation spearman = new SpearmansCorrelation();
        double[] signed = new double[before.rows()];
        double[] absolute = new double[before.rows()];
        for (int r = 0; r < signed.length; r++) {
            double[] a = before.row(r);
            double[] b = after.row(r);
            signed[r] = spearman.correlation(a, b);
            absolute[r] = spearman.correlation(Arrays.stream(a).map(Math::abs).toArray(), Arrays.stream(b).map(Math::abs).toArray());
        }
        return new Result(before.method(), layer, signed, absolute, seed);
    }
}
