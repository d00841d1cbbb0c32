package dev.explain4j.models;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.TokenAttribution;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.text.Documents;
import dev.explain4j.text.Tokenizer;
import dev.explain4j.text.Vocabulary;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped self-attention classifier explains with gradient methods: its gradient at the embedding's output
 * matches central finite differences of DL4J's own forward pass (in double), and integrated gradients over the
 * tokens is complete (DL4J's own backward pass, 2× the true gradient, left a completeness delta as large as
 * f(x) − f(reference)).
 */
class ShippedAttentionModelTest {
    private static final Path MODELS = Path.of("models");

    private static INDArray samples(DataType type) {
        Tokenizer tokenizer = Tokenizer.of(Vocabulary.read(MODELS.resolve("spam-vocab.txt")), ShippedTextModels.LENGTH);
        return Documents.read(MODELS.resolve("spam-samples.txt"), tokenizer).ids(type);
    }

    private static MultiLayerNetwork network() throws IOException {
        return ModelSerializer.restoreMultiLayerNetwork(MODELS.resolve("spam-attention.zip").toFile(), false);
    }

    @Test
    void gradientAtTheEmbeddingMatchesFiniteDifferencesOfDl4jsForwardPass() throws IOException {
        MultiLayerNetwork net = network().convertDataType(DataType.DOUBLE);
        INDArray ids = samples(DataType.DOUBLE).get(NDArrayIndex.interval(3, 6), NDArrayIndex.all());
        INDArray embedded = net.feedForwardToLayer(0, ids, false).get(1);
        GradientBatch batch = NetworkModel.of(net).after("embedding").gradients(embedded, Target.predicted());
        int last = net.getnLayers() - 1;
        double eps = 1e-6;
        double worst = 0;
        double scale = batch.inputGradient().amaxNumber().doubleValue();
        for (int r = 0; r < ids.size(0); r++) {
            int target = batch.targets()[r];
            INDArray row = embedded.get(NDArrayIndex.interval(r, r + 1), NDArrayIndex.all(), NDArrayIndex.all()).dup();
            for (long d = 0; d < row.size(1); d++) {
                for (long t = 0; t < row.size(2); t++) {
                    double v = row.getDouble(0, d, t);
                    row.putScalar(new long[]{0, d, t}, v + eps);
                    double up = net.activateSelectedLayers(1, last, row).getDouble(0, target);
                    row.putScalar(new long[]{0, d, t}, v - eps);
                    double down = net.activateSelectedLayers(1, last, row).getDouble(0, target);
                    row.putScalar(new long[]{0, d, t}, v);
                    double truth = (up - down) / (2 * eps);
                    worst = Math.max(worst, Math.abs(batch.inputGradient().getDouble(r, d, t) - truth));
                }
            }
        }
        System.out.printf("spam-attention: max |engine − finite differences| / max |gradient| = %.2e%n", worst / scale);
        assertThat(worst / scale).isLessThan(1e-6);
    }

    @Test
    void integratedGradientsOverTheTokensIsComplete() throws IOException {
        NetworkModel model = NetworkModel.of(network());
        INDArray ids = samples(DataType.FLOAT);
        Attributions ig = TokenAttribution.of(model, (after, reference) -> IntegratedGradients.of(after).withReference(reference))
                .withReference(Reference.constant(0)).attribute(ids, Target.predicted());
        double[] delta = ig.completenessDelta().orElseThrow();
        double[] fx = ig.targetOutputs().orElseThrow();
        double[] fb = ig.referenceOutputs().orElseThrow();
        double worst = 0;
        for (int r = 0; r < delta.length; r++) {
            worst = Math.max(worst, Math.abs(delta[r]) / Math.max(Math.abs(fx[r] - fb[r]), 1e-3));
        }
        System.out.printf("spam-attention: IG (50 steps) completeness delta / |f(x) − f(b)|, worst row: %.2e%n", worst);
        assertThat(worst).isLessThan(0.05);
    }
}
