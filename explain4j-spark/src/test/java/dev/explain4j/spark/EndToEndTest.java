package dev.explain4j.spark;

import dev.explain4j.core.Attributions;
import dev.explain4j.global.GlobalImportance;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * 10,000 flowers (the 150 iris rows, each copy jittered by a seeded ±0.05 cm) explained by Integrated Gradients
 * through the shipped iris MLP in double, written to Parquet and read back: one row per row, the library's numbers,
 * completeness within the Gauss-Legendre rule's error (largest |delta| 6.3e-6), and the distributed global importance equal to the library's.
 */
class EndToEndTest {
    private static final int ROWS = 10_000;

    @Test
    void tenThousandRowsToParquetAndTheirGlobalImportance(@TempDir Path dir) {
        double[][] iris = SparkTests.iris();
        SplittableRandom random = new SplittableRandom(42);
        double[][] rows = new double[ROWS][4];
        for (int r = 0; r < ROWS; r++) {
            for (int f = 0; f < 4; f++) {
                rows[r][f] = iris[r % iris.length][f] + random.nextDouble(-0.05, 0.05);
            }
        }
        AttributionTransformer ig = new AttributionTransformer().setModelPath("models/iris-mlp.zip")
                .setInputCol("features").setMethod("integrated-gradients").setSteps(50).setPrecision("double");
        String out = dir.resolve("ig.parquet").toString();
        long start = System.nanoTime();
        ig.transform(SparkTests.frame(rows, 4)).write().parquet(out);
        System.out.printf("10,000 rows, IG 50 steps, double, local[2], to Parquet: %.1f s%n", (System.nanoTime() - start) / 1e9);

        Dataset<Row> written = SparkTests.spark().read().parquet(out);
        assertThat(written.count()).isEqualTo(ROWS);
        NetworkModel model = ModelLoader.load(Path.of("models/iris-mlp.zip"), null).withDataType(DataType.DOUBLE);
        Attributions library = IntegratedGradients.of(model).withSteps(50)
                .attribute(Nd4j.createFromArray(rows), Target.predicted());
        double[][] values = SparkTests.byId(written, "attributions");
        for (int r = 0; r < ROWS; r++) {
            assertThat(values[r]).as("row %d", r).containsExactly(library.row(r));
        }
        double worstDelta = written.selectExpr("max(abs(completeness_delta))").first().getDouble(0);
        System.out.printf("largest |completeness delta| %.2e%n", worstDelta);
        // the 50-point Gauss-Legendre rule's own error on this tanh/softmax network: measured 6.3e-6
        assertThat(worstDelta).isLessThan(1e-4);

        GlobalImportance distributed = DistributedGlobalImportance.of(written, "integrated-gradients");
        GlobalImportance local = GlobalImportance.of(library);
        assertThat(distributed.perClass().keySet()).isEqualTo(local.perClass().keySet());
        assertThat(distributed.features().rows()).isEqualTo(ROWS);
        assertSummary(distributed.features(), local.features());
        local.perClass().forEach((c, summary) -> assertSummary(distributed.perClass().get(c), summary));
    }

    private static void assertSummary(GlobalImportance.Summary spark, GlobalImportance.Summary library) {
        assertThat(spark.rows()).isEqualTo(library.rows());
        for (int f = 0; f < 4; f++) {
            assertThat(spark.meanAbsolute()[f]).isCloseTo(library.meanAbsolute()[f],
                    within(1e-12 * Math.abs(library.meanAbsolute()[f])));
            assertThat(spark.meanSigned()[f]).isCloseTo(library.meanSigned()[f],
                    within(1e-12 * library.meanAbsolute()[f]));
        }
    }
}
