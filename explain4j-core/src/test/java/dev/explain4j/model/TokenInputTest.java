package dev.explain4j.model;

import dev.explain4j.testing.Networks;
import dev.explain4j.testing.TokenNetworks;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Input shapes of token and sequence networks, and the check that token inputs are ids. */
class TokenInputTest {

    @Test
    void anEmbeddingSequenceNetworkTakesTokenIdsOfItsLength() {
        NetworkModel model = NetworkModel.of(TokenNetworks.pooled(DataType.DOUBLE, RNNFormat.NCW, PoolingType.AVG, 4,
                Activation.SOFTMAX));
        assertThat(model.inputShape()).containsExactly(TokenNetworks.LENGTH);
        assertThat(model.tokenInput()).contains(new TokenInput(TokenNetworks.VOCABULARY, TokenNetworks.LENGTH, 8, RNNFormat.NCW));
        INDArray ids = TokenNetworks.sequences(3, 5);
        assertThat(model.predict(ids).size(0)).isEqualTo(3);
    }

    @Test
    void anEmbeddingNetworkTakesOneId() {
        NetworkModel model = NetworkModel.of(Networks.embedding());
        assertThat(model.inputShape()).containsExactly(1);
        assertThat(model.tokenInput()).contains(new TokenInput(10, 1, 4, null));
    }

    @Test
    void aOneDimensionalConvolutionTakesFeaturesByTimeInItsLayout() {
        for (RNNFormat format : RNNFormat.values()) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).list()
                    .layer(new Convolution1DLayer.Builder().nIn(3).nOut(4).kernelSize(2).rnnDataFormat(format).build())
                    .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2)
                            .activation(Activation.SOFTMAX).build())
                    .build());
            net.init();
            NetworkModel model = NetworkModel.of(net);
            assertThat(model.inputShape()).containsExactly(format == RNNFormat.NCW ? new long[]{3, -1} : new long[]{-1, 3});
            assertThat(model.layers()).allSatisfy(layer -> assertThat(layer.format()).isNull());
            assertThat(model.tokenInput()).isEmpty();
        }
    }

    @Test
    void tokenIdsThatAreNotIntegersOrOutsideTheVocabularyAreRefusedByRowAndColumn() {
        NetworkModel model = NetworkModel.of(TokenNetworks.pooled(DataType.DOUBLE, RNNFormat.NCW, PoolingType.AVG, 0,
                Activation.SOFTMAX));
        INDArray ids = TokenNetworks.sequences(3, 5);
        INDArray fractional = ids.dup();
        fractional.putScalar(1, 2, 3.5);
        assertThatThrownBy(() -> model.predict(fractional)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("input has a non-integer token id 3.5 at row 2, column 3; token ids must be integers in [0, 50)");
        INDArray outside = ids.dup();
        outside.putScalar(2, 11, 50);
        assertThatThrownBy(() -> model.predict(outside)).hasMessageContaining("token id 50.0 at row 3, column 12");
        INDArray negative = ids.dup();
        negative.putScalar(0, 0, -1);
        assertThatThrownBy(() -> model.predict(negative)).hasMessageContaining("token id -1.0 at row 1, column 1");
        assertThat(model.predict(Nd4j.zeros(DataType.DOUBLE, 1, TokenNetworks.LENGTH)).size(0)).isEqualTo(1);
    }
}
