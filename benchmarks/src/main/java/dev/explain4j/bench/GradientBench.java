package dev.explain4j.bench;

import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.IntegrationRule;
import dev.explain4j.gradient.NoiseTunnel;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The gradient cases, float32, on 64 rows: the floor (one forward+backward over the 50 × 64 stacked IG points, by
 * DL4J's own {@code calculateGradients} and by explain4j's engine), IG batched and naive, saliency and its floor (one
 * forward+backward of the same 64 rows), SmoothGrad and its floor (one pass over its 20 × 64 points).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GradientBench {
    static final int ROWS = 64;
    static final int STEPS = 50;
    static final int SMOOTH_SAMPLES = 20;

    @Param({"mlp", "cnn", "digits"})
    public String model;

    MultiLayerNetwork network;
    NetworkModel explained;
    INDArray x;
    int[] targets;
    /** The IG points b + α(x − b) for every Gauss-Legendre α, stacked step-major like IG stacks them (zero baseline). */
    INDArray stacked;
    int[] stackedTargets;
    INDArray stackedLabels;
    /** SmoothGrad's 20 × 64 points: the rows repeated (the noise does not change the cost of a pass). */
    INDArray smoothPoints;
    int[] smoothTargets;

    @Setup(Level.Trial)
    public void setUp() {
        network = Models.byName(model);
        explained = Models.explained(model, network);
        x = Models.rows(model, ROWS, 11);
        targets = Target.predicted().resolve(explained.predict(x));
        double[] alphas = IntegrationRule.GAUSS_LEGENDRE.alphas(STEPS);
        INDArray[] points = new INDArray[ROWS * STEPS];
        stackedTargets = new int[ROWS * STEPS];
        for (int r = 0; r < ROWS; r++) {
            for (int s = 0; s < STEPS; s++) {
                points[r * STEPS + s] = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(r, r + 1)).mul(alphas[s]);
                stackedTargets[r * STEPS + s] = targets[r];
            }
        }
        stacked = Nd4j.concat(0, points);
        smoothPoints = Nd4j.concat(0, java.util.Collections.nCopies(SMOOTH_SAMPLES, x).toArray(INDArray[]::new));
        smoothTargets = new int[ROWS * SMOOTH_SAMPLES];
        for (int i = 0; i < smoothTargets.length; i++) {
            smoothTargets[i] = targets[i % ROWS];
        }
        stackedLabels = Nd4j.zeros(DataType.FLOAT, stacked.size(0), explained.outputSize());
        for (int i = 0; i < stackedTargets.length; i++) {
            stackedLabels.putScalar(i, stackedTargets[i], 1.0);
        }
    }

    /** DL4J's own forward+backward (loss gradient: parameters and input) over the stacked points, one call. */
    @Benchmark
    public INDArray floorDl4j() {
        Pair<Gradient, INDArray> result = network.calculateGradients(stacked, stackedLabels, null, null);
        return result.getSecond();
    }

    /** explain4j's engine over the same stacked points in one pass (one chunk): ∂f_target/∂x. */
    @Benchmark
    public INDArray floorEngine() {
        GradientBatch batch = explained.gradients(stacked, Target.perRow(stackedTargets), null, true,
                (int) stacked.size(0));
        return batch.inputGradient();
    }

    /** IG, 50 Gauss-Legendre steps × 64 rows, stacked and chunked by the default memory budget. */
    @Benchmark
    public Attributions igBatched() {
        return IntegratedGradients.of(explained).withSteps(STEPS).attribute(x, Target.perRow(targets));
    }

    /** IG the naive way: one gradient call per step over the 64 rows, summed on the way. */
    @Benchmark
    public INDArray igNaive() {
        double[] alphas = IntegrationRule.GAUSS_LEGENDRE.alphas(STEPS);
        double[] weights = IntegrationRule.GAUSS_LEGENDRE.weights(STEPS);
        Target target = Target.perRow(targets);
        INDArray sum = Nd4j.zeros(x.dataType(), x.shape());
        for (int s = 0; s < STEPS; s++) {
            INDArray gradient = explained.gradients(x.mul(alphas[s]), target).inputGradient();
            sum.addi(gradient.muli(weights[s]));
        }
        return sum.muli(x);
    }

    @Benchmark
    public Attributions saliency() {
        return Saliency.of(explained).attribute(x, Target.perRow(targets));
    }

    /** Saliency's floor: one forward+backward of the same 64 rows through the engine. */
    @Benchmark
    public INDArray saliencyFloor() {
        return explained.gradients(x, Target.perRow(targets), null, true, ROWS).inputGradient();
    }

    /** SmoothGrad around saliency, 20 noisy samples per row. */
    @Benchmark
    public Attributions smoothGrad() {
        return NoiseTunnel.of(explained, Saliency.of(explained)).withSamples(SMOOTH_SAMPLES).withSeed(5)
                .attribute(x, Target.perRow(targets));
    }

    /** SmoothGrad's floor: the engine over its 1280 points, chunked by the default memory budget. */
    @Benchmark
    public INDArray smoothGradFloor() {
        return explained.gradients(smoothPoints, Target.perRow(smoothTargets)).inputGradient();
    }
}
