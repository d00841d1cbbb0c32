package dev.explain4j.spark;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.MethodInfo;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The columns the stage adds, after the input's own: which there are depends only on the method, so a schema is
 * known before any row is explained.
 */
final class OutputColumns {
    static final String ATTRIBUTIONS = "attributions";
    static final String TARGET = "explained_target";
    static final String F_X = "f_x";
    static final String F_REFERENCE = "f_reference";
    static final String COMPLETENESS_DELTA = "completeness_delta";
    static final String STANDARD_ERRORS = "standard_errors";

    private OutputColumns() {
    }

    /** The input's columns followed by the method's output columns. */
    /** @param featureNames null for array columns, else the fields of struct columns */
    static StructType add(StructType input, MethodInfo method, String[] featureNames, int inputColumn, int targetColumn,
                          int rowKeyColumn) {
        if (targetColumn >= 0) {
            StructField field = input.fields()[targetColumn];
            if (!(field.dataType() instanceof IntegerType || field.dataType() instanceof LongType
                    || field.dataType() instanceof ShortType)) {
                throw new IllegalArgumentException("target-col '" + field.name() + "' has type "
                        + field.dataType().simpleString() + "; expected integer output indices");
            }
        }
        StructType out = input;
        for (StructField field : fields(method, featureNames)) {
            if (List.of(input.fieldNames()).contains(field.name())) {
                throw new IllegalArgumentException("the input already has a column '" + field.name()
                        + "', which the stage writes; rename or drop it first");
            }
            out = out.add(field);
        }
        return out;
    }

    private static List<StructField> fields(MethodInfo method, String[] featureNames) {
        DataType values = featureNames == null ? InputColumn.VALUES : named(featureNames);
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(ATTRIBUTIONS, values, false));
        fields.add(DataTypes.createStructField(TARGET, DataTypes.IntegerType, true));
        fields.add(DataTypes.createStructField(F_X, DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField(F_REFERENCE, DataTypes.DoubleType, true));
        if (method.completenessDelta()) {
            fields.add(DataTypes.createStructField(COMPLETENESS_DELTA, DataTypes.DoubleType, true));
        }
        if (method.stochastic()) {
            fields.add(DataTypes.createStructField(STANDARD_ERRORS, values, true));
        }
        return fields;
    }

    /** One non-null double field per name; names must be distinct, as Spark resolves a struct's fields by name. */
    private static StructType named(String[] names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("feature-names is empty; leave it unset for array columns");
        }
        Set<String> seen = new HashSet<>();
        StructType struct = new StructType();
        for (String name : names) {
            if (name == null || name.isBlank() || !seen.add(name)) {
                throw new IllegalArgumentException("feature-names: '" + name + "' is " + (name == null || name.isBlank()
                        ? "blank" : "named twice") + "; every value of a row needs its own name");
            }
            struct = struct.add(name, DataTypes.DoubleType, false);
        }
        return struct;
    }

    /**
     * A result's rows as the added columns' values, in {@link #fields} order. Each array is taken out of the result
     * once (its accessors copy): per row, a copy of every per-row array made a chunk of 4096 rows quadratic.
     */
    static List<Object[]> rows(Attributions result, MethodInfo method, String[] featureNames) {
        int n = result.rows();
        double[][] values = flat(result.values());
        if (featureNames != null && n > 0 && values[0].length != featureNames.length) {
            throw new IllegalArgumentException("feature-names has " + featureNames.length + " names, but " + method.name()
                    + " gives " + values[0].length + " values per row");
        }
        int[] targets = result.targets().orElse(null);
        double[] fx = result.targetOutputs().orElse(null);
        double[] fReference = result.referenceOutputs().orElse(null);
        double[] delta = result.completenessDelta().orElse(null);
        double[][] errors = result.standardErrors().map(OutputColumns::flat).orElse(null);
        List<Object[]> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            List<Object> row = new ArrayList<>(6);
            row.add(shaped(values[r], featureNames));
            row.add(targets == null ? null : targets[r]);
            row.add(fx == null ? null : fx[r]);
            row.add(fReference == null ? null : fReference[r]);
            if (method.completenessDelta()) {
                row.add(delta == null ? null : delta[r]);
            }
            if (method.stochastic()) {
                row.add(errors == null ? null : shaped(errors[r], featureNames));
            }
            rows.add(row.toArray());
        }
        return rows;
    }

    /** A row's values as the column holds them: the array itself, or a struct row of its named values. */
    private static Object shaped(double[] values, String[] featureNames) {
        if (featureNames == null) {
            return values;
        }
        Object[] fields = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            fields[i] = values[i];
        }
        return RowFactory.create(fields);
    }

    /** [rows, ...] as one double row per row, flattened row-major. */
    private static double[][] flat(INDArray values) {
        return values.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape('c', values.size(0), -1).toDoubleMatrix();
    }
}
