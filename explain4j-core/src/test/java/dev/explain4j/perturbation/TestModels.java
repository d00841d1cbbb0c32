package dev.explain4j.perturbation;

import dev.explain4j.model.ExplainableModel;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Small models with known answers, built in code; every model counts its calls. */
public final class TestModels {
    private TestModels() {
    }

    /** A model and the number of times it was called. */
    public record Counted(ExplainableModel model, AtomicInteger calls) {
    }

    /** f(x) = x·w + bias, one output, double. */
    public static Counted linear(double[] w, double bias) {
        AtomicInteger calls = new AtomicInteger();
        INDArray weights = Nd4j.create(w, new long[]{w.length, 1}, DataType.DOUBLE);
        ExplainableModel model = ExplainableModel.of(b -> {
            calls.incrementAndGet();
            return b.reshape(b.size(0), -1).mmul(weights).addi(bias);
        }, new long[]{w.length}, 1, DataType.DOUBLE);
        return new Counted(model, calls);
    }

    /** A nonlinear double-precision MultiLayerNetwork: d → 16 (tanh) → 12 (sigmoid) → 3 (softmax), fixed seed. */
    public static MultiLayerNetwork network(int d) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .seed(7)
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(d).nOut(16).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(12).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(12).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    public static Counted wrap(MultiLayerNetwork net, int d) {
        AtomicInteger calls = new AtomicInteger();
        ExplainableModel model = ExplainableModel.of(b -> {
            calls.incrementAndGet();
            return net.output(b, false);
        }, new long[]{d}, 3, DataType.DOUBLE);
        return new Counted(model, calls);
    }

    /** rows × d standard-normal values scaled by {@code scale}, seeded. */
    public static INDArray gaussian(int rows, int d, double scale, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] v = new double[rows][d];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < d; f++) {
                double u1 = 1 - rng.nextDouble();
                double u2 = rng.nextDouble();
                v[r][f] = scale * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            }
        }
        return Nd4j.create(v);
    }

    public static double[] row(INDArray a, int r) {
        return a.getRow(r).castTo(DataType.DOUBLE).toDoubleVector();
    }

    public static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    /**
     * A tolerance of 1e-12 relative to the double with these bits, for values recorded before a refactoring: they were
     * bit-identical on the machine they were taken on, and this leaves room for another BLAS's rounding.
     */
    public static org.assertj.core.data.Offset<Double> relative(long bits) {
        return org.assertj.core.data.Offset.offset(Math.abs(Double.longBitsToDouble(bits)) * 1e-12);
    }
}
