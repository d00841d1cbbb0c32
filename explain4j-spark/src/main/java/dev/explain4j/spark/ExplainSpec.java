package dev.explain4j.spark;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.MethodRegistry;
import dev.explain4j.core.MethodSettings;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.IntegrationRule;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.OutputSpace;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * What every task needs to explain its rows, in plain serializable values: the stage's parameters as the driver read
 * them, and where the columns are.
 *
 * @param modelKey  SHA-256 of the model file's bytes (the executors' cache key, with the settings that change the model)
 * @param window    null, or the occlusion window / LIME cell
 * @param target    "predicted" or an output index (when targetColumn is -1)
 * @param chunkRows rows per engine call; 0 = from the memory budget
 * @param featureNames null, or the names of a row's values (struct output columns)
 */
record ExplainSpec(String modelKey, String graphOutput, String precision, String outputSpace, Long memoryBudget,
                   String method, String reference, double[][] referenceRows, double[][] background, Integer steps,
                   String integration, String layer, int[] window, int[] stride, Integer samples, long seed,
                   Integer batchSize, String target, int inputColumn, int targetColumn, int rowKeyColumn,
                   String inputName, int chunkRows, String[] featureNames) implements Serializable {

    /** Methods whose default background is the explained rows themselves: on Spark, whatever rows share a chunk. */
    private static final Set<String> BACKGROUND_FROM_THE_ROWS = Set.of("expected-gradients", "lime");

    /** The loaded network as the stage explains it: precision, output space, memory budget. */
    NetworkModel configure(NetworkModel loaded) {
        DataType type = switch (precision.trim().toLowerCase(Locale.ROOT)) {
            case "float", "float32" -> DataType.FLOAT;
            case "double", "float64" -> DataType.DOUBLE;
            default -> throw new IllegalArgumentException("precision must be float or double, got '" + precision + "'");
        };
        NetworkModel model = loaded.withOutputSpace(OutputSpace.parse(outputSpace)).withDataType(type);
        return memoryBudget == null ? model : model.withMemoryBudget(memoryBudget);
    }

    /** The executors' cache key: the file and every setting that makes another model of it. */
    String modelCacheKey() {
        return String.join("|", modelKey, String.valueOf(graphOutput), precision, outputSpace, String.valueOf(memoryBudget));
    }

    /**
     * The configured method for rows shaped {@code rowShape}.
     *
     * @param seed the seed to use: the stage's, or one derived from a row key
     * @param x    the rows it will explain (for lime-image's cell grid)
     */
    AttributionMethod create(NetworkModel model, INDArray x, long seed) {
        long[] rowShape = Arrays.copyOfRange(x.shape(), 1, x.rank());
        if (BACKGROUND_FROM_THE_ROWS.contains(method) && background == null && model.imageGeometry(x).isEmpty()) {
            throw new IllegalArgumentException(method + " needs a background on Spark: its default, the explained rows"
                    + " themselves, would be whichever rows share a chunk; set background (rows, a DataFrame or a file)");
        }
        MethodSettings settings = new MethodSettings(reference(model, rowShape),
                background == null ? null : Reference.distribution(rows(background, rowShape, model, "background")),
                steps, integration == null ? null : IntegrationRule.parse(integration), layer, longs(window),
                longs(stride), samples, seed, batchSize);
        return MethodRegistry.create(method, model, settings, x);
    }

    private Reference reference(NetworkModel model, long[] rowShape) {
        if (reference == null) {
            return null;
        }
        return switch (reference) {
            case "zero" -> Reference.zeros();
            case "blur" -> Reference.blurred(1.0);
            case "rows" -> {
                if (referenceRows == null || referenceRows.length != 1) {
                    throw new IllegalArgumentException("reference rows: expected one row, got "
                            + (referenceRows == null ? 0 : referenceRows.length));
                }
                yield Reference.rows(rows(referenceRows, rowShape, model, "reference-rows"));
            }
            default -> throw new IllegalArgumentException("reference '" + reference + "': expected zero, blur or rows");
        };
    }

    private static INDArray rows(double[][] rows, long[] rowShape, NetworkModel model, String what) {
        long width = Arrays.stream(rowShape).reduce(1, (a, b) -> a * b);
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != width) {
                throw new IllegalArgumentException(what + ", row " + r + ": " + rows[r].length + " values, expected "
                        + width + " like the input rows");
            }
        }
        long[] shape = new long[rowShape.length + 1];
        shape[0] = rows.length;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        return Nd4j.createFromArray(rows).castTo(model.dataType()).reshape('c', shape);
    }

    private static long[] longs(int[] values) {
        return values == null ? null : Arrays.stream(values).asLongStream().toArray();
    }

    /** The target of a chunk: the stage's, or the given per-row indices of a target column. */
    Target target(int[] perRow) {
        if (perRow != null) {
            return Target.perRow(perRow);
        }
        return Target.parse(target, java.util.List.of());
    }

    /**
     * Builds the method once on the driver, on a row of zeros shaped by the model (or by the reference rows), so that
     * a wrong layer, rule, window or reference fails before any task runs.
     */
    void check(NetworkModel model) {
        long[] shape = model.inputShape();
        boolean complete = shape != null && Arrays.stream(shape).allMatch(d -> d > 0);
        double[][] given = referenceRows != null ? referenceRows : background;
        if (!complete && given == null) {
            return;
        }
        long[] rowShape = given != null ? InputColumn.rowShape(model, given[0].length,
                referenceRows != null ? "reference-rows" : "background") : shape;
        long[] probe = new long[rowShape.length + 1];
        probe[0] = 1;
        System.arraycopy(rowShape, 0, probe, 1, rowShape.length);
        create(model, Nd4j.zeros(model.dataType(), probe), seed);
        Target.parse(target, java.util.List.of()).fixedIndex().ifPresent(index -> {
            if (index >= model.outputSize()) {
                throw new IllegalArgumentException("target " + index + " is out of range: the model has "
                        + model.outputSize() + " outputs (0.." + (model.outputSize() - 1) + ")");
            }
        });
    }
}
