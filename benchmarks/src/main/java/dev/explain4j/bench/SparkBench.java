package dev.explain4j.bench;

import dev.explain4j.core.MethodRegistry;
import dev.explain4j.core.MethodSettings;
import dev.explain4j.core.Reference;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.spark.AttributionTransformer;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of the Spark stage against the library on the same rows in the same JVM (issue 14): IG with 50 steps
 * on the tabular MLP and the shipped digits CNN, and KernelSHAP on the tabular MLP, each through the core API (one
 * call over all rows) and through {@link AttributionTransformer} at local[1] and local[2] (output consumed by Spark's
 * no-op sink, so no write is timed). Each case runs once to warm up and then {@code -Drepeats} (default 3) times; the
 * best time counts. Not JMH: a Spark session per master does not fit JMH's forks, and one run of a case takes
 * seconds, well above timer noise. Run on a quiet machine only:
 * <pre>
 * java --add-opens ... -cp CLASSPATH dev.explain4j.bench.SparkBench [rows=20000] [cases=ig-tabular,ig-digits,kernel-shap-tabular]
 * </pre>
 * (see benchmarks/RESULTS.md, "Spark", for the class path and flags). Prints one line per case: rows/s of the library,
 * of local[1] and local[2], the overhead local[1] / library and the speed-up local[2] / local[1].
 */
public final class SparkBench {
    private SparkBench() {
    }

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        String[] cases = (args.length > 1 ? args[1] : "ig-tabular,ig-digits,kernel-shap-tabular").split(",");
        int repeats = Integer.getInteger("repeats", 3);
        for (String name : cases) {
            String model = name.endsWith("digits") ? "digits" : "tabular";
            String method = name.startsWith("ig") ? "integrated-gradients" : "kernel-shap";
            int n = method.equals("kernel-shap") ? rows / 10 : rows;
            MultiLayerNetwork network = Models.byName(model);
            File file = File.createTempFile("bench-" + model, ".zip");
            file.deleteOnExit();
            ModelSerializer.writeModel(network, file, false);
            INDArray x = Models.rows(model, n, 7);
            INDArray background = x.get(NDArrayIndex.interval(0, 10)).dup();

            NetworkModel explained = Models.explained(model, network);
            MethodSettings settings = new MethodSettings(null, method.equals("kernel-shap")
                    ? Reference.distribution(background) : null, method.equals("kernel-shap") ? null : 50, null, null,
                    null, null, method.equals("kernel-shap") ? 200 : null, null, null);
            double library = best(repeats, () -> MethodRegistry.create(method, explained, settings, x).attribute(x, Target.predicted()));

            double[] spark = new double[2];
            for (int threads = 1; threads <= 2; threads++) {
                SparkSession session = SparkSession.builder().master("local[" + threads + "]").appName("explain4j bench")
                        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
                Dataset<Row> frame = frame(session, x, threads * 2).cache();
                frame.count();
                AttributionTransformer stage = new AttributionTransformer().setModelPath(file.getPath())
                        .setInputCol("features").setMethod(method);
                if (method.equals("kernel-shap")) {
                    stage.setSamples(200).setBackground(background.toDoubleMatrix());
                } else {
                    stage.setSteps(50);
                }
                spark[threads - 1] = best(repeats, () -> stage.transform(frame).write().format("noop").mode("overwrite").save());
                session.stop();
            }
            System.out.printf(Locale.ROOT, "%-22s %6d rows  library %9.0f rows/s  local[1] %9.0f rows/s  local[2] %9.0f rows/s"
                            + "  overhead %.2fx  speed-up %.2fx%n", name, n, n / library, n / spark[0], n / spark[1],
                    spark[0] / library, spark[0] / spark[1]);
        }
    }

    /** The best of {@code repeats} timed runs after one warm-up, in seconds. */
    private static double best(int repeats, Runnable run) {
        run.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            run.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    private static Dataset<Row> frame(SparkSession session, INDArray x, int partitions) {
        StructType schema = new StructType().add("features", new VectorUDT(), false);
        List<Row> rows = new ArrayList<>();
        double[][] values = x.reshape(x.size(0), -1).toDoubleMatrix();
        for (double[] row : values) {
            rows.add(RowFactory.create(Vectors.dense(row)));
        }
        return session.createDataFrame(rows, schema).repartition(partitions);
    }
}
