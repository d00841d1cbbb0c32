package dev.explain4j.bench;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.IntegrationRule;
import dev.explain4j.gradient.TokenAttribution;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.perturbation.KernelShap;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The text cases on the shipped BiLSTM spam model ({@code models/spam-bilstm.zip}, its parameters on 100-token
 * sequences instead of its 40: the layers do not depend on the length), 64 seeded id sequences of length 100:
 * IG through the embedding (50 Gauss-Legendre steps) and KernelSHAP over the 100 positions (reference token 0), each
 * beside its floor measured in the same run: one embedding pass plus one forward+backward of the rest over the
 * 50 × 64 stacked IG points, and one forward over as many id rows as KernelSHAP evaluates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TextBench {
    static final int ROWS = 64;
    static final int LENGTH = 100;
    static final int STEPS = 50;
    static final int SHAP_SAMPLES = 1000;

    NetworkModel model;
    NetworkModel afterEmbedding;
    TokenAttribution ig;
    INDArray ids;
    int[] targets;
    /** The embedded IG points α·e(x) + (1 − α)·e(reference), stacked step-major, and their targets. */
    INDArray stacked;
    int[] stackedTargets;
    /** As many id rows as KernelSHAP evaluates: each a sequence with a random coalition of positions at token 0. */
    INDArray coalitions;

    @Setup(Level.Trial)
    public void setUp() {
        model = NetworkModel.of(longerSequences(shipped()));
        afterEmbedding = model.after(model.layers().get(1).name());
        Random random = new Random(17);
        double[][] rows = new double[ROWS][LENGTH];
        for (double[] row : rows) {
            for (int t = 0; t < LENGTH; t++) {
                row[t] = 2 + random.nextInt((int) model.tokenInput().orElseThrow().vocabulary() - 2);
            }
        }
        ids = Nd4j.createFromArray(rows).castTo(DataType.FLOAT);
        targets = Target.predicted().resolve(model.predict(ids));
        ig = TokenAttribution.of(model, (after, reference) -> IntegratedGradients.of(after).withSteps(STEPS)
                .withReference(reference)).withReference(Reference.constant(0));

        INDArray embedded = ig.embed(ids);
        INDArray reference = ig.embed(Nd4j.zeros(DataType.FLOAT, 1, LENGTH));
        double[] alphas = IntegrationRule.GAUSS_LEGENDRE.alphas(STEPS);
        INDArray[] points = new INDArray[ROWS * STEPS];
        stackedTargets = new int[ROWS * STEPS];
        for (int s = 0; s < STEPS; s++) {
            for (int r = 0; r < ROWS; r++) {
                INDArray row = embedded.get(NDArrayIndex.interval(r, r + 1));
                points[s * ROWS + r] = row.sub(reference).muli(alphas[s]).addi(reference);
                stackedTargets[s * ROWS + r] = targets[r];
            }
        }
        stacked = Nd4j.concat(0, points);

        double[][] masked = new double[ROWS * SHAP_SAMPLES][];
        for (int i = 0; i < masked.length; i++) {
            masked[i] = rows[i % ROWS].clone();
            for (int t = 0; t < LENGTH; t++) {
                masked[i][t] = random.nextBoolean() ? masked[i][t] : 0;
            }
        }
        coalitions = Nd4j.createFromArray(masked).castTo(DataType.FLOAT);
    }

    /** The floor of IG: the embedding of the rows, then one forward+backward over the stacked points (one chunk). */
    @Benchmark
    public INDArray floorIg() {
        ig.embed(ids);
        GradientBatch batch = afterEmbedding.gradients(stacked, Target.perRow(stackedTargets), null, true,
                (int) stacked.size(0));
        return batch.inputGradient();
    }

    @Benchmark
    public Attributions integratedGradients() {
        return ig.attribute(ids, Target.perRow(targets));
    }

    /** The floor of KernelSHAP: one batched forward over as many rows as it evaluates. */
    @Benchmark
    public INDArray floorKernelShap() {
        return model.predict(coalitions);
    }

    @Benchmark
    public Attributions kernelShap() {
        return KernelShap.of(model).withReference(Reference.constant(0)).withSamples(SHAP_SAMPLES).withSeed(3)
                .attribute(ids, Target.perRow(targets));
    }

    /** {@code -Dexplain4j.models=DIR} if the benchmarks do not run from benchmarks/. */
    private static MultiLayerNetwork shipped() {
        Path file = Path.of(System.getProperty("explain4j.models", "../models"), "spam-bilstm.zip");
        try {
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }

    /** The same layers and parameters, declared for {@link #LENGTH}-token sequences. */
    private static MultiLayerNetwork longerSequences(MultiLayerNetwork net) {
        MultiLayerConfiguration configuration = net.getLayerWiseConfigurations().clone();
        ((EmbeddingSequenceLayer) configuration.getConf(0).getLayer()).setInputLength(LENGTH);
        MultiLayerNetwork longer = new MultiLayerNetwork(configuration);
        longer.init(net.params().dup(), false);
        return longer;
    }
}
