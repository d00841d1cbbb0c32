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
 * 99.9% error, then the ratios taken from the same run (all numbers of one run share the machine's load).
 */
public final class Summary {
    private Summary() {
    }

    /** Captum 0.7 / PyTorch 1.13 on this machine type (issue 6), ms. */
    private static final Map<String, Double> CAPTUM = Map.of(
            "GradientBench.igBatched[mlp]", 310.0,
            "GradientBench.igBatched[cnn]", 2400.0,
            "PerturbationBench.kernelShap", 1700.0,
            "PerturbationBench.lime", 2000.0);

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
            ratio(out, stats, "IG / floor (engine, one pass) [" + model + "]",
                    "GradientBench.igBatched[" + model + "]", "GradientBench.floorEngine[" + model + "]");
            ratio(out, stats, "IG / floor (DL4J calculateGradients) [" + model + "]",
                    "GradientBench.igBatched[" + model + "]", "GradientBench.floorDl4j[" + model + "]");
            ratio(out, stats, "engine floor / DL4J floor [" + model + "]",
                    "GradientBench.floorEngine[" + model + "]", "GradientBench.floorDl4j[" + model + "]");
            ratio(out, stats, "IG batched / IG naive [" + model + "]",
                    "GradientBench.igBatched[" + model + "]", "GradientBench.igNaive[" + model + "]");
        }
        for (Map.Entry<String, Double> bar : CAPTUM.entrySet()) {
            double[] mine = stats.get(bar.getKey());
            if (mine != null) {
                out.append(String.format(Locale.ROOT, "| Captum / explain4j, %s (Captum %s ms) | %.2f× |%n",
                        bar.getKey(), fmt(bar.getValue()), bar.getValue() / mine[0]));
            }
        }
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
