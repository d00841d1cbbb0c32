package dev.explain4j.spark;

import dev.explain4j.model.NetworkModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

import java.util.Arrays;
import java.util.List;

/** The column a row's input comes from: an ML vector or an array of numbers, flattened in the model's layout. */
final class InputColumn {
    private InputColumn() {
    }

    /** Fails unless the column holds ML vectors or arrays of numbers. */
    static void checkType(StructField field, String what) {
        DataType type = field.dataType();
        boolean ok = type instanceof VectorUDT
                || type instanceof ArrayType array && array.elementType() instanceof NumericType;
        if (!ok) {
            throw new IllegalArgumentException(what + " column '" + field.name() + "' has type " + type.simpleString()
                    + "; expected an ML vector or an array of numbers");
        }
    }

    /** One row's values in double; null, missing or non-finite values are refused with the row named. */
    static double[] values(Row row, int column, String what, Object rowName) {
        if (row.isNullAt(column)) {
            throw new IllegalArgumentException(what + " column '" + row.schema().fields()[column].name() + "', row "
                    + rowName + ": null");
        }
        Object value = row.get(column);
        double[] out;
        if (value instanceof Vector vector) {
            out = vector.toArray();
        } else {
            List<Object> list = row.getList(column);
            out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (list.get(i) == null) {
                    throw new IllegalArgumentException(what + " column '" + row.schema().fields()[column].name()
                            + "', row " + rowName + ": value " + i + " is null");
                }
                out[i] = ((Number) list.get(i)).doubleValue();
            }
        }
        return out;
    }

    /**
     * The shape of one row of {@code width} values for the model: its input shape, with one free dimension (a
     * sequence's length) inferred from the width.
     */
    static long[] rowShape(NetworkModel model, int width, String what) {
        long[] shape = model.inputShape();
        if (shape == null) {
            return new long[]{width};
        }
        long known = Arrays.stream(shape).filter(d -> d > 0).reduce(1, (a, b) -> a * b);
        long free = Arrays.stream(shape).filter(d -> d < 0).count();
        if (free == 0 && known == width || free == 1 && width % known == 0 && width > 0) {
            return Arrays.stream(shape).map(d -> d < 0 ? width / known : d).toArray();
        }
        throw new IllegalArgumentException(what + " has " + width + " values, which does not fit the model's input "
                + Arrays.toString(shape) + " (-1 = any size)");
    }

    static final DataType VALUES = DataTypes.createArrayType(DataTypes.DoubleType, false);
}
