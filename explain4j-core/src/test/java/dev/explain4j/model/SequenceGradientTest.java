package dev.explain4j.model;

import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import dev.explain4j.testing.SequenceNetworks;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.preprocessors.KerasFlattenRnnPreprocessor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static dev.explain4j.testing.SequenceNetworks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.deeplearning4j.nn.conf.RNNFormat.NCW;

/**
 * ∂f/∂x through every sequence layer kind the engine accepts, in both layouts, against central finite differences of
 * DL4J's own inference output in double precision (the relative error per case is printed at the end); the kinds it
 * refuses are refused by name.
 */
class SequenceGradientTest {
    private static final double TOLERANCE = 1e-6;
    private static final Map<String, Double> ERRORS = new ConcurrentHashMap<>();

    static Stream<GradientCase> differentiated() {
        Stream.Builder<GradientCase> cases = Stream.builder();
        for (RNNFormat f : RNNFormat.values()) {
            long[] row = rowShape(f);
            cases.add(new GradientCase("LSTM " + f, () -> chain(f, lstm(f), pooling(PoolingType.AVG, f)), row));
            cases.add(new GradientCase("SimpleRnn " + f, () -> chain(f, lastTimeStep(simpleRnn(f))), row));
            cases.add(new GradientCase("LastTimeStep(LSTM) " + f, () -> chain(f, lastTimeStep(lstm(f))), row));
            cases.add(new GradientCase("TimeDistributed(Dense) " + f,
                    () -> chain(f, timeDistributedDense(f), pooling(PoolingType.MAX, f)), row));
            cases.add(new GradientCase("Convolution1DLayer " + f, () -> chain(f, convolution1d(f), pooling(PoolingType.AVG, f)), row));
            // dilated: oneDNN refuses them, so the engine's step runs libnd4j's own kernel (and DL4J's output in double)
            for (ConvolutionMode mode : new ConvolutionMode[]{ConvolutionMode.Truncate, ConvolutionMode.Same, ConvolutionMode.Causal}) {
                cases.add(new GradientCase("Convolution1DLayer dilated " + mode + " " + f,
                        () -> chain(f, dilatedConvolution1d(f, mode), pooling(PoolingType.MAX, f)), row));
            }
            cases.add(new GradientCase("RnnOutputLayer " + f, () -> perStep(f, simpleRnn(f)), row));
            for (Bidirectional.Mode mode : Bidirectional.Mode.values()) {
                cases.add(new GradientCase("Bidirectional(LSTM) " + mode + " " + f,
                        () -> chain(f, bidirectional(mode, lstm(f)), pooling(PoolingType.MAX, f)), row));
                cases.add(new GradientCase("Bidirectional(LastTimeStep(LSTM)) " + mode + " " + f,
                        () -> chain(f, bidirectional(mode, lastTimeStep(lstm(f)))), row));
            }
        }
        // one attention layer, masked or not, and LearnedSelfAttentionLayer (which DL4J cannot run): AttentionStepTest
        cases.add(new GradientCase("SelfAttentionLayer stacked on LSTM",
                () -> chain(NCW, lstm(NCW), selfAttention(2, true), selfAttention(2, true), pooling(PoolingType.AVG, NCW)), rowShape(NCW)));
        for (PoolingType type : PoolingType.values()) {
            cases.add(new GradientCase("GlobalPoolingLayer " + type + " NCW", () -> chain(NCW, lstm(NCW), pooling(type, NCW)), rowShape(NCW)));
            cases.add(new GradientCase("GlobalPoolingLayer " + type + " NWC",
                    () -> chain(RNNFormat.NWC, lstm(RNNFormat.NWC), pooling(type, RNNFormat.NWC)), rowShape(RNNFormat.NWC)));
        }
        // the pooling types DL4J's 1-D pooling computes (it rejects SUM in its forward pass and PNORM when built)
        for (PoolingType type : new PoolingType[]{PoolingType.MAX, PoolingType.AVG}) {
            for (RNNFormat f : RNNFormat.values()) {
                cases.add(new GradientCase("Subsampling1DLayer " + type + " " + f,
                        () -> chain(f, subsampling1d(type), pooling(PoolingType.AVG, f)), rowShape(f)));
            }
        }
        cases.add(new GradientCase("KerasFlattenRnnPreprocessor after NWC Subsampling1DLayer", SequenceGradientTest::kerasFlatten,
                rowShape(RNNFormat.NWC)));
        return cases.build();
    }

    /**
     * NWC 1-D convolution and pooling, flattened by the preprocessor Keras import puts before a dense layer (a
     * row-major reshape; its own backprop reshapes to channels-first), then dense and softmax, as issue_9349 imports.
     */
    private static MultiLayerNetwork kerasFlatten() {
        int steps = (int) rowShape(RNNFormat.NWC)[0];
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.DOUBLE).list()
                .layer(dilatedConvolution1d(RNNFormat.NWC, ConvolutionMode.Same))
                .layer(new Subsampling1DLayer.Builder(2).poolingType(PoolingType.MAX).stride(2).build())
                .layer(new DenseLayer.Builder().nIn(4L * (steps / 2)).nOut(3).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(3).activation(Activation.SOFTMAX).build())
                .inputPreProcessor(2, new KerasFlattenRnnPreprocessor(4, steps / 2))
                .setInputType(InputType.recurrent(3, steps, RNNFormat.NWC)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Kernel 2, stride 1, dilation 2: a span of 3 of the 5 steps. */
    private static Convolution1DLayer dilatedConvolution1d(RNNFormat format, ConvolutionMode mode) {
        return new Convolution1DLayer.Builder(2).dilation(2).convolutionMode(mode).nOut(4).activation(Activation.TANH)
                .rnnDataFormat(format).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differentiated")
    void gradientMatchesFiniteDifferences(GradientCase c) {
        record(c.name(), c.relativeError());
    }

    @ParameterizedTest(name = "graph {0}")
    @EnumSource(RNNFormat.class)
    void graphGradientMatchesFiniteDifferences(RNNFormat format) {
        ComputationGraph graph = SequenceNetworks.graph(format);
        long[] row = rowShape(format);
        INDArray x = Networks.randomInput(12, 3, row[0], row[1]);
        GradientBatch batch = NetworkModel.of(graph).gradients(x, Target.predicted());
        INDArray expected = FiniteDifferences.gradient(b -> graph.output(false, b)[0], x, batch.targets());
        record("ComputationGraph " + format, FiniteDifferences.maxRelativeError(batch.inputGradient(), expected, 1e-3));
    }

    static Stream<GradientCase> refused() {
        return Stream.of(
                new GradientCase("MaskZeroLayer", () -> chain(NCW, lastTimeStep(maskZero(lstm(NCW)))), rowShape(NCW)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void layerThatCannotBeDifferentiatedIsRefusedByName(GradientCase c) {
        assertThatThrownBy(c::relativeError).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'layer0'").hasMessageContaining(c.name());
    }

    private static void record(String name, double error) {
        ERRORS.put(name, error);
        assertThat(error).as(name).isLessThan(TOLERANCE);
    }

    @AfterAll
    static void report() {
        System.out.println("relative error of ∂f/∂x against central finite differences (double), per case:");
        new TreeMap<>(ERRORS).forEach((name, error) -> System.out.printf("  %-50s %.2e%n", name, error));
    }
}
