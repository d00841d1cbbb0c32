package dev.explain4j.cli;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.global.AttributionClustering;
import dev.explain4j.global.GlobalAnalysis;
import dev.explain4j.global.GlobalImportance;
import dev.explain4j.global.SurrogateTree;
import dev.explain4j.io.AtomicFiles;
import dev.explain4j.io.JsonFiles;
import dev.explain4j.io.CsvInputReader;
import dev.explain4j.io.InputTable;
import dev.explain4j.metrics.QualityReport;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.report.BarChart;
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

@Command(name = "global", mixinStandardHelpOptions = true,
        description = "Explains every row of an input CSV and summarises the model over them: importance chart, clusters of"
                + " rows explained alike, a surrogate decision tree with its fidelity, and explanation-quality metrics.")
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
        OutputFolder.check(out);
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("--input", input);
        inputs.put("--model", modelOptions.model);
        inputs.put("--labels", labels);
        inputs.put("--baseline", OutputGuard.baselineFile(baseline));
        OutputGuard.refuseOverwritingInputs(OUTPUTS.stream().map(out::resolve).toList(), inputs);
        NetworkModel model = modelOptions.open();
        InputRows rows = InputRows.read(input, model);
        INDArray x = rows.features();
        int n = (int) x.size(0);
        int[] trueLabels = labels == null ? null : readLabels(labels, n, model.outputSize());
        MethodSettings settings = new MethodSettings(baseline, null, null, null, null, null, null, null, seed, 4096);
        AttributionMethod attribution = MethodCatalog.create(method, settings, model, rows);
        Attributions result = attribution.attribute(x, Target.predicted());
        if (result.values().length() != x.length()) {
            throw new IllegalArgumentException("--method " + method + " attributes a layer, not the input features; choose an input method");
        }
        OutputFolder.write(out, () -> summarise(model, rows, trueLabels, attribution, result));
        spec.commandLine().getOut().println("explain4j global: results written to " + out.toAbsolutePath());
        return 0;
    }

    /** Everything after the local attributions: computed and written together, so the files appear all or none. */
    private void summarise(NetworkModel model, InputRows rows, int[] trueLabels, AttributionMethod attribution,
                           Attributions result) {
        INDArray x = rows.features();
        int n = (int) x.size(0);
        List<String> names = rows.names().orElse(null);
        PrintWriter console = spec.commandLine().getOut();
        GlobalAnalysis.Result global = GlobalAnalysis.of(model).withClusters(clusters).withMaxDepth(depth).withSeed(seed)
                .withFeatureNames(names).analyse(x, result, trueLabels);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", modelOptions.model.toString());
        summary.put("input", input.toString());
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
        Reports.write(model, modelOptions.model, firstRows, List.of(Reports.firstRows(result, shown)),
                Map.of(result.method(), quality), dev.explain4j.report.GlobalView.of(global),
                out, "global.html");
        console.println("  report: global.html (global view, and the first " + shown + " rows explained)");
        JsonFiles.write(summary, out.resolve("global.json"));
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
