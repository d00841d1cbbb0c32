package dev.explain4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON result into the tables of RESULTS.md: per case the median of the measured iterations and JMH's
 * 99.9% error, then the ratios between cases of the same run (all numbers of one run share the machine's load):
 * each method against its floor, batched against naive, explain4j's engine against DL4J. Figures of other tools are
 * not measured here; they are printed apart, as a dated reference, never divided into this run's numbers.
 */
public final class Summary {
    private Summary() {
    }

    /** Method / floor pairs of one model-independent case, then of every model-parameterised case. */
    private static final List<String[]> FLOORS = List.of(
            new String[]{"KernelSHAP / one forward over its 4000 rows", "PerturbationBench.kernelShap", "PerturbationBench.kernelShapFloor"},
            new String[]{"occlusion / one forward over its 2720 images", "PerturbationBench.occlusion", "PerturbationBench.occlusionFloor"},
            new String[]{"text IG (BiLSTM, 64 × 100 tokens) / one pass over its points", "TextBench.integratedGradients", "TextBench.floorIg"},
            new String[]{"text KernelSHAP / one forward over its coalitions", "TextBench.kernelShap", "TextBench.floorKernelShap"});
    private static final List<String[]> MODEL_FLOORS = List.of(
            new String[]{"IG / floor (engine, one pass)", "GradientBench.igBatched", "GradientBench.floorEngine"},
            new String[]{"IG / floor (DL4J calculateGradients)", "GradientBench.igBatched", "GradientBench.floorDl4j"},
            new String[]{"engine floor / DL4J floor", "GradientBench.floorEngine", "GradientBench.floorDl4j"},
            new String[]{"IG batched / IG naive", "GradientBench.igBatched", "GradientBench.igNaive"},
            new String[]{"saliency / floor (one pass over the 64 rows)", "GradientBench.saliency", "GradientBench.saliencyFloor"},
            new String[]{"SmoothGrad / floor (one pass over its 1280 points)", "GradientBench.smoothGrad", "GradientBench.smoothGradFloor"},
            new String[]{"expected gradients / floor (one pass over its 12800 points)", "ExpectedGradientsBench.expectedGradients",
                    "ExpectedGradientsBench.expectedGradientsFloor"},
            new String[]{"DeepLIFT / saliency (64 rows, logits)", "DeepLiftBench.deepLift", "DeepLiftBench.saliency"},
            new String[]{"DeepLiftShap, 10 background rows / saliency", "DeepLiftBench.deepLiftShap", "DeepLiftBench.saliency"});

    /**
     * Captum 0.7 / PyTorch 1.13, CPU, 2 threads, float32, same architectures, on this machine type, as issue 17
     * reported them on 2026-12-02: a reference, not a measurement of this harness.
     */
    private static final String CAPTUM_REFERENCE = """

            Reference, not measured in this run: Captum 0.7 / PyTorch 1.13, CPU, 2 threads, float32, same architectures,
            this machine type, as reported in issue 17 (2026-12-02).

            | case | Captum 0.7 |
            |---|---:|
            | IG 50 steps × 64 rows, MLP | 230 ms |
            | IG 50 steps × 64 rows, CNN | 1360 ms |
            | saliency, 64 rows, CNN | 14.9 ms |
            | saliency, 64 rows, MLP | 11.9 ms |
            | SmoothGrad, 20 samples × 64 rows, CNN | 494 ms |
            | SmoothGrad, 20 samples × 64 rows, MLP | 83 ms |
            | occlusion, 16 images, 4×4 window, stride 2 | 387 ms |
            | KernelSHAP, 20 rows × 200 coalitions, tabular | 349 ms |
            """;

    public static void main(String[] args) throws IOException {
        JsonNode results = new ObjectMapper().readTree(Files.readString(Path.of(args[0])));
        Map<String, double[]> stats = new LinkedHashMap<>();
        StringBuilder out = new StringBuilder();
        out.append("| case | median ms | ± error (99.9%) | iterations |\n|---|---:|---:|---:|\n");
        for (JsonNode result : results) {
            String name = name(result);
            JsonNode metric = result.get("primaryMetric");
            List<Double> scores = new ArrayList<>();
            metric.get("rawData").forEach(fork -> fork.forEach(v -> scores.add(v.asDouble())));
            double median = median(scores);
            double error = metric.get("scoreError").asDouble();
            stats.put(name, new double[]{median, error});
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %d |%n", name, fmt(median),
                    Double.isNaN(error) ? "n/a" : fmt(error), scores.size()));
        }
        out.append("\n| ratio (medians, same run) | value |\n|---|---:|\n");
        for (String model : List.of("mlp", "cnn", "digits")) {
            for (String[] pair : MODEL_FLOORS) {
                ratio(out, stats, pair[0] + " [" + model + "]", pair[1] + "[" + model + "]", pair[2] + "[" + model + "]");
            }
        }
        for (String[] pair : FLOORS) {
            ratio(out, stats, pair[0], pair[1], pair[2]);
        }
        out.append(CAPTUM_REFERENCE);
        System.out.print(out);
    }

    private static void ratio(StringBuilder out, Map<String, double[]> stats, String label, String a, String b) {
        if (stats.containsKey(a) && stats.containsKey(b)) {
            out.append(String.format(Locale.ROOT, "| %s | %.3f |%n", label, stats.get(a)[0] / stats.get(b)[0]));
        }
    }

    private static String name(JsonNode result) {
        String benchmark = result.get("benchmark").asText();
        String[] parts = benchmark.split("\\.");
        String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
        JsonNode params = result.get("params");
        if (params != null) {
            List<String> values = new ArrayList<>();
            params.fields().forEachRemaining(e -> values.add(e.getValue().asText()));
            name += values.toString().replace(" ", "");
        }
        return name;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String fmt(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.3g", ms);
    }
}
