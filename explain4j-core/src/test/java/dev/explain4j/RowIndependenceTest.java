package dev.explain4j;

import dev.explain4j.core.Reference;
import dev.explain4j.core.AttributionMethod;
import dev.explain4j.gradient.ExpectedGradients;
import dev.explain4j.gradient.GradCam;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.IntegrationRule;
import dev.explain4j.gradient.LayerGradientXActivation;
import dev.explain4j.gradient.NoiseTunnel;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.io.CsvInputReader;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.core.Reference;
import dev.explain4j.perturbation.FeatureAblation;
import dev.explain4j.perturbation.KernelShap;
import dev.explain4j.perturbation.Lime;
import dev.explain4j.perturbation.Occlusion;
import dev.explain4j.perturbation.ShapleySampling;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A row's attributions do not depend on the other rows of the call: the row explained alone, repeated, and among
 * other rows at several positions (first, middle, last, across chunk boundaries set by a small memory budget and small
 * perturbation batches), on the shipped models in float and double.
 *
 * <p>Seeded methods draw every row's randomness from the seed alone, so the same row gets the same draws wherever it
 * sits. What remains is the rounding of the native matrix products (OpenBLAS computes a row in a batch with a kernel
 * chosen by its position: see README, "rows never influence each other"): bounded here by {@link #BOUND} times the
 * row's largest |attribution|, a few float32 (or float64) units in the last place of the products.
 */
class RowIndependenceTest {
    /** Relative bound of the rounding differences; measured here up to 1.3e-6 (float, Grad-CAM) and 2.1e-15 (double). */
    private static final Map<DataType, Double> BOUND = Map.of(DataType.FLOAT, 1e-5, DataType.DOUBLE, 1e-13);
    private static final int ROW = 1;

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of("iris", DataType.FLOAT), Arguments.of("iris", DataType.DOUBLE),
                Arguments.of("digits", DataType.FLOAT), Arguments.of("digits", DataType.DOUBLE));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void aRowsAttributionsDoNotDependOnTheOtherRows(String name, DataType type) {
        boolean digits = name.equals("digits");
        NetworkModel loaded = ModelLoader.load(Path.of(digits ? "models/digits-cnn.zip" : "models/iris-mlp.zip"), null)
                .withDataType(type);
        INDArray data = CsvInputReader.ofWidth(digits ? 64 : 4, name)
                .read(Path.of(digits ? "models/digits-samples.csv" : "models/iris-samples.csv")).toArray(type);
        // gradient methods: a budget of about three rows per chunk, so the batches below cross chunk boundaries at
        // several places; perturbation methods: batches of 7 perturbed rows
        NetworkModel model = loaded.withMemoryBudget(3 * 4L * type.width() * (digits ? 3722 : 23));
        INDArray row = data.getRow(ROW, true).dup();
        INDArray background = data.get(NDArrayIndex.interval(4, 9));

        Map<String, AttributionMethod> methods = new LinkedHashMap<>();
        methods.put("gradient", Saliency.signed(model));
        methods.put("ig 1 step (no fused first layer)", IntegratedGradients.of(model).withRule(IntegrationRule.RIEMANN_MIDDLE).withSteps(1));
        methods.put("ig 7 steps (fused first layer)", IntegratedGradients.of(model).withSteps(7));
        methods.put("smoothgrad", NoiseTunnel.of(model, Saliency.signed(model)).withSamples(5).withSeed(3));
        methods.put("expected gradients", ExpectedGradients.of(model, Reference.distribution(background)).withSamples(7).withSeed(3));
        methods.put("layer gradient x activation", LayerGradientXActivation.of(model, digits ? "dense" : "hidden"));
        if (digits) {
            methods.put("grad-cam", GradCam.of(model).withLayer("conv2"));
        }
        // on the digits (images) a window of H, W spans the channels
        Occlusion occlusion = Occlusion.of(loaded).withBatchSize(7);
        methods.put("occlusion", digits ? occlusion.withWindow(2, 2).withStrides(2, 2) : occlusion.withWindow(2).withStrides(2));
        methods.put("feature ablation", FeatureAblation.of(loaded).withBatchSize(7));
        methods.put("kernel shap", KernelShap.of(loaded).withReference(Reference.distribution(background)).withSamples(20)
                .withSeed(3).withBatchSize(7));
        methods.put("shapley sampling", ShapleySampling.of(loaded).withReference(Reference.distribution(background))
                .withSamples(1).withSeed(3).withBatchSize(7));
        methods.put("lime", Lime.of(loaded, Reference.distribution(data)).withSamples(20).withSeed(3).withBatchSize(7));

        StringBuilder figures = new StringBuilder();
        List<String> failures = new ArrayList<>();
        double bound = BOUND.get(type);
        for (Map.Entry<String, AttributionMethod> method : methods.entrySet()) {
            double[] alone = values(method.getValue(), row, 0);
            double scale = maxAbs(alone);
            double worst = 0;
            String where = "";
            for (int position : new int[]{-1, 0, 4, 9}) {
                INDArray batch = position < 0 ? row.repeat(0, 9) : insert(data, row, position);
                double[] there = values(method.getValue(), batch, position < 0 ? 8 : position);
                double difference = maxAbsDifference(alone, there) / scale;
                if (difference > worst) {
                    worst = difference;
                    where = position < 0 ? "repeated 9 times, copy 9" : "among 9 others at position " + (position + 1);
                }
            }
            figures.append(String.format("%n  %s: %.2e %s", method.getKey(), worst, where));
            if (worst > bound) {
                failures.add(String.format("%s on %s in %s: the row's attributions changed with the other rows (%s),"
                        + " relative difference %.2e > %.0e", method.getKey(), name, type, where, worst, bound));
            }
        }
        System.out.println("row independence, " + name + " " + type + ", max relative difference to the row alone:" + figures);
        assertThat(failures).isEmpty();
    }

    private static double[] values(AttributionMethod method, INDArray batch, int position) {
        return method.attribute(batch, Target.index(0)).values().reshape('c', batch.size(0), -1).getRow(position)
                .castTo(DataType.DOUBLE).toDoubleVector();
    }

    /** The others with {@code row} inserted before the one at {@code position} (so it is at {@code position}). */
    private static INDArray insert(INDArray others, INDArray row, int position) {
        INDArray before = others.get(NDArrayIndex.interval(0, position));
        INDArray after = others.get(NDArrayIndex.interval(position, others.size(0)));
        return Nd4j.concat(0, Stream.of(before, row, after).filter(a -> a.size(0) > 0).toArray(INDArray[]::new));
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m > 0 ? m : 1;
    }

    private static double maxAbsDifference(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
