package dev.explain4j.cli;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.Limits;
import dev.explain4j.global.AccumulatedLocalEffects;
import dev.explain4j.global.AttributionClustering;
import dev.explain4j.global.FeatureEffect;
import dev.explain4j.global.GlobalAnalysis;
import dev.explain4j.global.GlobalImportance;
import dev.explain4j.global.PartialDependence;
import dev.explain4j.global.SurrogateTree;
import dev.explain4j.io.AtomicFiles;
import dev.explain4j.io.JsonFiles;
import dev.explain4j.io.CsvInputReader;
import dev.explain4j.io.InputTable;
import dev.explain4j.metrics.QualityReport;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.report.BarChart;
import dev.explain4j.report.EffectPlot;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;

@Command(name = "global", mixinStandardHelpOptions = true,
        description = "Explains every row of an input CSV and summarises the model over them: importance chart, clusters of"
                + " rows explained alike, a surrogate decision tree with its fidelity, explanation-quality metrics, and"
                + " on request partial dependence, ICE curves and accumulated local effects.")
final class GlobalCommand implements Callable<Integer> {
    /** The HTML report shows the global view over all rows and, below it, this many rows one by one. */
    private static final int REPORT_SAMPLES = 10;
    /** Every file {@link #summarise} may write into --out: none of them may be an input. */
    private static final List<String> OUTPUTS = List.of("importance.png", "importance.csv", "clusters.csv", "surrogate.txt",
            "metrics.json", "global.html", "global.json");
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build();

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--input", required = true, paramLabel = "CSV", description = "one sample per row, as for explain")
    Path input;

    @Option(names = "--labels", paramLabel = "CSV",
            description = "the true class of each input row (one integer per line): per-label importance and permutation importance")
    Path labels;

    @Option(names = "--method", defaultValue = "integrated-gradients", paramLabel = "NAME",
            description = "local method to aggregate (default integrated-gradients)", completionCandidates = ExplainCommand.MethodNames.class)
    String method;

    @Option(names = "--baseline", paramLabel = "zero|mean", description = "reference input (default zero)")
    String baseline;

    @Option(names = "--clusters", defaultValue = "3", paramLabel = "K", description = "clusters of rows (default 3)")
    int clusters;

    @Option(names = "--depth", defaultValue = "4", paramLabel = "N", description = "surrogate tree depth (default 4)")
    int depth;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N")
    long seed;

    @Option(names = "--pdp", paramLabel = "FEATURE[,FEATURE2]",
            description = "partial dependence on a feature (header name or 0-based column index), or 2-D on a pair;"
                    + " repeatable; writes pdp-NAME.csv/.json/.png")
    List<String> pdp = new ArrayList<>();

    @Option(names = "--ice", description = "with --pdp: also write and draw each row's ICE curve")
    boolean ice;

    @Option(names = "--ale", paramLabel = "FEATURE", description = "accumulated local effects of a feature; repeatable;"
            + " writes ale-NAME.csv/.json/.png")
    List<String> ale = new ArrayList<>();

    @Option(names = "--grid", defaultValue = "20", paramLabel = "N",
            description = "grid points per feature of --pdp and quantile intervals of --ale (default 20)")
    int grid;

    @Option(names = "--effect-target", defaultValue = "predicted", paramLabel = "predicted|INDEX|NAME",
            description = "output whose --pdp/--ale effects are computed: the class predicted most often over the rows"
                    + " (default), an output index or a class name")
    String effectTarget;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to write the results into")
    Path out;

