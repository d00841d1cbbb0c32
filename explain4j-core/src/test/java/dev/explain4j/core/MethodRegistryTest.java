package dev.explain4j.core;

import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.IntegrationRule;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.perturbation.ShapleySampling;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MethodRegistryTest {
    private static final NetworkModel MLP = NetworkModel.of(Networks.mlp()).withDataType(DataType.DOUBLE);
    private static final NetworkModel RELU_MLP = NetworkModel.of(reluMlp()).withDataType(DataType.DOUBLE);
    private static final NetworkModel CNN = NetworkModel.of(Networks.cnn(CNN2DFormat.NCHW)).withDataType(DataType.DOUBLE);
    private static final INDArray ROWS = Networks.randomInput(3, 4, 5).castTo(DataType.DOUBLE);
    private static final INDArray IMAGES = Networks.randomInput(4, 2, 2, 6, 6).castTo(DataType.DOUBLE);

    @Test
    void everyMethodIsNamedOnceAndResultsCarryItsName() {
        assertThat(new HashSet<>(MethodRegistry.names())).hasSameSizeAs(MethodRegistry.names());
        Set<String> imageOnly = Set.of("grad-cam", "guided-grad-cam", "lime-image", "layer-gradient-x-activation");
        // DeepLIFT and LRP refuse a softmax output (Captum's softmax rule mixes the rows): they run on logits
        Set<String> logitOnly = Set.of("deeplift", "deeplift-shap", "lrp");
        for (MethodInfo info : MethodRegistry.all()) {
            boolean image = imageOnly.contains(info.name());
            MethodSettings settings = new MethodSettings(null, null, 8, null, info.needsLayer() ? "0" : null, null, null,
                    info.stochastic() ? 6 : null, 1L, null, null, info.options().contains("neuron") ? 2 : null, null);
            dev.explain4j.model.NetworkModel network = image ? CNN : MLP;
            if (info.name().equals("lrp")) {
                network = RELU_MLP; // LRP's rules pass relevance through ReLU, tanh and identity only
            }
            if (logitOnly.contains(info.name())) {
                network = network.withOutputSpace(dev.explain4j.model.OutputSpace.LOGIT);
            }
            AttributionMethod method = MethodRegistry.create(info.name(), network, settings, image ? IMAGES : ROWS);
            Attributions a = method.attribute(image ? IMAGES : ROWS, Target.predicted());
            assertThat(method.name()).as(info.name()).isEqualTo(info.name());
            assertThat(a.method()).as(info.name()).isEqualTo(info.name());
            assertThat(a.completenessDelta().isPresent()).as(info.name() + " completeness delta").isEqualTo(info.completenessDelta());
        }
    }

    @Test
    void settingsLeftOutKeepTheMethodsOwnDefaults() {
        Attributions byName = MethodRegistry.create("shapley-sampling", MLP, MethodSettings.defaults(), ROWS)
                .attribute(ROWS, Target.index(2));
        Attributions direct = ShapleySampling.of(MLP).attribute(ROWS, Target.index(2));
        assertThat(byName.values()).isEqualTo(direct.values());
        assertThat(byName.parameters()).isEqualTo(direct.parameters());
    }

    @Test
    void settingsGivenReachTheMethod() {
        Reference mean = Reference.mean(ROWS);
        MethodSettings settings = new MethodSettings(mean, null, 12, IntegrationRule.RIEMANN_MIDDLE, null, null, null, null,
                null, null);
        Attributions byName = MethodRegistry.create("integrated-gradients", MLP, settings, ROWS).attribute(ROWS, Target.index(0));
        Attributions direct = IntegratedGradients.of(MLP).withReference(mean).withSteps(12)
                .withRule(IntegrationRule.RIEMANN_MIDDLE).attribute(ROWS, Target.index(0));
        assertThat(byName.values()).isEqualTo(direct.values());
        assertThat(byName.reference()).contains(mean);
        assertThat(byName.parameters()).containsEntry("steps", "12");
    }

    @Test
    void layerNeuronAndUpsamplingSettingsReachTheMethods() {
        MethodSettings settings = new MethodSettings(Reference.mean(ROWS), null, 12, IntegrationRule.RIEMANN_TRAPEZOID,
                "layer1", null, null, null, null, null, null, 4, null);
        Attributions conductance = MethodRegistry.create("layer-conductance", MLP, settings, ROWS).attribute(ROWS, Target.index(1));
        Attributions direct = dev.explain4j.gradient.LayerConductance.of(MLP, "layer1").withSteps(12)
                .withRule(IntegrationRule.RIEMANN_TRAPEZOID).withReference(Reference.mean(ROWS)).attribute(ROWS, Target.index(1));
        assertThat(conductance.values()).isEqualTo(direct.values());
        Attributions neuron = MethodRegistry.create("neuron-integrated-gradients", MLP, settings, ROWS)
                .attribute(ROWS, Target.predicted());
        assertThat(neuron.parameters()).containsEntry("layer", "layer1").containsEntry("neuron", "4")
                .containsEntry("steps", "12").containsEntry("integration", "riemann-trapezoid");
        MethodSettings noNeuron = new MethodSettings(null, null, null, null, "layer1", null, null, null, null, null);
        assertThatThrownBy(() -> MethodRegistry.create("neuron-gradient", MLP, noNeuron, ROWS))
                .hasMessageContaining("neuron-gradient needs --neuron INDEX");
        assertThatThrownBy(() -> MethodRegistry.create("layer-conductance", MLP, MethodSettings.defaults(), ROWS))
                .hasMessageContaining("layer-conductance needs --layer");

        MethodSettings none = new MethodSettings(null, null, null, null, null, null, null, null, null, null, null, null,
                dev.explain4j.gradient.GradCam.Upsampling.NONE);
        Attributions cam = MethodRegistry.create("grad-cam", CNN, none, IMAGES).attribute(IMAGES, Target.index(0));
        assertThat(cam.shape()).as("the map at the convolution's resolution").containsExactly(2, 4, 4);
        assertThat(MethodRegistry.create("grad-cam", CNN, MethodSettings.defaults(), IMAGES).attribute(IMAGES, Target.index(0))
                .shape()).as("upsampled to the input by default").containsExactly(2, 6, 6);
        assertThatThrownBy(() -> MethodRegistry.create("guided-grad-cam", CNN, none, IMAGES)).hasMessageContaining("not none");
    }

    @Test
    void limeOnImagesIsLimeImageAndGradientMethodsRefuseBlackBoxes() {
        assertThat(MethodRegistry.create("lime", CNN, MethodSettings.defaults(), IMAGES).name()).isEqualTo("lime-image");
        ExplainableModel blackBox = ExplainableModel.of(b -> b.sum(true, 1), new long[]{5}, 1, DataType.DOUBLE);
        assertThatThrownBy(() -> MethodRegistry.create("saliency", blackBox, MethodSettings.defaults(), ROWS))
                .hasMessageContaining("saliency is a gradient method");
        assertThatThrownBy(() -> MethodRegistry.get("shap")).hasMessageContaining("unknown method 'shap'")
                .hasMessageContaining("kernel-shap");
        assertThatThrownBy(() -> MethodRegistry.create("layer-gradient-x-activation", MLP, MethodSettings.defaults(), ROWS))
                .hasMessageContaining("needs --layer");
        assertThat(MethodRegistry.all().stream().filter(MethodInfo::stochastic).map(MethodInfo::name).toList())
                .containsExactlyInAnyOrderElementsOf(List.of("smoothgrad", "expected-gradients", "kernel-shap",
                        "shapley-sampling", "lime", "lime-text", "lime-image"));
    }

    private static org.deeplearning4j.nn.multilayer.MultiLayerNetwork reluMlp() {
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(
                new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE).list()
                        .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(5).nOut(6)
                                .activation(org.nd4j.linalg.activations.Activation.RELU).build())
                        .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                                org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                                .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
                        .build());
        net.init();
        return net;
    }
}
