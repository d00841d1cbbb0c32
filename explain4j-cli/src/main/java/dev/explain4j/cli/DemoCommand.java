package dev.explain4j.cli;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.OutputSpace;
import dev.explain4j.model.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/** The main job: the shipped models explained on their sample rows with several methods. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Explains the shipped models (models/) on their sample rows with several methods and writes the results to a folder.")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "explain4j-demo", paramLabel = "DIR", description = "output folder (default: explain4j-demo)")
    Path out;

    @Option(names = "--models", paramLabel = "DIR", description = "the shipped models folder (default: models/ of the explain4j checkout)")
    Path models;

    /**
     * One shipped model, its sample rows (or, with a vocabulary, documents), the methods to run, the baseline that
     * suits its data, and the integration steps where the default 50 leave a visible completeness gap.
     */
    private record Job(String model, String samples, String vocabulary, String baseline, Integer steps,
                       List<String> methods, OutputSpace space) {
        Job(String model, String samples, String vocabulary, String baseline, Integer steps, List<String> methods) {
            this(model, samples, vocabulary, baseline, steps, methods, OutputSpace.PROBABILITY);
        }

        Job(String model, String samples, String baseline, List<String> methods) {
            this(model, samples, null, baseline, null, methods);
        }

        /** The stem of the job's files: the model's name, and the output space when it is not the default. */
        String stem() {
            String name = model.replaceAll("\\.[a-z0-9]+$", "");
            return space == OutputSpace.PROBABILITY ? name : name + "-" + space.name().toLowerCase(Locale.ROOT);
        }
    }

    private static final List<Job> JOBS = List.of(
            new Job("iris-mlp.zip", "iris-samples.csv", "mean", List.of("integrated-gradients", "saliency",
                    "gradient-x-input", "exact-shapley", "kernel-shap", "lime", "feature-ablation")),
            new Job("digits-cnn.zip", "digits-samples.csv", "zero", List.of("integrated-gradients", "saliency",
                    "smoothgrad", "grad-cam", "occlusion", "expected-gradients")),
            // DeepLIFT and LRP explain logits (their rules stop at a softmax, as Captum's do); the report still shows
            // each row's probabilities
            new Job("iris-mlp.zip", "iris-samples.csv", null, "mean", null, List.of("deeplift", "deeplift-shap"),
                    OutputSpace.LOGIT),
            new Job("digits-cnn.zip", "digits-samples.csv", null, "zero", null, List.of("deeplift", "lrp",
                    "guided-backprop", "guided-grad-cam"), OutputSpace.LOGIT),
            new Job("simple_mlp.h5", "simple_mlp-samples.csv", "zero", List.of("integrated-gradients", "gradient-x-input")),
            // saturated outputs make the BiLSTM's IG path steep (f rises 0.006 within 1/20000 of the path on the first
            // sample): 50 steps miss completeness by up to 0.7, 300 by up to 0.2, 3200 by 0.014; KernelSHAP is exact
            new Job("spam-bilstm.zip", "spam-samples.txt", "spam-vocab.txt", "zero", 300,
                    List.of("integrated-gradients", "kernel-shap", "feature-ablation")),
            // the engine's own attention step: IG over the tokens is complete at 50 steps (ShippedAttentionModelTest)
            new Job("spam-attention.zip", "spam-samples.txt", "spam-vocab.txt", "zero", null,
                    List.of("integrated-gradients", "kernel-shap", "feature-ablation", "occlusion")));

    @Override
    public Integer call() {
        Path modelDir = models != null ? models : Path.of(System.getProperty("explain4j.home", "."), "models");
        if (!Files.isDirectory(modelDir)) {
            throw new IllegalArgumentException("shipped models not found in " + modelDir + "; pass --models DIR");
        }
        PrintWriter console = spec.commandLine().getOut();
        int total = JOBS.stream().mapToInt(j -> j.methods().size()).sum();
        List<String> summary = new ArrayList<>();
        OutputFolder.write(out, () -> {
            try (Progress progress = new Progress("explaining", total)) {
                for (Job job : JOBS) {
                    NetworkModel shown = ModelLoader.load(modelDir.resolve(job.model()), null);
                    NetworkModel model = shown.withOutputSpace(job.space());
                    InputRows rows = job.vocabulary() == null ? InputRows.read(modelDir.resolve(job.samples()), model)
                            : InputRows.readText(modelDir.resolve(job.samples()), modelDir.resolve(job.vocabulary()), null,
                            model);
                    List<String> classNames = dev.explain4j.io.ClassNames.sidecar(modelDir.resolve(job.model()))
                            .orElse(List.of());
                    int[] predicted = model.predict(rows.features()).argMax(1).toIntVector();
                    List<Attributions> results = new ArrayList<>();
                    summary.add(job.model() + (job.space() == OutputSpace.PROBABILITY ? "" : " (" + job.space().name()
                            .toLowerCase(Locale.ROOT) + "s)") + " on " + rows.features().size(0) + " sample rows, predicted classes "
                            + Arrays.toString(predicted) + ":");
                    for (String method : job.methods()) {
                        progress.starting(job.model() + " " + method);
                        Integer steps = method.equals("integrated-gradients") ? job.steps() : null;
                        MethodSettings settings = new MethodSettings(job.baseline(), null, steps, null, null, null, null, null, 0, 4096);
                        long start = System.nanoTime();
                        Attributions result = rows.annotated(MethodCatalog.create(method, settings, model, rows)
                                .attribute(rows.features(), Target.predicted()), model);
                        double seconds = (System.nanoTime() - start) / 1e9;
                        String stem = job.stem() + "-" + method;
                        ExplainCommand.write(result, rows.names(), classNames, out.resolve(stem + ".json"));
                        ExplainCommand.write(result, rows.names(), classNames, out.resolve(stem + ".csv"));
                        summary.add(String.format(Locale.ROOT, "  %-22s %6.2f s  %s", method, seconds, describe(result, rows)));
                        results.add(result);
                        progress.done();
                    }
                    summary.add("  report: " + Reports.write(shown, modelDir.resolve(job.model()), classNames, rows, results,
                            java.util.Map.of(), null, out, job.stem() + "-report.html").toAbsolutePath());
                }
            }
        });
        summary.forEach(console::println);
        console.println("explain4j demo: results written to " + out.toAbsolutePath());
        return 0;
    }

    /** The first row's strongest features (tokens for text), and the worst completeness gap where the method has one. */
    private static String describe(Attributions result, InputRows rows) {
        double[] first = result.row(0);
        List<String> names = result.tokens().map(t -> t.get(0))
                .or(() -> rows.names().filter(n -> n.size() == first.length)).orElse(null);
        String top = IntStream.range(0, first.length).boxed()
                .sorted(Comparator.comparingDouble(i -> -Math.abs(first[i]))).limit(3)
                .map(i -> (names == null ? "#" + i : names.get(i)) + String.format(Locale.ROOT, "=%+.3g", first[i]))
                .reduce((a, b) -> a + ", " + b).orElse("");
        String delta = result.completenessDelta().map(d -> String.format(Locale.ROOT, "; max |completeness delta| %.2g",
                Arrays.stream(d).map(Math::abs).max().orElse(0))).orElse("");
        return "row 1 top: " + top + delta;
    }
}
