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
        String modelName = modelFile.getFileName().toString();
        HtmlReport.Builder report = HtmlReport.builder(ModelSummary.of(model, modelName)).source(rows.file().toString());
        model.imageGeometry(rows.features()).ifPresent(report::image);
        rows.names().ifPresent(report::featureNames);
        INDArray outputs = model.predict(rows.features()).castTo(DataType.DOUBLE);
        INDArray flat = rows.features().reshape('c', rows.features().size(0), -1).castTo(DataType.DOUBLE);
        for (int r = 0; r < flat.size(0); r++) {
            report.addSample(Sample.of(rows.file().getFileName() + " row " + (r + 1), flat.getRow(r).toDoubleVector())
                    .withProbabilities(outputs.getRow(r).toDoubleVector()));
        }
        results.forEach(report::addAttributions);
        Path target = dir.resolve(modelName.replaceAll("\\.[A-Za-z0-9]+$", "") + "-report.html");
        report.build().write(target);
        return target;
    }
}
