package dev.explain4j.bench;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.perturbation.ExactShapley;
import dev.explain4j.perturbation.KernelShap;
import dev.explain4j.perturbation.Lime;
import dev.explain4j.perturbation.Occlusion;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The perturbation cases, float32: KernelSHAP (200 coalitions, one zero baseline row, as Captum's KernelShap runs by
 * default), exact Shapley values (all 2^10 coalitions) and LIME (200 neighbours) on 20 rows of the 10-feature
 * tabular MLP; occlusion with 4×4 windows at stride 2 on 16 images of the 28×28 CNN.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PerturbationBench {
    static final int TABULAR_ROWS = 20;
    static final int SAMPLES = 200;
    static final int IMAGES = 16;

    NetworkModel tabular;
    INDArray rows;
    Reference training;
    NetworkModel cnn;
    INDArray images;
    /** As many tabular rows as KernelSHAP evaluates (20 × 200 coalitions), and the images occlusion evaluates. */
    INDArray kernelShapPoints;
    INDArray occlusionPoints;

    @Setup(Level.Trial)
    public void setUp() {
        tabular = Models.explained("tabular", Models.tabular());
        rows = Models.rows("tabular", TABULAR_ROWS, 21);
        training = Reference.distribution(Models.rows("tabular", 500, 22));
        cnn = Models.explained("cnn", Models.cnn());
        images = Models.rows("cnn", IMAGES, 23);
        kernelShapPoints = Models.rows("tabular", TABULAR_ROWS * SAMPLES, 24);
        // 13 × 13 window positions (4×4 at stride 2 on 28×28) per image, plus the image itself
        occlusionPoints = Models.rows("cnn", IMAGES * (13 * 13 + 1), 25);
    }

    /** KernelSHAP's floor: one batched forward over as many rows as it evaluates. */
    @Benchmark
    public INDArray kernelShapFloor() {
        return tabular.predict(kernelShapPoints);
    }

    /** Occlusion's floor: one batched forward over as many images as it evaluates. */
    @Benchmark
    public INDArray occlusionFloor() {
        return cnn.predict(occlusionPoints);
    }

    @Benchmark
    public Attributions kernelShap() {
        return KernelShap.of(tabular).withSamples(SAMPLES).withSeed(1).attribute(rows, Target.predicted());
    }

    @Benchmark
    public Attributions exactShapley() {
        return ExactShapley.of(tabular).attribute(rows, Target.predicted());
    }

    @Benchmark
    public Attributions lime() {
        return Lime.of(tabular, training).withSamples(SAMPLES).withSeed(1).attribute(rows, Target.predicted());
    }

    @Benchmark
    public Attributions occlusion() {
        return Occlusion.of(cnn).withWindow(4, 4).withStrides(2, 2).attribute(images, Target.predicted());
    }
}
