package dev.explain4j.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stochastic methods give the same numbers, to the last bit in double, whatever the partitioning (1, 3, 8
 * partitions) and when a task dies mid-partition and Spark runs it again; and the retried stage still writes exactly
 * one row per input row.
 */
class DeterminismTest {
    private static final double[][] ROWS = Arrays.copyOf(SparkTests.iris(), 90);
    private static final double[][] BACKGROUND = Arrays.copyOfRange(SparkTests.iris(), 140, 150);
    /** Set when the failing column has killed a task, so the retry test cannot pass without a retry. */
    private static final AtomicBoolean KILLED = new AtomicBoolean();
    private static final Map<Long, AtomicInteger> ROWS_SEEN = new ConcurrentHashMap<>();

    private static AttributionTransformer stage(String method) {
        AttributionTransformer stage = new AttributionTransformer().setModelPath("models/iris-mlp.zip")
                .setInputCol("features").setMethod(method).setPrecision("double").setSeed(5).setSamples(40);
        return method.equals("smoothgrad") ? stage : stage.setBackground(BACKGROUND);
    }

    /** KernelSHAP on iris's 4 features enumerates every coalition (no randomness left): it runs on the digits. */
    @ParameterizedTest
    @ValueSource(strings = {"lime", "smoothgrad", "expected-gradients", "shapley-sampling"})
    void partitionsDoNotChangeTheNumbers(String method) {
        double[][] one = SparkTests.byId(stage(method).transform(SparkTests.frame(ROWS, 1)), "attributions");
        for (int partitions : new int[]{3, 8}) {
            double[][] more = SparkTests.byId(stage(method).transform(SparkTests.frame(ROWS, partitions)), "attributions");
            assertThat(more).as("%d partitions", partitions).isDeepEqualTo(one);
        }
        // a different seed does change them: the comparison above can fail
        double[][] reseeded = SparkTests.byId(stage(method).setSeed(6).transform(SparkTests.frame(ROWS, 3)), "attributions");
        assertThat(Arrays.deepEquals(reseeded, one)).isFalse();
    }

    @Test
    void kernelShapOnTheDigitsDoesNotDependOnThePartitions() {
        double[][] digits = SparkTests.digits(24);
        AttributionTransformer stage = new AttributionTransformer().setModelPath("models/digits-cnn.zip")
                .setInputCol("features").setMethod("kernel-shap").setPrecision("double").setSamples(150).setSeed(5)
                .setBackground(Arrays.copyOfRange(digits, 20, 24));
        double[][] one = SparkTests.byId(stage.transform(SparkTests.frame(digits, 1)), "attributions");
        double[][] eight = SparkTests.byId(stage.transform(SparkTests.frame(digits, 8)), "attributions");
        assertThat(eight).isDeepEqualTo(one);
        double[][] reseeded = SparkTests.byId(stage.setSeed(6).transform(SparkTests.frame(digits, 3)), "attributions");
        assertThat(Arrays.deepEquals(reseeded, one)).isFalse();
    }

    @Test
    void aRowKeyColumnKeysTheDrawsWhateverThePartitioning() {
        AttributionTransformer keyed = stage("lime").setRowKeyCol("id");
        double[][] one = SparkTests.byId(keyed.transform(SparkTests.frame(ROWS, 1)), "attributions");
        double[][] eight = SparkTests.byId(keyed.transform(SparkTests.frame(ROWS, 8)), "attributions");
        assertThat(eight).isDeepEqualTo(one);
        // keyed by id, not by content: the same flower under two ids gets two sets of draws
        double[][] twice = {ROWS[0], ROWS[0]};
        double[][] both = SparkTests.byId(keyed.transform(SparkTests.frame(twice, 1)), "attributions");
        assertThat(both[0]).isNotEqualTo(both[1]);
        double[][] unkeyed = SparkTests.byId(stage("lime").transform(SparkTests.frame(twice, 1)), "attributions");
        assertThat(unkeyed[0]).isEqualTo(unkeyed[1]);
    }

    @Test
    void aTaskKilledMidPartitionIsRunAgainWithTheSameNumbersAndOneRowOutPerRowIn(@TempDir Path dir) {
        AttributionTransformer stage = stage("lime");
        long start = System.nanoTime();
        double[][] expected = SparkTests.byId(stage.transform(SparkTests.frame(ROWS, 3)), "attributions");

        UserDefinedFunction dieOnce = udf((UDF1<Long, Long>) id -> {
            TaskContext task = TaskContext.get();
            int seen = ROWS_SEEN.computeIfAbsent(task.taskAttemptId(), k -> new AtomicInteger()).incrementAndGet();
            if (task.partitionId() == 1 && task.attemptNumber() == 0 && seen == 10) {
                KILLED.set(true);
                throw new IllegalStateException("killed on purpose after 9 rows of partition 1");
            }
            return id;
        }, DataTypes.LongType);
        Dataset<Row> explained = stage.transform(SparkTests.frame(ROWS, 3)).withColumn("id", dieOnce.apply(col("id")));
        String out = dir.resolve("explained.parquet").toString();
        System.out.printf("first run %.1f s%n", (System.nanoTime() - start) / 1e9);
        explained.write().parquet(out);
        System.out.printf("with the retry %.1f s%n", (System.nanoTime() - start) / 1e9);

        assertThat(KILLED).isTrue();
        Dataset<Row> written = SparkTests.spark().read().parquet(out);
        List<Row> ids = written.select("id").collectAsList();
        assertThat(ids).hasSize(ROWS.length);
        assertThat(ids.stream().map(r -> r.getLong(0)).distinct().count()).isEqualTo(ROWS.length);
        assertThat(SparkTests.byId(written, "attributions")).isDeepEqualTo(expected);
    }
}
