package dev.explain4j.global;

import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.models.LabelledData;
import dev.explain4j.models.ShippedData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SurrogateTreeTest {

    @Test
    void distilsTheShippedIrisNetworkFaithfullyAtDepthFour() {
        NetworkModel model = ModelLoader.load(Path.of("models/iris-mlp.zip"), null);
        LabelledData iris = ShippedData.iris(Path.of("models/data"));
        INDArray data = Nd4j.createFromArray(IntStream.range(0, iris.size()).mapToObj(iris::features).toArray(double[][]::new));
        SurrogateTree.Result result = SurrogateTree.builder(model).maxDepth(4).seed(1)
                .featureNames(iris.featureNames()).classNames(ShippedData.IRIS_CLASSES).build().fit(data);
        System.out.print(result.describe());
        assertThat(result.depth()).isLessThanOrEqualTo(4);
        assertThat(result.fidelity()).isGreaterThanOrEqualTo(0.9);
        assertThat(result.rules()).hasSize(result.leaves());
        assertThat(result.rules().toString()).contains("petal").contains("→ setosa");
        assertThat(result.rules().stream().mapToInt(SurrogateTree.Rule::support).sum()).isEqualTo(result.trainingRows());
    }

    @Test
    void aDepthOneTreeOnAThresholdModelFindsTheThreshold() {
        // class 1 exactly when x0 > 0.3: the learnt threshold lies between the closest rows on each side
        INDArray data = Nd4j.linspace(-1, 1, 201, org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(201, 1);
        dev.explain4j.model.ExplainableModel model = dev.explain4j.model.ExplainableModel.of(b -> {
            INDArray one = b.gt(0.3).castTo(b.dataType());
            return Nd4j.hstack(one.rsub(1), one);
        }, new long[]{1}, 2, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        SurrogateTree.Result result = SurrogateTree.builder(model).maxDepth(1).perturbedCopies(0).build().fit(data);
        assertThat(result.fidelity()).isEqualTo(1.0);
        assertThat(result.rules()).hasSize(2);
        String left = result.rules().get(0).conditions().get(0);
        double threshold = Double.parseDouble(left.substring(left.indexOf('≤') + 1).trim());
        assertThat(threshold).isBetween(0.28, 0.32);
        assertThat(result.rules().get(0).className()).isEqualTo("class 0");
    }
}
