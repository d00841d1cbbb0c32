package dev.explain4j.cli;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.io.AtomicFiles;
import dev.explain4j.io.AttributionsCsvWriter;
import dev.explain4j.io.AttributionsJsonWriter;
import dev.explain4j.metrics.QualityReport;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explains each row of an input CSV (or each document of --text) with one method and writes the attributions (.csv or .json).")
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--input", paramLabel = "CSV",
            description = "one sample per row, flattened row-major in the model's input layout (integer token ids for a"
                    + " model that takes them); optional header of feature names")
    Path input;

    @Mixin
    TextOptions textOptions;

    @Option(names = "--method", required = true, paramLabel = "NAME", description = "one of: ${COMPLETION-CANDIDATES}",
            completionCandidates = MethodNames.class)
    String method;

    @Option(names = "--target", defaultValue = "predicted", paramLabel = "predicted|INDEX|NAME",
            description = "output to explain: each row's predicted class (default), an output index or a class name")
    String target;

    @Option(names = "--baseline", paramLabel = "zero|mean|blur|CSV",
            description = "reference input: zeros (default), the inputs' mean, a blurred copy (images, gradient methods), or CSV rows")
    String baseline;

    @Option(names = "--reference-token", paramLabel = "ID",
            description = "for a model that takes token ids: the reference sequence holds this id at every position,"
                    + " for gradient and perturbation methods alike (default 0)")
    Integer referenceToken;

    @Option(names = "--pad-id", paramLabel = "ID",
            description = "for a model that takes token ids: positions holding this id are padding, masked in the"
                    + " network (recurrent layers and pooling skip them) and given exactly zero by every method (default: off)")
    Long padId;

    @Option(names = "--groups", paramLabel = "CSV",
            description = "feature groups of perturbation methods (features with the same id are one player): one row"
                    + " of ids for all inputs or, for token ids, one row per input row (word groups of sub-word tokens)")
    Path groups;

    @Option(names = "--background", paramLabel = "CSV",
            description = "reference rows for kernel-shap, exact-shapley, shapley-sampling, expected-gradients and lime (default: the inputs)")
    Path background;

    @Option(names = "--steps", paramLabel = "N", description = "integration steps (integrated-gradients and the layer and"
            + " neuron path methods; default 50)")
    Integer steps;

    @Option(names = "--integration", paramLabel = "RULE",
            description = "gausslegendre (default), riemann-left, riemann-right, riemann-middle, riemann-trapezoid")
    String integration;

    @Option(names = "--layer", paramLabel = "NAME", description = "layer name or index (see explain4j info)")
    String layer;

    @Option(names = "--neuron", paramLabel = "INDEX",
            description = "for neuron-gradient and neuron-integrated-gradients: the unit of --layer's output to explain,"
                    + " a flat index into it, row-major in the model's own layout")
    Integer neuron;

    @Option(names = "--upsample", paramLabel = "none|nearest|bilinear",
            description = "how grad-cam (default bilinear; none: the layer's resolution) and guided-grad-cam (default"
                    + " nearest) bring their map to the input's size")
    String upsample;

    @Option(names = "--window", split = ",", paramLabel = "H,W", description = "occlusion window (image: H,W) or LIME image cell")
    long[] window;

    @Option(names = "--stride", split = ",", paramLabel = "H,W", description = "occlusion strides")
    long[] stride;

    @Option(names = "--samples", paramLabel = "N", description = "samples of stochastic methods")
    Integer samples;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "seed of stochastic methods (default 0)")
    long seed;

    @Option(names = "--batch-size", defaultValue = "4096", paramLabel = "N",
            description = "rows per model call of perturbation methods (default 4096)")
    int batchSize;

    @Option(names = "--metrics", description = "also compute explanation-quality metrics (completeness, infidelity,"
            + " max-sensitivity, deletion/insertion AUC), print their means and write them to FILE.metrics.json")
    boolean metrics;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write: FILE.csv or FILE.json")
    Path out;

    @Override
    public Integer call() {
        String fileName = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!fileName.endsWith(".csv") && !fileName.endsWith(".json")) {
            throw new IllegalArgumentException("--out " + out + ": expected a file name ending in .csv or .json");
        }
        if (!MethodCatalog.NAMES.contains(method)) {
            throw new IllegalArgumentException("unknown method '" + method + "'; expected one of " + MethodCatalog.NAMES);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1 row per model call, got " + batchSize);
        }
        List<Path> outputs = metrics ? List.of(out, metricsFile(out)) : List.of(out);
        OutputGuard.refuseOverwritingInputs(outputs, inputs());
        textOptions.check(input);
        NetworkModel model = withPadding(modelOptions.open());
        InputRows rows = textOptions.read(input, model);
        refuseOptionsTheMethodIgnores();
        if (metrics && dev.explain4j.core.MethodRegistry.get(method).options().contains("neuron")) {
            throw new IllegalArgumentException("--metrics does not apply to " + method + ": it explains a unit of --layer,"
                    + " not the model's output the metrics measure");
        }
        List<String> classNames = modelOptions.classNames(model);
        Target chosen = Target.parse("--target", target, classNames);
        MethodSettings settings = new MethodSettings(baseline, background, steps, integration, layer, window, stride,
                samples, seed, batchSize, referenceToken, groups, neuron, upsample);
        AttributionMethod attribution = MethodCatalog.create(method, settings, model, rows);
        Attributions result = rows.annotated(attribution.attribute(rows.features(), chosen), model);
        QualityReport.Figures figures = metrics
                ? QualityReport.of(model, attribution).withSeed(seed).compute(rows.features(), result) : null;
        AtomicFiles.allOrNothing(() -> {
            write(result, rows.names(), classNames, out);
            if (figures != null) {
                dev.explain4j.io.JsonFiles.write(figures.toMap(), metricsFile(out));
            }
        });
        spec.commandLine().getOut().println("explain4j: " + result.method() + " for " + result.rows() + " rows written to " + out);
        if (figures != null) {
            spec.commandLine().getOut().println("explain4j: metrics " + QualityFigures.summary(figures) + "; written to "
                    + metricsFile(out));
        }
        return 0;
    }

    /** The model with --pad-id's padding masked, if given. */
    private NetworkModel withPadding(NetworkModel model) {
        if (padId == null) {
            return model;
        }
        try {
            return model.withPadId(padId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--pad-id " + padId + ": " + e.getMessage(), e);
        }
    }

    /** An option given to a method that would ignore it is a mistake to report, not to drop silently. */
    private void refuseOptionsTheMethodIgnores() {
        java.util.Set<String> takes = dev.explain4j.core.MethodRegistry.get(method).options();
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("reference", baseline);
        given.put("background", background);
        given.put("steps", steps);
        given.put("integration", integration);
        given.put("layer", layer);
        given.put("window", window);
        given.put("stride", stride);
        given.put("samples", samples);
        given.put("neuron", neuron);
        given.put("upsample", upsample);
        given.forEach((option, value) -> {
            if (value != null && !takes.contains(option)) {
                throw new IllegalArgumentException(flag(option) + " does not apply to " + method + "; it takes "
                        + (takes.isEmpty() ? "no method options"
                        : takes.stream().sorted().map(ExplainCommand::flag).toList()));
            }
        });
    }

    /** The command-line option that sets a registry option: the reference is --baseline, the rest keep their name. */
    private static String flag(String option) {
        return option.equals("reference") ? "--baseline" : "--" + option;
    }

    /** The files this command reads, by option: the output must be none of them. */
    private Map<String, Path> inputs() {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("--input", input);
        textOptions.addInputs(files);
        files.put("--model", modelOptions.model);
        files.put("--baseline", OutputGuard.baselineFile(baseline));
        files.put("--background", background);
        files.put("--groups", groups);
        return files;
    }

    /** ig.csv → ig.metrics.json beside it. */
    static Path metricsFile(Path out) {
        String name = out.getFileName().toString().replaceAll("\\.[A-Za-z]+$", "");
        return out.resolveSibling(name + ".metrics.json");
    }

    /** CSV (with the input's header when the widths match) or JSON, chosen by the file name. */
    static void write(Attributions result, Optional<List<String>> names, List<String> classNames, Path out) {
        long width = result.values().length() / Math.max(1, result.rows());
        Optional<List<String>> header = names.filter(n -> n.size() == width);
        if (out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            AttributionsJsonWriter.write(result, header, classNames, out);
        } else {
            AttributionsCsvWriter.write(result, header, out);
        }
    }

    /** For picocli's help: the method names. */
    static final class MethodNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return MethodCatalog.NAMES.iterator();
        }
    }
}
