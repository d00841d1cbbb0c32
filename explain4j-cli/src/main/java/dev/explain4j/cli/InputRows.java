package dev.explain4j.cli;

import dev.explain4j.io.CsvInputReader;
import dev.explain4j.io.InputTable;
import dev.explain4j.model.NetworkModel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * CSV rows (flattened row-major, in the model's own input layout) read and shaped for the model; for a model that
 * takes token ids, integer ids in its vocabulary.
 *
 * @param features [rows, ...the model's input shape]
 */
record InputRows(INDArray features, Optional<List<String>> names, Path file) {

    /** Reads {@code file} and reshapes each row to the model's input shape; one free dimension is inferred. */
    static InputRows read(Path file, NetworkModel model) {
        long[] shape = model.inputShape();
        long known = shape == null ? -1 : Arrays.stream(shape).filter(d -> d > 0).reduce(1, (a, b) -> a * b);
        boolean complete = shape != null && Arrays.stream(shape).allMatch(d -> d > 0);
        CsvInputReader reader = complete
                ? CsvInputReader.ofWidth((int) known, "the model's input is " + Arrays.toString(shape))
                : CsvInputReader.anyWidth();
        InputTable table = reader.read(file);
        model.tokenInput().ifPresent(tokens -> table.checkTokenIds(tokens.vocabulary()));
        INDArray flat = table.toArray(model.dataType());
        if (shape == null) {
            return new InputRows(flat, table.featureNames(), file);
        }
        long[] rowShape = shape.clone();
        if (!complete) {
            long free = Arrays.stream(shape).filter(d -> d < 0).count();
            if (free > 1 || table.width() % known != 0) {
                throw new IllegalArgumentException(file + ": rows have " + table.width() + " values, which does not fit the"
                        + " model's input " + Arrays.toString(shape) + " (-1 = any size)");
            }
            for (int i = 0; i < rowShape.length; i++) {
                rowShape[i] = rowShape[i] < 0 ? table.width() / known : rowShape[i];
            }
        }
        long[] full = new long[rowShape.length + 1];
        full[0] = table.rows();
        System.arraycopy(rowShape, 0, full, 1, rowShape.length);
        return new InputRows(flat.reshape('c', full), table.featureNames(), file);
    }

    /** A second CSV (baseline, background) with rows shaped like these; token ids for a token model. */
    INDArray readLike(Path other, NetworkModel model) {
        long width = features.length() / features.size(0);
        InputTable table = CsvInputReader.ofWidth((int) width, "the input rows have " + width + " values").read(other);
        model.tokenInput().ifPresent(tokens -> table.checkTokenIds(tokens.vocabulary()));
        long[] shape = features.shape().clone();
        shape[0] = table.rows();
        return table.toArray(features.dataType()).reshape('c', shape);
    }
}
