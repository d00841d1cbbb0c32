package dev.explain4j.spark;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.MethodInfo;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

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
    static StructType add(StructType input, MethodInfo method, int inputColumn, int targetColumn, int rowKeyColumn) {
        if (targetColumn >= 0) {
            StructField field = input.fields()[targetColumn];
            if (!(field.dataType() instanceof IntegerType || field.dataType() instanceof LongType
                    || field.dataType() instanceof ShortType)) {
                throw new IllegalArgumentException("target-col '" + field.name() + "' has type "
                        + field.dataType().simpleString() + "; expected integer output indices");
            }
        }
        StructType out = input;
        for (StructField field : fields(method)) {
            if (List.of(input.fieldNames()).contains(field.name())) {
                throw new IllegalArgumentException("the input already has a column '" + field.name()
                        + "', which the stage writes; rename or drop it first");
            }
            out = out.add(field);
        }
        return out;
    }

    private static List<StructField> fields(MethodInfo method) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(ATTRIBUTIONS, InputColumn.VALUES, false));
        fields.add(DataTypes.createStructField(TARGET, DataTypes.IntegerType, true));
        fields.add(DataTypes.createStructField(F_X, DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField(F_REFERENCE, DataTypes.DoubleType, true));
        if (method.completenessDelta()) {
            fields.add(DataTypes.createStructField(COMPLETENESS_DELTA, DataTypes.DoubleType, true));
        }
        if (method.stochastic()) {
            fields.add(DataTypes.createStructField(STANDARD_ERRORS, InputColumn.VALUES, true));
        }
        return fields;
    }

    /** Row {@code r} of a result as the added columns' values, in {@link #fields} order. */
    static List<Object> values(Attributions result, int r, MethodInfo method) {
        List<Object> values = new ArrayList<>(6);
        values.add(result.row(r));
        values.add(result.targets().map(t -> (Object) t[r]).orElse(null));
        values.add(result.targetOutputs().map(v -> (Object) v[r]).orElse(null));
        values.add(result.referenceOutputs().map(v -> (Object) v[r]).orElse(null));
        if (method.completenessDelta()) {
            values.add(result.completenessDelta().map(v -> (Object) v[r]).orElse(null));
        }
        if (method.stochastic()) {
            values.add(result.standardErrors().map(e -> (Object) e.slice(r).dup().reshape(-1).toDoubleVector()).orElse(null));
        }
        return values;
    }
}
