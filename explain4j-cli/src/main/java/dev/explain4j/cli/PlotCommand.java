package dev.explain4j.cli;

import dev.explain4j.io.AttributionsJsonReader;
import dev.explain4j.io.ClassNames;
import dev.explain4j.io.CsvInputReader;
import dev.explain4j.io.InputTable;
import dev.explain4j.model.ImageGeometry;
import dev.explain4j.report.ImageMaps;
import dev.explain4j.report.Plot;
import dev.explain4j.report.PlotData;
import dev.explain4j.report.PlotKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draws a SHAP-style picture (PNG or SVG) of attributions written by explain --out FILE.json.")
final class PlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--kind", required = true, paramLabel = "KIND",
            description = "beeswarm, bar, decision (many rows); waterfall, force (one row); dependence (one feature); "
                    + "image-overlay, masked-image (one row of an image model, with --input)")
    String kind;

    @Option(names = "--attributions", required = true, paramLabel = "FILE.json", description = "written by explain4j explain")
    Path attributions;

    @Option(names = "--input", paramLabel = "CSV", description = "the explained rows: feature values for colours and labels")
    Path input;

    @Option(names = "--row", defaultValue = "1", paramLabel = "N",
            description = "the row of a waterfall, force or image plot, counted from 1 (default 1)")
    int row;

    @Option(names = "--feature", paramLabel = "NAME|INDEX",
            description = "the feature of a dependence plot: its name or 0-based index (default: the largest mean |attribution|)")
    String feature;

    @Option(names = "--class-names", paramLabel = "a,b,c|@FILE",
            description = "names of the model's outputs by index, or @FILE with one per line (default: those in --attributions)")
    String classNames;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "FILE.png or FILE.svg")
    Path out;

    @Override
    public Integer call() {
        PlotKind plotKind = PlotKind.fromCliName(kind);
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".png") && !name.endsWith(".svg")) {
            throw new IllegalArgumentException("--out " + out + ": expected a file name ending in .png or .svg");
        }
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("--attributions", attributions);
        inputs.put("--input", input);
        OutputGuard.refuseOverwritingInputs(List.of(out), inputs);
        AttributionsJsonReader.Contents contents = AttributionsJsonReader.read(attributions);
        List<String> names = classNames != null ? ClassNames.parse(classNames, "--class-names")
                : contents.classNames().orElse(null);
        int highestTarget = contents.attributions().targets().map(t -> java.util.stream.IntStream.of(t).max().orElse(-1)).orElse(-1);
        if (names != null && highestTarget >= names.size()) {
            throw new IllegalArgumentException("--class-names: " + names.size() + " names, but --attributions " + attributions
                    + " explains output " + highestTarget + "; expected one name per model output");
        }
        PlotData data = PlotData.of(contents.attributions()).withClassNames(names);
        long width = Arrays.stream(contents.attributions().shape()).skip(1).reduce(1, Math::multiplyExact);
        if (contents.featureNames().isPresent()) {
            data = data.withFeatureNames(contents.featureNames().get());
        }
        if (input != null) {
            InputTable table = CsvInputReader.anyWidth().read(input);
            if (table.rows() != data.rows()) {
                throw new IllegalArgumentException("--input " + input + " has " + table.rows() + " rows but --attributions "
                        + attributions + " has " + data.rows());
            }
            data = data.withInputs(table.toMatrix());
            if (contents.featureNames().isEmpty() && table.featureNames().isPresent() && table.width() == width) {
                data = data.withFeatureNames(table.featureNames().get());
            }
        }
        if (row < 1 || row > data.rows()) {
            throw new IllegalArgumentException("--row " + row + ": the attributions have rows 1.." + data.rows());
        }
        if (plotKind.needsImage()) {
            data = data.withImage(image(contents.attributions().shape(), data));
        }
        OptionalInt chosen = OptionalInt.empty();
        if (feature != null) {
            try {
                chosen = OptionalInt.of(data.feature(feature));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--feature " + feature + ": " + e.getMessage());
            }
        }
        Plot plot = plotKind.create(data, row - 1, chosen);
        plot.write(out);
        spec.commandLine().getOut().println("explain4j: " + plotKind.cliName() + " plot written to " + out);
        return 0;
    }

    /** The image the rows are, told from the attributions' shape and the --input width (the model is not at hand). */
    private ImageGeometry image(long[] shape, PlotData data) {
        if (input == null) {
            throw new IllegalArgumentException("--kind " + kind + " draws on the input image: give the explained rows with --input");
        }
        long[] rowShape = Arrays.copyOfRange(shape, 1, shape.length);
        int width = data.inputWidth();
        return ImageMaps.geometryFor(rowShape, width).orElseThrow(() -> new IllegalArgumentException("--kind " + kind
                + ": --attributions " + attributions + " shaped " + Arrays.toString(rowShape) + " per row with " + width
                + " --input values per row is no image (expected [c, h, w] or [h, w, c] attributions, or square rows of at "
                + "least 4x4 pixels)"));
    }
}
