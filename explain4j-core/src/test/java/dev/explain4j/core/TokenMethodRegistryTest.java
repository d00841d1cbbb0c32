package dev.explain4j.core;

import dev.explain4j.gradient.ExpectedGradients;
import dev.explain4j.gradient.GradientXInput;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.NoiseTunnel;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.gradient.TokenAttribution;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.TokenNetworks;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** On a token model the registry's gradient methods go through the embedding, with token-id references. */
class TokenMethodRegistryTest {
    private static final NetworkModel MODEL = NetworkModel.of(TokenNetworks.pooled(DataType.DOUBLE, RNNFormat.NCW,
            PoolingType.AVG, 5, Activation.SOFTMAX));
    private static final INDArray IDS = TokenNetworks.sequences(3, 8);
    private static final Reference TOKEN_4 = Reference.constant(4);

    @Test
    void gradientMethodsByNameEqualTheTokenAttributionOfTheSameMethod() {
        MethodSettings settings = new MethodSettings(TOKEN_4, null, 16, null, null, null, null, 4, 5L, null);
        Map<String, TokenAttribution> direct = Map.of(
                "integrated-gradients", TokenAttribution.of(MODEL, (m, b) -> IntegratedGradients.of(m).withReference(b)
                        .withSteps(16)).withReference(TOKEN_4),
                "gradient-x-input", TokenAttribution.of(MODEL, (m, b) -> GradientXInput.of(m)),
                "gradient", TokenAttribution.of(MODEL, (m, b) -> Saliency.signed(m)),
                "saliency", TokenAttribution.of(MODEL, (m, b) -> Saliency.of(m))
                        .withTokenValue(TokenAttribution.TokenValue.L2_NORM),
                "smoothgrad", TokenAttribution.of(MODEL, (m, b) -> NoiseTunnel.of(m, Saliency.signed(m)).withSamples(4)
                        .withSeed(5)),
                "expected-gradients", TokenAttribution.of(MODEL, (m, b) -> ExpectedGradients.of(m, b).withSamples(4)
                        .withSeed(5)).withReference(Reference.distribution(IDS)));
        direct.forEach((name, method) -> {
            Attributions byName = MethodRegistry.create(name, MODEL, settings, IDS).attribute(IDS, Target.index(1));
            Attributions expected = method.attribute(IDS, Target.index(1));
            assertThat(byName.method()).isEqualTo(name);
            assertThat(byName.shape()).as(name).containsExactly(3, TokenNetworks.LENGTH);
            assertThat(byName.values()).as(name).isEqualTo(expected.values());
        });
        Attributions ig = MethodRegistry.create("integrated-gradients", MODEL, settings, IDS).attribute(IDS, Target.index(1));
        assertThat(ig.parameters()).containsEntry("baseline", "constant:4.0").containsEntry("embedding-layer", "layer0");
        assertThat(ig.reference()).contains(TOKEN_4);
    }

    @Test
    void theDefaultReferenceIsTokenZero() {
        Attributions byDefault = MethodRegistry.create("integrated-gradients", MODEL, MethodSettings.defaults(), IDS)
                .attribute(IDS, Target.index(0));
        Attributions tokenZero = TokenAttribution.of(MODEL, (m, b) -> IntegratedGradients.of(m).withReference(b))
                .withReference(Reference.constant(0)).attribute(IDS, Target.index(0));
        assertThat(byDefault.values()).isEqualTo(tokenZero.values());
        assertThat(byDefault.referenceOutputs().orElseThrow()).containsExactly(tokenZero.referenceOutputs().orElseThrow());
    }
}
