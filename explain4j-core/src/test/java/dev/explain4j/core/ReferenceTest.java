package dev.explain4j.core;

import dev.explain4j.model.ExplainableModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ReferenceTest {
    private static final ExplainableModel TABLE = ExplainableModel.of(b -> b.sum(true, 1), new long[]{3}, 1, DataType.DOUBLE);
    private static final INDArray X = Nd4j.createFromArray(new double[][]{{1, 2, 3}, {4, 5, 6}});

    @Test
    void aConstantResolvesToOneRowPerInputRowAndIsADistributionOfOne() {
        INDArray resolved = Reference.constant(0.5).resolve(X, TABLE);
        assertThat(resolved.shape()).containsExactly(2, 3);
        assertThat(resolved.toDoubleMatrix()).isDeepEqualTo(new double[][]{{0.5, 0.5, 0.5}, {0.5, 0.5, 0.5}});
        Reference.Distribution one = Reference.zeros().distribution(X, TABLE);
        assertThat(one.rows().shape()).containsExactly(1, 3);
        assertThat(one.weights()).containsExactly(1.0);
        assertThat(Reference.zeros().describe()).isEqualTo("zero");
        assertThat(Reference.constant(2).describe()).isEqualTo("constant:2.0");
    }

    @Test
    void aWeightedDistributionResolvesToItsWeightedMean() {
        INDArray rows = Nd4j.createFromArray(new double[][]{{0, 0, 0}, {4, 8, 12}});
        Reference r = Reference.distribution(rows, new double[]{3, 1});
        assertThat(r.isDistribution()).isTrue();
        assertThat(r.distribution(X, TABLE).weights()).containsExactly(0.75, 0.25);
        INDArray resolved = r.resolve(X, TABLE);
        for (int row = 0; row < 2; row++) {
            assertThat(resolved.getRow(row).toDoubleVector()).containsExactly(new double[]{1, 2, 3}, within(1e-15));
        }
    }

    @Test
    void aMeanIsTheBackgroundsMeanRow() {
        INDArray background = Nd4j.createFromArray(new double[][]{{1, 1, 1}, {3, 5, 7}});
        assertThat(Reference.mean(background).resolve(X, TABLE).getRow(1).toDoubleVector()).containsExactly(2, 3, 4);
        assertThat(Reference.mean(background).distribution(X, TABLE).rows().toDoubleMatrix())
                .isDeepEqualTo(new double[][]{{2, 3, 4}});
    }

    @Test
    void perRowReferencesFollowTheirRowsWhenPointsAreStacked() {
        Reference perRow = Reference.rows(Nd4j.createFromArray(new double[][]{{1, 1, 1}, {2, 2, 2}, {3, 3, 3}}));
        // rows [1, 3) of the batch, each stacked twice: references 2, 2, 3, 3
        INDArray stacked = Nd4j.zeros(DataType.DOUBLE, 4, 3);
        INDArray resolved = perRow.forRows(1, 3, 2).resolve(stacked, TABLE);
        assertThat(resolved.getColumn(0).toDoubleVector()).containsExactly(2, 2, 3, 3);
        assertThatThrownBy(() -> perRow.resolve(X, TABLE)).hasMessageContaining("3 baseline rows for 2 input rows");
        assertThatThrownBy(() -> perRow.distribution(X, TABLE)).hasMessageContaining("expected one baseline row");
    }

    @Test
    void kmeansWeightsAreClusterSharesAndCentresAreDataValues() {
        INDArray data = Nd4j.createFromArray(new double[][]{{0, 0, 0}, {0.1, 0, 0}, {0, 0.1, 0}, {10, 10, 10}});
        Reference.Distribution d = Reference.kmeans(data, 2, 7).distribution(X, TABLE);
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.weights()).containsExactlyInAnyOrder(0.75, 0.25);
        for (double[] row : d.rows().toDoubleMatrix()) {
            for (int j = 0; j < 3; j++) {
                assertThat(data.getColumn(j).toDoubleVector()).contains(row[j]);
            }
        }
    }

    @Test
    void badReferencesAreRefusedByWhatIsWrong() {
        assertThatThrownBy(() -> Reference.constant(Double.NaN)).hasMessageContaining("must be finite");
        assertThatThrownBy(() -> Reference.blurred(0)).hasMessageContaining("sigma must be positive");
        assertThatThrownBy(() -> Reference.distribution(Nd4j.ones(2, 3), new double[]{1, -1})).hasMessageContaining("≥ 0");
        assertThatThrownBy(() -> Reference.mean(Nd4j.ones(1, 2)).resolve(X, TABLE)).hasMessageContaining("row shape [2]");
        assertThatThrownBy(() -> Reference.blurred(1).resolve(X, TABLE)).hasMessageContaining("needs image inputs");
    }
}