    @Override
    public Integer call() {
        if (!MethodCatalog.NAMES.contains(method)) {
            throw new IllegalArgumentException("unknown method '" + method + "'; expected one of " + MethodCatalog.NAMES);
        }
        if (clusters < 2) {
            throw new IllegalArgumentException("--clusters must be at least 2, got " + clusters);
        }
        if (depth < 1 || depth > 20) {
            throw new IllegalArgumentException("--depth must be in 1..20, got " + depth);
        }
        if (ice && pdp.isEmpty()) {
            throw new IllegalArgumentException("--ice draws the ICE curves of --pdp; give --pdp FEATURE too");
        }
        OutputFolder.check(out);
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("--input", input);
        inputs.put("--model", modelOptions.model);
        inputs.put("--labels", labels);
        inputs.put("--baseline", OutputGuard.baselineFile(baseline));
        OutputGuard.refuseOverwritingInputs(OUTPUTS.stream().map(out::resolve).toList(), inputs);
        NetworkModel model = modelOptions.open();
        List<String> classNames = modelOptions.classNames(model);
        InputRows rows = InputRows.read(input, model);
        INDArray x = rows.features();
        int n = (int) x.size(0);
        List<FeatureEffect> effects = effects(model, rows, classNames);
        OutputGuard.refuseOverwritingInputs(effects.stream().flatMap(e -> Stream.of(".csv", ".json", ".png")
                .map(ext -> out.resolve(e.fileStem() + ext))).toList(), inputs);
        int[] trueLabels = labels == null ? null : readLabels(labels, n, model.outputSize());
        MethodSettings settings = new MethodSettings(baseline, null, null, null, null, null, null, null, seed, 4096);
        AttributionMethod attribution = MethodCatalog.create(method, settings, model, rows);
        Attributions result = attribution.attribute(x, Target.predicted());
        if (result.values().length() != x.length()) {
            throw new IllegalArgumentException("--method " + method + " attributes a layer, not the input features; choose an input method");
        }
        OutputFolder.write(out, () -> summarise(model, rows, trueLabels, attribution, result, classNames, effects));
        spec.commandLine().getOut().println("explain4j global: results written to " + out.toAbsolutePath());
        return 0;
    }

