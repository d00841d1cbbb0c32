package dev.explain4j.bench;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.ExpectedGradients;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
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

import java.util.Collections;
import java.util.concurrent.TimeUnit;

/**
 * Expected gradients, float32: 200 samples × 64 rows against a background of 100 rows, and its floor, one
 * forward+backward over as many points (12,800) through the engine, chunked by the same default memory budget.
 * On the MLP by default ({@code -p model=cnn} for the CNN).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ExpectedGradientsBench {
    static final int SAMPLES = 200;

    @Param({"mlp"})
    public String model;

    NetworkModel explained;
    INDArray x;
    Reference background;
    INDArray points;
    int[] pointTargets;
    int[] targets;

    @Setup(Level.Trial)
    public void setUp() {
        explained = Models.explained(model, Models.byName(model));
        x = Models.rows(model, GradientBench.ROWS, 11);
        background = Reference.distribution(Models.rows(model, 100, 12));
        targets = Target.predicted().resolve(explained.predict(x));
        points = Nd4j.concat(0, Collections.nCopies(SAMPLES, x).toArray(INDArray[]::new));
        pointTargets = new int[(int) points.size(0)];
        for (int i = 0; i < pointTargets.length; i++) {
            pointTargets[i] = targets[i % GradientBench.ROWS];
        }
    }

    @Benchmark
    public Attributions expectedGradients() {
        return ExpectedGradients.of(explained, background).withSamples(SAMPLES).withSeed(4)
                .attribute(x, Target.perRow(targets));
    }

    @Benchmark
    public INDArray expectedGradientsFloor() {
        return explained.gradients(points, Target.perRow(pointTargets)).inputGradient();
    }
}
