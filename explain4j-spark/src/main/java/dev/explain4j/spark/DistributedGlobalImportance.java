package dev.explain4j.spark;

import dev.explain4j.global.GlobalImportance;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sum;

/**
 * The library's {@link GlobalImportance} (mean |attribution| and mean attribution per feature, over all rows and per
 * class) of a DataFrame the {@link AttributionTransformer} wrote, as one Spark aggregation: each executor sums its
 * rows per class and feature, and only those sums (classes × features numbers) reach the driver, never the rows.
 * The sums are added in Spark's order rather than row by row, so the means agree with the library's to rounding
 * (about 1e-15 relative in double), not to the last bit.
 */
public final class DistributedGlobalImportance {
    private DistributedGlobalImportance() {
    }

    /** Grouped by the output each row explained ({@code explained_target}). */
    public static GlobalImportance of(Dataset<?> explained, String method) {
        return of(explained, method, OutputColumns.TARGET, "target");
    }

    /**
     * Grouped by an integer column of the rows (e.g. their true labels).
     *
     * @param kind what the classes are, for the record ("label", "predicted", ...)
     */
    public static GlobalImportance of(Dataset<?> explained, String method, String classColumn, String kind) {
        List<Row> sums = explained.select(col(classColumn).cast("int").as("class"),
                        posexplode(attributions(explained)).as(new String[]{"feature", "value"}))
                .groupBy("class", "feature")
                .agg(sum(abs(col("value"))).as("abs"), sum(col("value")).as("signed"), count(col("value")).as("rows"))
                .collectAsList();
        if (sums.isEmpty()) {
            throw new IllegalArgumentException("no attribution rows to summarise");
        }
        int features = sums.stream().mapToInt(r -> r.getInt(1)).max().orElse(-1) + 1;
        Map<Integer, double[][]> perClass = new TreeMap<>();
        Map<Integer, Long> rows = new TreeMap<>();
        for (Row r : sums) {
            if (r.isNullAt(0)) {
                throw new IllegalArgumentException("class column '" + classColumn + "' has nulls");
            }
            double[][] s = perClass.computeIfAbsent(r.getInt(0), c -> new double[2][features]);
            s[0][r.getInt(1)] = r.getDouble(2);
            s[1][r.getInt(1)] = r.getDouble(3);
            rows.put(r.getInt(0), r.getLong(4));
        }
        double[][] all = new double[2][features];
        long total = 0;
        Map<Integer, GlobalImportance.Summary> summaries = new TreeMap<>();
        for (Map.Entry<Integer, double[][]> e : perClass.entrySet()) {
            long n = rows.get(e.getKey());
            total += n;
            for (int f = 0; f < features; f++) {
                all[0][f] += e.getValue()[0][f];
                all[1][f] += e.getValue()[1][f];
            }
            summaries.put(e.getKey(), summary(e.getValue(), n));
        }
        return new GlobalImportance(method, summary(all, total), summaries, kind);
    }

    /** The attributions column as an array, whether the stage wrote it as one or as a struct of named features. */
    private static Column attributions(Dataset<?> explained) {
        Column column = col(OutputColumns.ATTRIBUTIONS);
        if (explained.schema().apply(OutputColumns.ATTRIBUTIONS).dataType() instanceof StructType struct) {
            return array(Arrays.stream(struct.fieldNames()).map(column::getField).toArray(Column[]::new));
        }
        return column;
    }

    private static GlobalImportance.Summary summary(double[][] sums, long rows) {
        double[] abs = new double[sums[0].length];
        double[] signed = new double[abs.length];
        for (int f = 0; f < abs.length; f++) {
            abs[f] = sums[0][f] / rows;
            signed[f] = sums[1][f] / rows;
        }
        return new GlobalImportance.Summary(Math.toIntExact(rows), abs, signed);
    }
}
