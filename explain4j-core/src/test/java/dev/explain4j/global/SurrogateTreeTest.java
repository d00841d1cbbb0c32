package dev.explain4j.global;

import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.io.CsvInputReader;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SurrogateTreeTest {

    @Test
    void distilsTheShippedIrisNetworkFaithfullyAtDepthFour() {
        SurrogateTree.Result result = irisTreeOfDepthFour();
        System.out.print(result.describe());
        assertThat(result.depth()).isLessThanOrEqualTo(4);
        assertThat(result.fidelity()).isGreaterThanOrEqualTo(0.9);
        assertThat(result.rules()).hasSize(result.leaves());
        assertThat(result.rules().toString()).contains("petal").contains("→ setosa");
        assertThat(result.rules().stream().mapToInt(SurrogateTree.Rule::support).sum()).isEqualTo(result.trainingRows());
    }

    /**
     * Tribuo splits a region where both halves keep the majority class, to raise purity: here 4.873 and 4.931 on
     * petal length inside the versicolor region. Those halves make one rule, with their rows added up.
     */
    @Test
    void halvesThatPredictTheSameClassAreOneRule() {
        SurrogateTree.Result result = irisTreeOfDepthFour();
        assertThat(result.rules()).extracting(SurrogateTree.Rule::toString)
                .contains("2.584 < petal_length_cm ≤ 4.931 ∧ petal_width_cm ≤ 1.654 → versicolor (100%, 206 rows)");
        assertThat(result.rules()).hasSize(7);
    }

    private static SurrogateTree.Result irisTreeOfDepthFour() {
        NetworkModel model = ModelLoader.load(Path.of("models/iris-mlp.zip"), null);
        // the shipped iris data: 4 measurements in cm, then the class
        INDArray data = Nd4j.createFromArray(CsvInputReader.ofWidth(5, "4 measurements and the class")
                .read(Path.of("models/data/iris.dat")).splitColumns(4).get(0).toMatrix());
        return SurrogateTree.of(model).withMaxDepth(4).withSeed(1)
                .withFeatureNames(List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"))
                .withClassNames(List.of("setosa", "versicolor", "virginica")).fit(data);
    }

    @Test
    void aDepthOneTreeOnAThresholdModelFindsTheThreshold() {
        // class 1 exactly when x0 > 0.3: the learnt threshold lies between the closest rows on each side
        INDArray data = Nd4j.linspace(-1, 1, 201, org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(201, 1);
        dev.explain4j.model.ExplainableModel model = dev.explain4j.model.ExplainableModel.of(b -> {
            INDArray one = b.gt(0.3).castTo(b.dataType());
            return Nd4j.hstack(one.rsub(1), one);
        }, new long[]{1}, 2, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        SurrogateTree.Result result = SurrogateTree.of(model).withMaxDepth(1).withPerturbedCopies(0).fit(data);
        assertThat(result.fidelity()).isEqualTo(1.0);
        assertThat(result.rules()).hasSize(2);
        String left = result.rules().get(0).conditions().get(0);
        double threshold = Double.parseDouble(left.substring(left.indexOf('≤') + 1).trim());
        assertThat(threshold).isBetween(0.28, 0.32);
        assertThat(result.rules().get(0).className()).isEqualTo("class 0");
    }
}