    /** Everything after the local attributions: computed and written together, so the files appear all or none. */
    private void summarise(NetworkModel model, InputRows rows, int[] trueLabels, AttributionMethod attribution,
                           Attributions result, List<String> classNames, List<FeatureEffect> effects) {
        INDArray x = rows.features();
        int n = (int) x.size(0);
        List<String> names = rows.names().orElse(null);
        PrintWriter console = spec.commandLine().getOut();
        GlobalAnalysis.Result global = GlobalAnalysis.of(model).withClusters(clusters).withMaxDepth(depth).withSeed(seed)
                .withFeatureNames(names).withClassNames(classNames.isEmpty() ? null : classNames).analyse(x, result, trueLabels);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", modelOptions.model.toString());
        summary.put("input", input.toString());
        if (!classNames.isEmpty()) {
            summary.put("class-names", classNames);
        }
        summary.putAll(global.toMap());

        GlobalImportance byPrediction = global.importance();
        double[] meanAbs = byPrediction.features().meanAbsolute();
        BarChart.topK(meanAbs, names, null, BarChart.DEFAULT_TOP_K, "mean |attribution| over " + n + " rows (" + result.method() + ")")
                .writePng(out.resolve("importance.png"));
        writeImportanceCsv(byPrediction, names, out.resolve("importance.csv"));
        console.println("explain4j global: " + result.method() + " over " + n + " rows; most important: " + top(byPrediction, names));

        List<AttributionClustering.Result> clusterResults = global.clusterings();
        for (AttributionClustering.Result r : clusterResults) {
            console.printf(Locale.ROOT, "  %s: %d clusters, mean silhouette %.3f, sizes %s%n", r.algorithm().key(),
                    clusters, r.meanSilhouette(), r.clusters().stream().map(AttributionClustering.Cluster::size).toList());
        }
        if (!clusterResults.isEmpty()) {
            writeClustersCsv(clusterResults, out.resolve("clusters.csv"));
        }
        SurrogateTree.Result surrogate = global.surrogate().orElse(null);
        if (surrogate != null) {
            AtomicFiles.write(out.resolve("surrogate.txt"), w -> w.write(surrogate.describe()));
            console.printf(Locale.ROOT, "  surrogate tree: depth %d, %d rules, fidelity %.3f on %d held-out rows (surrogate.txt)%n",
                    surrogate.depth(), surrogate.rules().size(), surrogate.fidelity(), surrogate.heldOutRows());
        }
        QualityReport.Figures figures = QualityReport.of(model, attribution).withSeed(seed).compute(x, result);
        JsonFiles.write(figures.toMap(), out.resolve("metrics.json"));
        console.println("  metrics: " + QualityFigures.summary(figures));
        int shown = Math.min(n, REPORT_SAMPLES);
        Map<String, double[]> quality = new LinkedHashMap<>();
        figures.perRow().forEach((name, values) -> quality.put(name, java.util.Arrays.copyOf(values, shown)));
        InputRows firstRows = new InputRows(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, shown)), rows.names(), rows.file());
        List<Map<String, Object>> effectMaps = new ArrayList<>();
        for (FeatureEffect effect : effects) {
            String targetLabel = effect.target() < classNames.size() ? classNames.get(effect.target()) : "output " + effect.target();
            effect.writeCsv(out.resolve(effect.fileStem() + ".csv"));
            JsonFiles.write(effect.toMap(), out.resolve(effect.fileStem() + ".json"));
            EffectPlot.of(effect, targetLabel).writePng(out.resolve(effect.fileStem() + ".png"));
            effectMaps.add(Map.of("file", effect.fileStem(), "kind", effect.kind().key(), "features", effect.featureNames(),
                    "target", effect.target()));
            console.println("  " + EffectPlot.title(effect, targetLabel) + ": " + effect.fileStem() + ".csv/.json/.png");
        }
        if (!effectMaps.isEmpty()) {
            summary.put("effects", effectMaps);
        }
        Reports.write(model, modelOptions.model, classNames, firstRows, List.of(Reports.firstRows(result, shown)),
                Map.of(result.method(), quality), dev.explain4j.report.GlobalView.of(global).withEffects(effects),
                out, "global.html");
        console.println("  report: global.html (global view, and the first " + shown + " rows explained)");
        JsonFiles.write(summary, out.resolve("global.json"));
    }

    /** The --pdp and --ale effects, computed before anything is written so that a bad feature fails early. */
    private List<FeatureEffect> effects(NetworkModel model, InputRows rows, List<String> classNames) {
        if (pdp.isEmpty() && ale.isEmpty()) {
            return List.of();
        }
        if (grid < 2 || grid > Limits.MAX_GRID_POINTS) {
            throw new IllegalArgumentException("--grid must be in 2.." + Limits.MAX_GRID_POINTS + ", got " + grid);
        }
        INDArray x = rows.features();
        List<String> names = rows.names().orElse(null);
        int width = (int) (x.length() / x.size(0));
        Target chosen = Target.parse("--effect-target", effectTarget, classNames);
        int target = chosen.fixedIndex().orElseGet(() -> mostPredicted(model.predict(x)));
        if (target >= model.outputSize()) {
            throw new IllegalArgumentException("--effect-target " + target + " is out of range: the model has "
                    + model.outputSize() + " outputs (0.." + (model.outputSize() - 1) + ")");
        }
        PartialDependence dependence = PartialDependence.of(model).withTarget(target).withGridPoints(grid).withFeatureNames(names);
        AccumulatedLocalEffects local = AccumulatedLocalEffects.of(model).withTarget(target).withIntervals(grid)
                .withFeatureNames(names);
        List<FeatureEffect> effects = new ArrayList<>();
        for (String spec : pdp) {
            String[] parts = spec.split(",", -1);
            if (parts.length > 2) {
                throw new IllegalArgumentException("--pdp " + spec + ": expected one feature or a pair FEATURE,FEATURE2");
            }
            int first = feature(parts[0], names, width, "--pdp");
            FeatureEffect effect = parts.length == 1 ? dependence.compute(x, first)
                    : dependence.compute(x, first, feature(parts[1], names, width, "--pdp"));
            effects.add(ice ? effect : effect.withoutCurves());
        }
        for (String spec : ale) {
            effects.add(local.compute(x, feature(spec, names, width, "--ale")));
        }
        return effects;
    }

    /** A feature by its header name or its 0-based column index. */
    private static int feature(String text, List<String> names, int width, String option) {
        String name = text.trim();
        if (names != null && names.contains(name)) {
            return names.indexOf(name);
        }
        if (name.matches("\\d{1,9}") && Integer.parseInt(name) < width) {
            return Integer.parseInt(name);
        }
        throw new IllegalArgumentException(option + " " + text + ": expected a feature name of the input's header"
                + (names == null ? " (the input has none)" : " " + names) + " or a column index 0.." + (width - 1));
    }

    /** The class the model predicts for the most rows (ties: the lower index). */
    private static int mostPredicted(INDArray outputs) {
        int[] counts = new int[(int) outputs.size(1)];
        for (int c : outputs.argMax(1).toIntVector()) {
            counts[c]++;
        }
        int best = 0;
        for (int c = 1; c < counts.length; c++) {
            best = counts[c] > counts[best] ? c : best;
        }
        return best;
    }

    private static int[] readLabels(Path file, int rows, int classes) {
        InputTable table = CsvInputReader.ofWidth(1, "one class index per row").read(file);
        if (table.rows() != rows) {
            throw new IllegalArgumentException(file + ": " + table.rows() + " labels for " + rows + " input rows");
        }
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            double v = table.row(r)[0];
            if (v != Math.rint(v) || v < 0 || v >= classes) {
                throw new IllegalArgumentException(file + ": row " + (r + 1) + " has label " + v + ", expected a class index 0.."
                        + (classes - 1));
            }
            labels[r] = (int) v;
        }
        return labels;
    }

    private static String top(GlobalImportance g, List<String> names) {
        int[] ranking = g.features().ranking();
        double[] meanAbs = g.features().meanAbsolute();
        return IntStream.of(ranking).limit(3).mapToObj(f -> (names != null && f < names.size() ? names.get(f) : "#" + f)
                + String.format(Locale.ROOT, " %.3g", meanAbs[f])).reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static void writeImportanceCsv(GlobalImportance g, List<String> names, Path file) {
        AtomicFiles.write(file, w -> {
            CSVPrinter printer = new CSVPrinter(w, CSV);
            List<Object> header = new ArrayList<>(List.of("feature", "mean_abs", "mean_signed"));
            g.perClass().keySet().forEach(c -> header.add("mean_abs_class_" + c));
            printer.printRecord(header);
            double[] meanAbs = g.features().meanAbsolute();
            double[] meanSigned = g.features().meanSigned();
            List<double[]> perClass = g.perClass().values().stream().map(GlobalImportance.Summary::meanAbsolute).toList();
            for (int f = 0; f < meanAbs.length; f++) {
                List<Object> record = new ArrayList<>();
                record.add(names != null && f < names.size() ? names.get(f) : "x" + f);
                record.add(meanAbs[f]);
                record.add(meanSigned[f]);
                for (double[] c : perClass) {
                    record.add(c[f]);
                }
                printer.printRecord(record);
            }
            printer.flush();
        });
    }

    private static void writeClustersCsv(List<AttributionClustering.Result> results, Path file) {
        AtomicFiles.write(file, w -> {
            CSVPrinter printer = new CSVPrinter(w, CSV);
            List<Object> header = new ArrayList<>(List.of("row"));
            results.forEach(r -> header.add(r.algorithm().key()));
            printer.printRecord(header);
            List<int[]> assignments = results.stream().map(AttributionClustering.Result::assignments).toList();
            for (int row = 0; row < assignments.get(0).length; row++) {
                List<Object> record = new ArrayList<>(List.of(row + 1));
                for (int[] a : assignments) {
                    record.add(a[row]);
                }
                printer.printRecord(record);
            }
            printer.flush();
        });
    }
}
