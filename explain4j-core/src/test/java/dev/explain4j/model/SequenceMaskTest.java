package dev.explain4j.model;

import dev.explain4j.testing.FiniteDifferences;
import dev.explain4j.testing.Networks;
import dev.explain4j.testing.TokenNetworks;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Feature masks through the gradient engine, against DL4J's own masked output and finite differences. */
class SequenceMaskTest {
    private static final int[][] SENTENCES = {{5, 9, 7, 3}, {11, 2, 8, 30, 41, 6, 19}, {7}};

    /** DL4J's feature mask of padding id 0. */
    private static INDArray maskOf(INDArray ids) {
        return ids.neq(0).castTo(ids.dataType());
    }

    @ParameterizedTest
    @EnumSource(value = PoolingType.class, names = {"MAX", "AVG", "SUM"})
    void withAPaddingIdTheOutputsAreDl4jsMaskedOutputsAndDoNotDependOnThePadding(PoolingType pooling) {
        MultiLayerNetwork net = TokenNetworks.recurrentPooled(DataType.DOUBLE, pooling);
        ComputationGraph graph = TokenNetworks.recurrentPooledGraph(DataType.DOUBLE, pooling);
        INDArray short12 = TokenNetworks.padded(SENTENCES, 12);
        INDArray long40 = TokenNetworks.padded(SENTENCES, 40);
        INDArray chain12 = NetworkModel.of(net).withPadId(0).predict(short12);
        INDArray graph12 = NetworkModel.of(graph).withPadId(0).predict(short12);

        assertThat(maxDifference(chain12, net.output(short12, false, maskOf(short12), null))).isLessThan(1e-15);
        assertThat(maxDifference(graph12, graph.output(false, new INDArray[]{short12}, new INDArray[]{maskOf(short12)})[0]))
                .isLessThan(1e-15);
        // DL4J's embedding keeps the length it first inferred: the longer rows go to a second, identically seeded network
        assertThat(maxDifference(chain12, NetworkModel.of(TokenNetworks.recurrentPooled(DataType.DOUBLE, pooling))
                .withPadId(0).predict(long40))).isLessThan(1e-12);
        assertThat(maxDifference(graph12, NetworkModel.of(TokenNetworks.recurrentPooledGraph(DataType.DOUBLE, pooling))
                .withPadId(0).predict(long40))).isLessThan(1e-12);
        // unmasked, padding is a token like any other, and the outputs are DL4J's plain output()
        INDArray unmasked = NetworkModel.of(net).predict(short12);
        assertThat(maxDifference(unmasked, net.output(short12))).isLessThan(1e-15);
        assertThat(maxDifference(unmasked, chain12)).isGreaterThan(1e-3);
    }

    @ParameterizedTest
    @EnumSource(value = PoolingType.class, names = {"MAX", "AVG", "SUM"})
    void maskedGradientsOfAChainAndAGraphMatchFiniteDifferencesOfDl4jsMaskedOutput(PoolingType pooling) {
        boolean[] real = {true, true, true, true, true, false, false};
        INDArray x = Networks.randomInput(3, 3, 6, real.length);
        INDArray mask = Nd4j.createFromArray(new double[]{1, 1, 1, 1, 1, 0, 0}).reshape(1, real.length).repeat(0, 3);
        int[] targets = {0, 1, 1};

        MultiLayerNetwork chain = recurrentChain(pooling);
        INDArray chainGradient = NetworkModel.of(chain).withSequenceMask(SequenceMask.fixed(real))
                .gradients(x, Target.perRow(targets)).inputGradient();
        INDArray chainTruth = FiniteDifferences.gradient(b -> chain.output(b, false, mask.getRow(0, true)
                .repeat(0, b.size(0)), null), x, targets);
        assertThat(FiniteDifferences.maxRelativeError(chainGradient, chainTruth, 1e-6)).isLessThan(1e-6);

        ComputationGraph graph = recurrentGraph(pooling);
        INDArray graphGradient = NetworkModel.of(graph).withSequenceMask(SequenceMask.fixed(real))
                .gradients(x, Target.perRow(targets)).inputGradient();
        INDArray graphTruth = FiniteDifferences.gradient(b -> graph.output(false, new INDArray[]{b},
                new INDArray[]{mask.getRow(0, true).repeat(0, b.size(0))})[0], x, targets);
        assertThat(FiniteDifferences.maxRelativeError(graphGradient, graphTruth, 1e-6)).isLessThan(1e-6);

        // the padded steps do not reach the output: their gradient is zero
        INDArray padded = chainGradient.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(5, 7));
        assertThat(padded.amaxNumber().doubleValue()).isLessThan(1e-12);
    }

    @Test
    void aPaddingIdIsRefusedWhereItCannotMask() {
        assertThatThrownBy(() -> NetworkModel.of(Networks.mlp()).withPadId(0))
                .hasMessageContaining("masks sequences of token ids");
        assertThatThrownBy(() -> NetworkModel.of(TokenNetworks.recurrentPooled(DataType.FLOAT, PoolingType.MAX)).withPadId(50))
                .hasMessageContaining("padding id 50").hasMessageContaining("0..49");
    }

    private static double maxDifference(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    /** LSTM → global pooling → softmax on [rows, 6, T], in double. */
    private static MultiLayerNetwork recurrentChain(PoolingType pooling) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new LSTM.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(pooling).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    private static ComputationGraph recurrentGraph(PoolingType pooling) {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in")
                .addLayer("lstm", new LSTM.Builder().nIn(6).nOut(5).activation(Activation.TANH).build(), "in")
                .addLayer("pool", new GlobalPoolingLayer.Builder(pooling).build(), "lstm")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").build());
        graph.init();
        return graph;
    }
}
