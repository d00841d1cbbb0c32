package dev.explain4j.perturbation;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Target;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Every method records the reference it compared against, f at it, and kebab-case parameter keys. */
class ReferenceRecordedTest {
    private static final int D = 8;
    private static final ExplainableModel NET = TestModels.wrap(TestModels.network(D), D).model();

    @Test
    void everyMethodRecordsTheReferenceItWasGivenAndItsOutput() {
        INDArray x = TestModels.gaussian(2, D, 1.5, 61);
        Reference constant = Reference.constant(0.3);
        Reference row = Reference.rows(TestModels.gaussian(1, D, 1, 62));
        Reference background = Reference.distribution(TestModels.gaussian(4, D, 1, 63));
        Map<String, AttributionMethod> methods = new LinkedHashMap<>();
        methods.put("exact-shapley", ExactShapley.of(NET).withReference(row));
        methods.put("kernel-shap", KernelShap.of(NET).withReference(background).withSamples(30));
        methods.put("shapley-sampling", ShapleySampling.of(NET).withReference(background).withSamples(3));
        methods.put("feature-ablation", FeatureAblation.of(NET).withReference(constant));
        methods.put("occlusion", Occlusion.of(NET).withReference(row));
        Map<String, Reference> given = Map.of("exact-shapley", row, "kernel-shap", background, "shapley-sampling", background,
                "feature-ablation", constant, "occlusion", row);
        for (Map.Entry<String, AttributionMethod> m : methods.entrySet()) {
            Reference reference = given.get(m.getKey());
            Attributions a = m.getValue().attribute(x, Target.index(1));
            assertThat(a.method()).isEqualTo(m.getKey());
            assertThat(a.reference()).as(m.getKey()).containsSame(reference);
            assertThat(a.parameters().get("reference")).as(m.getKey()).isEqualTo(reference.describe());
            // f(reference), independently: the model at the reference's (weighted mean over its rows of the) outputs
            Reference.Distribution d = reference.distribution(x, NET);
            INDArray outputs = NET.predict(d.rows());
            double expected = 0;
            for (int j = 0; j < d.size(); j++) {
                expected += d.weights()[j] * outputs.getDouble(j, 1);
            }
            for (double fb : a.referenceOutputs().orElseThrow()) {
                assertThat(fb).as(m.getKey()).isCloseTo(expected, within(1e-15));
            }
        }
    }

    @Test
    void kernelShapRecordsTheKMeansSummaryItUsedAndLimeItsTrainingData() {
        INDArray x = TestModels.gaussian(1, D, 1.5, 64);
        Reference big = Reference.distribution(TestModels.gaussian(40, D, 1, 65));
        Attributions a = KernelShap.of(NET).withReference(big).withBackgroundLimit(5).withSamples(30).withSeed(2)
                .attribute(x, Target.index(0));
        Reference used = a.reference().orElseThrow();
        assertThat(used).isNotSameAs(big);
        assertThat(used.distribution(x, NET).size()).isEqualTo(5);
        assertThat(a.parameters()).containsEntry("background-rows", "5");
        Reference training = Reference.distribution(TestModels.gaussian(50, D, 1, 66));
        Attributions lime = Lime.of(NET, training).withSamples(50).attribute(x, Target.index(0));
        assertThat(lime.reference()).containsSame(training);
        assertThat(lime.referenceOutputs()).isEmpty();
    }

    @Test
    void limeImageRecordsAReferenceOnlyWhenGivenOne() {
        ExplainableModel image = ExplainableModel.of(b -> b.reshape('c', b.size(0), -1).sum(true, 1), new long[]{1, 4, 4}, 1,
                DataType.DOUBLE);
        INDArray x = TestModels.gaussian(1, 16, 1, 67).reshape('c', 1, 1, 4, 4);
        LimeImage lime = LimeImage.of(image).withGrid(2, 2).withSamples(40);
        Attributions byMean = lime.attribute(x, Target.index(0));
        assertThat(byMean.reference()).isEmpty();
        assertThat(byMean.referenceOutputs()).isEmpty();
        assertThat(byMean.parameters()).containsEntry("hide", "mean");
        Reference half = Reference.constant(0.5);
        Attributions byConstant = lime.withReference(half).attribute(x, Target.index(0));
        assertThat(byConstant.reference()).containsSame(half);
        // every superpixel hidden: the sum of sixteen 0.5s
        assertThat(byConstant.referenceOutputs().orElseThrow()[0]).isEqualTo(8.0);
    }

    @Test
    void parameterKeysAreKebabCase() {
        INDArray x = TestModels.gaussian(1, D, 1.5, 68);
        Reference background = Reference.distribution(TestModels.gaussian(3, D, 1, 69));
        ExplainableModel image = ExplainableModel.of(b -> b.reshape('c', b.size(0), -1).sum(true, 1), new long[]{1, 4, 4}, 1,
                DataType.DOUBLE);
        Attributions[] results = {
                ExactShapley.of(NET).withReference(background).attribute(x, Target.index(0)),
                KernelShap.of(NET).withReference(background).withSamples(20).withMaxFeatures(3).attribute(x, Target.index(0)),
                ShapleySampling.of(NET).withReference(background).withSamples(2).attribute(x, Target.index(0)),
                FeatureAblation.of(NET).withGroups(0, 0, 1, 1, 2, 2, 3, 3).attribute(x, Target.index(0)),
                Occlusion.of(NET).attribute(x, Target.index(0)),
                Lime.of(NET, background).withSamples(20).withFeatureSelection(Lime.FeatureSelection.HIGHEST_WEIGHTS)
                        .attribute(x, Target.index(0)),
                LimeImage.of(image).withSamples(20).attribute(Nd4j.ones(DataType.DOUBLE, 1, 1, 4, 4), Target.index(0))};
        for (Attributions a : results) {
            assertThat(a.parameters().keySet()).as(a.method()).allMatch(k -> k.matches("[a-z0-9]+(-[a-z0-9]+)*"))
                    .contains("batch-size");
            assertThat(a.parameters().values()).as(a.method()).allMatch(v -> !v.contains("_"));
        }
        assertThat(results[5].parameters()).containsEntry("feature-selection", "highest-weights");
    }
}
