package dev.explain4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.IntegrationRule;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.io.AttributionsJsonWriter;
import dev.explain4j.testing.Networks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recorded parameters and their JSON do not depend on the default locale: in Turkish, "LOGIT".toLowerCase() is
 * "logıt" (dotless ı), which is what the parameters said before their case mapping took Locale.ROOT.
 */
class TurkishLocaleTest {
    @TempDir
    Path dir;

    @Test
    void parametersAndTheirJsonAreTheSameInTurkish() throws Exception {
        Locale before = Locale.getDefault();
        Locale.setDefault(new Locale("tr", "TR"));
        try {
            assertThat("LOGIT".toLowerCase()).isEqualTo("logıt"); // the locale is in effect
            NetworkModel model = NetworkModel.of(Networks.mlp()).withOutputSpace(OutputSpace.parse("LOGIT"));
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 5);
            Attributions saliency = Saliency.of(model).attribute(x, Target.index(1));
            assertThat(saliency.parameters()).containsEntry("output-space", "logit");
            Attributions ig = IntegratedGradients.of(model).withRule(IntegrationRule.parse("GAUSSLEGENDRE")).withSteps(4)
                    .attribute(x, Target.index(1));
            assertThat(ig.parameters()).containsEntry("output-space", "logit")
                    .containsEntry("integration", "gausslegendre");

            Path json = dir.resolve("ig.json");
            AttributionsJsonWriter.write(ig, json);
            JsonNode parameters = new ObjectMapper().readTree(json.toFile()).get("parameters");
            assertThat(parameters.get("output-space").asText()).isEqualTo("logit");
            assertThat(parameters.get("integration").asText()).isEqualTo("gausslegendre");
        } finally {
            Locale.setDefault(before);
        }
    }
}
