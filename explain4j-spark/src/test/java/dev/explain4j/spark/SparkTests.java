package dev.explain4j.spark;

import dev.explain4j.io.CsvInputReader;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One local Spark session for all the module's tests: two task threads, a task may fail up to 4 times
 * ({@code local[2,4]}), no UI. Rows of the shipped models' data as DataFrames.
 */
final class SparkTests {
    private static SparkSession session;

    private SparkTests() {
    }

    static synchronized SparkSession spark() {
        if (session == null) {
            session = SparkSession.builder().master("local[2,4]").appName("explain4j-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }

    /** The 150 iris flowers' measurements (the label column dropped). */
    static double[][] iris() {
        double[][] rows = CsvInputReader.ofWidth(5, "iris").read(Path.of("models/data/iris.dat")).toMatrix();
        return Arrays.stream(rows).map(r -> Arrays.copyOf(r, 4)).toArray(double[][]::new);
    }

    /** The first {@code n} rows of the shipped digits data (64 pixel counts each, the label dropped). */
    static double[][] digits(int n) {
        Path file = Path.of("models/data/digits.csv.gz");
        try (java.io.Reader reader = new java.io.InputStreamReader(new java.util.zip.GZIPInputStream(
                java.nio.file.Files.newInputStream(file)), java.nio.charset.StandardCharsets.UTF_8)) {
            double[][] rows = CsvInputReader.ofWidth(65, "digits").read(reader, file.toString()).toMatrix();
            return Arrays.stream(rows).limit(n).map(r -> Arrays.copyOf(r, 64)).toArray(double[][]::new);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Columns id (long) and features (ML vector), one row per given row, in {@code partitions} partitions. */
    static Dataset<Row> frame(double[][] rows, int partitions) {
        StructType schema = new StructType().add("id", DataTypes.LongType, false).add("features", new VectorUDT(), false);
        List<Row> list = new ArrayList<>();
        for (int r = 0; r < rows.length; r++) {
            list.add(RowFactory.create((long) r, Vectors.dense(rows[r])));
        }
        return spark().createDataFrame(list, schema).repartition(partitions);
    }

    /** The attributions column by id (rows come back in any order). */
    static double[][] byId(Dataset<Row> explained, String column) {
        List<Row> rows = explained.select("id", column).collectAsList();
        double[][] out = new double[rows.size()][];
        for (Row row : rows) {
            out[Math.toIntExact(row.getLong(0))] = row.isNullAt(1) ? null
                    : row.getList(1).stream().mapToDouble(v -> (Double) v).toArray();
        }
        return out;
    }
}
