package dev.explain4j.bench;

import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * IG 50 steps × 64 rows at several internal batch sizes (points per forward+backward pass); 0 is the default the
 * memory budget gives. The sweep behind the default.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ChunkSweepBench {
    @Param({"mlp", "cnn"})
    public String model;

    @Param({"64", "256", "800", "1600", "3200", "0"})
    public int chunk;

    NetworkModel explained;
    INDArray x;
    int[] targets;

    @Setup(Level.Trial)
    public void setUp() {
        explained = Models.explained(model, Models.byName(model));
        x = Models.rows(model, GradientBench.ROWS, 11);
        targets = Target.predicted().resolve(explained.predict(x));
    }

    @Benchmark
    public Attributions ig() {
        return IntegratedGradients.of(explained).withSteps(GradientBench.STEPS).withBatchSize(chunk)
                .attribute(x, Target.perRow(targets));
    }
}
