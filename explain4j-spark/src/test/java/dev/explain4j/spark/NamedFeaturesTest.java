package dev.explain4j.spark;

import dev.explain4j.global.GlobalImportance;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With feature names the stage writes structs of named doubles, holding exactly the numbers of its array columns. */
class NamedFeaturesTest {
    private static final String[] NAMES = {"sepal_length", "sepal_width", "petal_length", "petal_width"};
    private static final double[][] ROWS = Arrays.copyOf(SparkTests.iris(), 40);

    private static AttributionTransformer shap() {
        return new AttributionTransformer().setModelPath("models/iris-mlp.zip").setInputCol("features")
                .setMethod("shapley-sampling").setSamples(20).setSeed(5)
                .setBackground(Arrays.copyOfRange(SparkTests.iris(), 100, 104));
    }

    @Test
    void structColumnsHoldTheArrayColumnsNumbersUnderTheirNames() {
        Dataset<Row> arrays = shap().transform(SparkTests.frame(ROWS, 2));
        Dataset<Row> named = shap().setFeatureNames(NAMES).transform(SparkTests.frame(ROWS, 2));

        StructType struct = (StructType) named.schema().apply("attributions").dataType();
        assertThat(struct.fieldNames()).containsExactly(NAMES);
        assertThat(struct.fields()).allSatisfy(f -> assertThat(f.dataType()).isEqualTo(DataTypes.DoubleType));
        assertThat(named.schema().apply("standard_errors").dataType()).isEqualTo(struct);
        assertThat(byId(named, "attributions")).isDeepEqualTo(SparkTests.byId(arrays, "attributions"));
        assertThat(byId(named, "standard_errors")).isDeepEqualTo(SparkTests.byId(arrays, "standard_errors"));
        // a field is addressed by its name, as a SQL user would
        double petal = named.where("id = 7").selectExpr("attributions.petal_length").first().getDouble(0);
        assertThat(petal).isEqualTo(SparkTests.byId(arrays, "attributions")[7][2]);

        GlobalImportance fromStructs = DistributedGlobalImportance.of(named, "shapley-sampling");
        GlobalImportance fromArrays = DistributedGlobalImportance.of(arrays, "shapley-sampling");
        assertThat(fromStructs.features().meanAbsolute()).containsExactly(fromArrays.features().meanAbsolute());
    }

    @Test
    void namesThatDoNotFitTheRowsAreRefusedByName() {
        assertThatThrownBy(() -> shap().setFeatureNames("a", "b", "c").transform(SparkTests.frame(ROWS, 1)).count())
                .satisfies(e -> assertThat(ExplainJob.rootMessage(e))
                        .isEqualTo("feature-names has 3 names, but shapley-sampling gives 4 values per row"));
        assertThatThrownBy(() -> shap().setFeatureNames("a", "b", "a", "d").transform(SparkTests.frame(ROWS, 1)))
                .hasMessage("feature-names: 'a' is named twice; every value of a row needs its own name");
    }

    /** A struct column by id, its fields in order. */
    private static double[][] byId(Dataset<Row> explained, String column) {
        List<Row> rows = explained.select("id", column).collectAsList();
        double[][] out = new double[rows.size()][];
        for (Row row : rows) {
            Row values = row.getStruct(1);
            out[Math.toIntExact(row.getLong(0))] = values == null ? null
                    : java.util.stream.IntStream.range(0, values.size()).mapToDouble(values::getDouble).toArray();
        }
        return out;
    }
}
