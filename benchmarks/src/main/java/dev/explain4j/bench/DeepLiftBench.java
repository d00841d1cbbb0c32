package dev.explain4j.bench;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.DeepLift;
import dev.explain4j.gradient.DeepLiftShap;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.OutputSpace;
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
 * DeepLIFT (zero reference) and DeepLiftShap (10 background rows) against saliency on the same 64 rows, float32, all
 * three in logit space (DeepLIFT refuses a softmax output, as Captum advises): the ratios issue 15 bounds (≤ 2.5× and
 * ≤ 12× saliency).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DeepLiftBench {
    static final int BACKGROUND_ROWS = 10;

    @Param({"mlp", "cnn"})
    public String model;

    NetworkModel explained;
    INDArray x;
    Target target;
    Reference background;

    @Setup(Level.Trial)
    public void setUp() {
        explained = Models.explained(model, Models.byName(model)).withOutputSpace(OutputSpace.LOGIT);
        x = Models.rows(model, GradientBench.ROWS, 11);
        target = Target.perRow(Target.predicted().resolve(explained.predict(x)));
        background = Reference.distribution(Models.rows(model, BACKGROUND_ROWS, 12));
    }

    @Benchmark
    public Attributions saliency() {
        return Saliency.of(explained).attribute(x, target);
    }

    @Benchmark
    public Attributions deepLift() {
        return DeepLift.of(explained).attribute(x, target);
    }

    @Benchmark
    public Attributions deepLiftShap() {
        return DeepLiftShap.of(explained, background).attribute(x, target);
    }
}
