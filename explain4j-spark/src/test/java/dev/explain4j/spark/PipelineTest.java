package dev.explain4j.spark;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The stage inside a Pipeline after a VectorAssembler, saved and loaded with Spark's ML persistence. */
class PipelineTest {
    @Test
    void savedAndLoadedInsideAPipelineItGivesTheSameColumns(@TempDir Path dir) throws Exception {
        double[][] iris = Arrays.copyOf(SparkTests.iris(), 30);
        StructType schema = new StructType().add("id", DataTypes.LongType).add("sl", DataTypes.DoubleType)
                .add("sw", DataTypes.DoubleType).add("pl", DataTypes.DoubleType).add("pw", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < iris.length; r++) {
            rows.add(RowFactory.create((long) r, iris[r][0], iris[r][1], iris[r][2], iris[r][3]));
        }
        Dataset<Row> table = SparkTests.spark().createDataFrame(rows, schema);
        AttributionTransformer shap = new AttributionTransformer().setModelPath("models/iris-mlp.zip")
                .setInputCol("features").setMethod("shapley-sampling").setSamples(30).setSeed(3)
                .setBackground(Arrays.copyOfRange(SparkTests.iris(), 120, 125)).setTarget(2);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[]{
                new VectorAssembler().setInputCols(new String[]{"sl", "sw", "pl", "pw"}).setOutputCol("features"), shap});
        PipelineModel fitted = pipeline.fit(table);
        String path = dir.resolve("pipeline").toString();
        fitted.write().save(path);
        PipelineModel loaded = PipelineModel.load(path);

        AttributionTransformer restored = (AttributionTransformer) loaded.stages()[1];
        assertThat(restored.uid()).isEqualTo(shap.uid());
        for (org.apache.spark.ml.param.Param<?> param : shap.params()) {
            assertThat(restored.isSet(restored.getParam(param.name()))).as(param.name()).isEqualTo(shap.isSet(param));
        }
        assertThat(restored.getOrDefault(restored.background())).isDeepEqualTo(shap.getOrDefault(shap.background()));
        assertThat(restored.getOrDefault(restored.method())).isEqualTo("shapley-sampling");
        Dataset<Row> before = fitted.transform(table);
        Dataset<Row> after = loaded.transform(table);
        assertThat(after.schema()).isEqualTo(before.schema());
        assertThat(SparkTests.byId(after, "attributions")).isDeepEqualTo(SparkTests.byId(before, "attributions"));
        assertThat(SparkTests.byId(after, "standard_errors")).isDeepEqualTo(SparkTests.byId(before, "standard_errors"));
        assertThat(after.select("explained_target").distinct().collectAsList()).containsExactly(RowFactory.create(2));
    }
}
