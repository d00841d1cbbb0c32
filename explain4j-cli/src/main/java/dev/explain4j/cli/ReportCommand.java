package dev.explain4j.cli;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.metrics.QualityReport;
import dev.explain4j.model.LayerInfo;
import dev.explain4j.model.NetworkModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Explains the rows of an input CSV (or the documents of --text) with several methods and writes one self-contained HTML report.")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--input", paramLabel = "CSV", description = "one sample per row, as for explain")
    Path input;

    @Mixin
    TextOptions textOptions;

    @Option(names = "--methods", split = ",", paramLabel = "a,b,c",
            description = "methods to compare (default: integrated-gradients, saliency, gradient-x-input, and grad-cam for convolutional models)")
    List<String> methods;

    @Option(names = "--target", defaultValue = "predicted", paramLabel = "predicted|INDEX|NAME")
    String target;

    @Option(names = "--baseline", paramLabel = "zero|mean|blur|CSV", description = "reference input (default zero)")
    String baseline;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N")
    long seed;

    @Option(names = "--metrics", description = "also compute explanation-quality metrics per method and show them in the report")
    boolean metrics;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to write the report into")
    Path out;

    @Override
    public Integer call() {
        OutputFolder.check(out);
        textOptions.check(input);
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("--input", input);
        textOptions.addInputs(inputs);
        inputs.put("--model", modelOptions.model);
        inputs.put("--baseline", OutputGuard.baselineFile(baseline));
        OutputGuard.refuseOverwritingInputs(List.of(out.resolve(Reports.fileName(modelOptions.model))), inputs);
        NetworkModel model = modelOptions.open();
        InputRows rows = textOptions.read(input, model);
        List<String> classNames = modelOptions.classNames(model);
        dev.explain4j.model.Target explained = dev.explain4j.model.Target.parse("--target", target, classNames);
        List<String> chosen = methods != null ? methods : defaultMethods(model);
        chosen.forEach(ReportCommand::checkKnown);
        MethodSettings settings = new MethodSettings(baseline, null, null, null, null, null, null, null, seed, 4096);
        List<Attributions> results = new ArrayList<>();
        Map<String, Map<String, double[]>> quality = new LinkedHashMap<>();
        try (Progress progress = new Progress("explaining", chosen.size())) {
            for (String method : chosen) {
                progress.starting(method);
                AttributionMethod m = MethodCatalog.create(method, settings, model, rows);
                Attributions result = rows.annotated(m.attribute(rows.features(), explained), model);
                results.add(result);
                if (metrics) {
                    quality.put(result.method(), QualityReport.of(model, m).withSeed(seed).compute(rows.features(), result)
                            .perRow());
                }
                progress.done();
            }
        }
        OutputFolder.write(out, () -> Reports.write(model, modelOptions.model, classNames, rows, results, quality, null, out, null));
        spec.commandLine().getOut().println("explain4j: report written to "
                + out.resolve(Reports.fileName(modelOptions.model)).toAbsolutePath());
        return 0;
    }

    static List<String> defaultMethods(NetworkModel model) {
        List<String> methods = new ArrayList<>(List.of("integrated-gradients", "saliency", "gradient-x-input"));
        if (model.layers().stream().anyMatch(LayerInfo::convolution)) {
            methods.add("grad-cam");
        }
        return methods;
    }

    private static void checkKnown(String method) {
        if (!MethodCatalog.NAMES.contains(method)) {
            throw new IllegalArgumentException("unknown method '" + method + "'; expected one of " + MethodCatalog.NAMES);
        }
    }
}
