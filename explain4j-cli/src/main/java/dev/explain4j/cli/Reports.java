package dev.explain4j.cli;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.report.HtmlReport;
import dev.explain4j.report.ModelSummary;
import dev.explain4j.report.Sample;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.List;

/** The HTML report of one model's rows explained by several methods, as `report` and `demo` write it. */
final class Reports {
    private Reports() {
    }

    /** Writes {@code <model file stem>-report.html} into {@code dir} and returns its path. */
    static Path write(NetworkModel model, Path modelFile, InputRows rows, List<Attributions> results, Path dir) {
        return write(model, modelFile, dev.explain4j.io.ClassNames.sidecar(modelFile).orElse(List.of()), rows, results,
                java.util.Map.of(), null, dir, null);
    }

    /**
     * As {@link #write(NetworkModel, Path, InputRows, List, Path)}, with quality figures per method (name → figure →
     * value per row) and a global section, either of them empty or null; {@code fileName} null for the default name;
     * {@code classNames} the model's outputs by index, empty when unknown.
     */
    static Path write(NetworkModel model, Path modelFile, List<String> classNames, InputRows rows, List<Attributions> results,
                      java.util.Map<String, java.util.Map<String, double[]>> quality, dev.explain4j.report.GlobalView global,
                      Path dir, String fileName) {
        String modelName = modelFile.getFileName().toString();
        HtmlReport.Builder report = HtmlReport.builder(ModelSummary.of(model, modelName)).source(rows.file().toString());
        model.imageGeometry(rows.features()).ifPresent(report::image);
        rows.names().ifPresent(report::featureNames);
        if (!classNames.isEmpty()) {
            report.classNames(classNames);
        }
        INDArray outputs = model.predict(rows.features()).castTo(DataType.DOUBLE);
        INDArray flat = rows.features().reshape('c', rows.features().size(0), -1).castTo(DataType.DOUBLE);
        for (int r = 0; r < flat.size(0); r++) {
            report.addSample(Sample.of(rows.file().getFileName() + " row " + (r + 1), flat.getRow(r).toDoubleVector())
                    .withProbabilities(outputs.getRow(r).toDoubleVector()));
        }
        results.forEach(report::addAttributions);
        quality.forEach(report::addQuality);
        if (global != null) {
            report.global(global);
        }
        Path target = dir.resolve(fileName != null ? fileName : fileName(modelFile));
        report.build().write(target);
        return target;
    }

    /** The default report name: {@code <model file stem>-report.html}. */
    static String fileName(Path modelFile) {
        return modelFile.getFileName().toString().replaceAll("\\.[A-Za-z0-9]+$", "") + "-report.html";
    }

    /** The first {@code k} rows of a result, with their per-row figures. */
    static Attributions firstRows(Attributions a, int k) {
        if (k >= a.rows()) {
            return a;
        }
        Attributions.Builder b = Attributions.builder(a.method(), a.values().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, k)));
        a.parameters().forEach(b::parameter);
        a.targets().ifPresent(t -> b.targets(java.util.Arrays.copyOf(t, k)));
        a.targetOutputs().ifPresent(v -> b.targetOutputs(java.util.Arrays.copyOf(v, k)));
        a.referenceOutputs().ifPresent(v -> b.referenceOutputs(java.util.Arrays.copyOf(v, k)));
        a.completenessDelta().ifPresent(v -> b.completenessDelta(java.util.Arrays.copyOf(v, k)));
        a.stepsUsed().ifPresent(v -> b.stepsUsed(java.util.Arrays.copyOf(v, k)));
        a.seed().ifPresent(b::seed);
        return b.build();
    }
}
