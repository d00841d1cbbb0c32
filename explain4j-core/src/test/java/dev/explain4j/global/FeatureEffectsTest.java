package dev.explain4j.global;

import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.perturbation.TestModels;
import dev.explain4j.testing.LinearNetworks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Partial dependence, ICE and ALE against closed forms on linear and product models, and against the model itself. */
class FeatureEffectsTest {
    private static final double[][] W = {{0.5, -1}, {-2, 0.25}, {1.5, 3}, {0, -0.75}, {-0.3, 1.2}};
    private static final double[] B = {0.1, -0.4};

    @Test
    void partialDependenceOfALinearNetworkIsTheLineThroughTheMeanOfTheOtherFeatures() {
        MultiLayerNetwork net = LinearNetworks.linear(W, B);
        NetworkModel model = NetworkModel.of(net).withDataType(DataType.DOUBLE);
        INDArray data = TestModels.gaussian(200, 5, 1.5, 3);
        double[][] x = dev.explain4j.model.Inputs.rowsAsDoubles(data);
        double worst = 0;
        for (int target = 0; target < 2; target++) {
            for (int j = 0; j < 5; j++) {
                FeatureEffect pd = PartialDependence.of(model).withTarget(target).compute(data, j);
                double constant = B[target];
                for (int k = 0; k < 5; k++) {
                    if (k != j) {
                        constant += W[k][target] * mean(Quantiles.column(x, k));
                    }
                }
                double[] grid = pd.grid(0);
                assertThat(grid).hasSize(20);
                for (int p = 0; p < grid.length; p++) {
                    worst = Math.max(worst, Math.abs(pd.values()[p] - (W[j][target] * grid[p] + constant)));
                }
                for (int p = 1; p < grid.length; p++) {
                    double slope = (pd.values()[p] - pd.values()[p - 1]) / (grid[p] - grid[p - 1]);
                    assertThat(slope).isCloseTo(W[j][target], within(1e-9));
                }
            }
        }
        System.out.printf("linear PD: largest error against w_j·v + const %.2e%n", worst);
        assertThat(worst).isLessThan(1e-12);
    }

    @Test
    void aleOfALinearNetworkHasSlopeWAndRowWeightedMeanZero() {
        NetworkModel model = NetworkModel.of(LinearNetworks.linear(W, B)).withDataType(DataType.DOUBLE);
        INDArray data = TestModels.gaussian(300, 5, 1.0, 8);
        for (int j = 0; j < 5; j++) {
            FeatureEffect ale = AccumulatedLocalEffects.of(model).withTarget(1).withIntervals(10).compute(data, j);
            double[] edges = ale.grid(0);
            double[] values = ale.values();
            int[] counts = ale.intervalRows();
            assertThat(edges).hasSize(11);
            assertThat(edges[0]).isEqualTo(data.getColumn(j).minNumber().doubleValue());
            assertThat(edges[10]).isEqualTo(data.getColumn(j).maxNumber().doubleValue());
            assertThat(java.util.Arrays.stream(counts).sum()).isEqualTo(300);
            double weighted = 0;
            for (int i = 0; i < counts.length; i++) {
                weighted += counts[i] * 0.5 * (values[i] + values[i + 1]);
                assertThat((values[i + 1] - values[i]) / (edges[i + 1] - edges[i])).isCloseTo(W[j][1], within(1e-9));
            }
            assertThat(weighted / 300).isCloseTo(0, within(1e-12));
        }
    }

    @Test
    void aleOfASquareAccumulatesTheSquaresOfTheEdges() {
        // f = x0² + 3·x1: every row of an interval has the same local effect e_k² − e_{k−1}², whatever x1 is
        ExplainableModel model = ExplainableModel.of(b -> b.getColumn(0).mul(b.getColumn(0)).addi(b.getColumn(1).mul(3))
                .reshape(b.size(0), 1), new long[]{2}, 1, DataType.DOUBLE);
        INDArray data = TestModels.gaussian(157, 2, 1.0, 21);
        FeatureEffect ale = AccumulatedLocalEffects.of(model).withIntervals(7).compute(data, 0);
        double[] e = ale.grid(0);
        double[] v = ale.values();
        for (int i = 1; i < e.length; i++) {
            assertThat(v[i] - v[0]).isCloseTo(e[i] * e[i] - e[0] * e[0], within(1e-12));
        }
        // the edges are NumPy's linear quantiles: the median of 157 sorted values is the 79th
        double[] sorted = Quantiles.column(dev.explain4j.model.Inputs.rowsAsDoubles(data), 0);
        java.util.Arrays.sort(sorted);
        assertThat(Quantiles.linear(sorted, 0.5)).isEqualTo(sorted[78]);
    }

    @Test
    void anIntervalWithoutRowsIsMergedIntoTheNextOne() {
        // 4 rows, 6 intervals: edges 0, 0.5, 1, 1.5, 2, 2.5, 3 at the linear quantiles of 0, 1, 2, 3; only the
        // intervals ending at 1, 2 and 3 hold a row (0 is in the first); f = x² has local effects e_k² − e_{k−1}²
        ExplainableModel model = ExplainableModel.of(b -> b.getColumn(0).mul(b.getColumn(0)).reshape(b.size(0), 1),
                new long[]{1}, 1, DataType.DOUBLE);
        INDArray data = Nd4j.createFromArray(new double[][]{{0}, {1}, {2}, {3}});
        FeatureEffect ale = AccumulatedLocalEffects.of(model).withIntervals(6).compute(data, 0);
        assertThat(ale.grid(0)).containsExactly(0, 0.5, 1, 2, 3);
        assertThat(ale.intervalRows()).containsExactly(1, 1, 1, 1);
        double[] v = ale.values();
        // uncentred: the local effects 0.25 − 0, 1 − 0.25, 4 − 2.25, 9 − 6.25 summed; centred with one row per interval
        double[] raw = {0, 0.25, 0.25 + (1 - 0.25), 0.25 + 0.75 + (4 - 2.25), 0.25 + 0.75 + 1.75 + (9 - 6.25)};
        double centre = (0.5 * (raw[0] + raw[1]) + 0.5 * (raw[1] + raw[2]) + 0.5 * (raw[2] + raw[3])
                + 0.5 * (raw[3] + raw[4])) / 4;
        for (int i = 0; i < v.length; i++) {
            assertThat(v[i]).isCloseTo(raw[i] - centre, within(1e-12));
        }
    }

    @Test
    void twoWayPartialDependenceOfAProductIsTheProductOfTheGridValues() {
        // f = x1·x2 + x0 on independent inputs: PD(v1, v2) = v1·v2 + mean(x0); PD(v1) = v1·mean(x2) + mean(x0)
        ExplainableModel model = ExplainableModel.of(b -> b.getColumn(1).mul(b.getColumn(2)).addi(b.getColumn(0))
                .reshape(b.size(0), 1), new long[]{3}, 1, DataType.DOUBLE);
        INDArray data = TestModels.gaussian(120, 3, 1.0, 5);
        double mean0 = data.getColumn(0).meanNumber().doubleValue();
        double mean2 = data.getColumn(2).meanNumber().doubleValue();
        FeatureEffect pair = PartialDependence.of(model).withGridPoints(7).compute(data, 1, 2);
        assertThat(pair.isPair()).isTrue();
        double[] g1 = pair.grid(0);
        double[] g2 = pair.grid(1);
        assertThat(pair.values()).hasSize(49);
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 7; j++) {
                assertThat(pair.values()[i * 7 + j]).isCloseTo(g1[i] * g2[j] + mean0, within(1e-12));
            }
        }
        FeatureEffect one = PartialDependence.of(model).withGridPoints(7).compute(data, 1);
        for (int i = 0; i < 7; i++) {
            assertThat(one.values()[i]).isCloseTo(g1[i] * mean2 + mean0, within(1e-12));
        }
    }

    @Test
    void iceCurvesAreTheModelOnEachEditedRowAndThePartialDependenceIsTheirMean() {
        NetworkModel model = NetworkModel.of(dev.explain4j.testing.Networks.mlp()).withDataType(DataType.DOUBLE);
        int d = (int) model.inputShape()[0];
        INDArray data = TestModels.gaussian(30, d, 1.0, 13);
        FeatureEffect pd = PartialDependence.of(model).withTarget(1).withGridPoints(5).compute(data, 2);
        double[][] ice = pd.iceCurves().orElseThrow();
        double[] grid = pd.grid(0);
        assertThat(ice).hasNumberOfRows(30);
        for (int p = 0; p < grid.length; p++) {
            INDArray edited = data.dup();
            edited.getColumn(2).assign(grid[p]);
            double[] direct = model.predict(edited).getColumn(1).toDoubleVector();
            double sum = 0;
            for (int r = 0; r < 30; r++) {
                assertThat(ice[r][p]).isCloseTo(direct[r], within(1e-12));
                sum += ice[r][p];
            }
            assertThat(pd.values()[p]).isEqualTo(sum / 30);
        }
        assertThat(ice[0][0]).isNotEqualTo(ice[0][grid.length - 1]);
    }

    @Test
    void resultsDoNotDependOnTheBatchSize() {
        NetworkModel model = NetworkModel.of(dev.explain4j.testing.Networks.mlp()).withDataType(DataType.DOUBLE);
        int d = (int) model.inputShape()[0];
        INDArray data = TestModels.gaussian(25, d, 1.0, 17);
        FeatureEffect big = PartialDependence.of(model).withGridPoints(6).compute(data, 0, 1);
        FeatureEffect one = PartialDependence.of(model).withGridPoints(6).withBatchSize(1).compute(data, 0, 1);
        FeatureEffect odd = PartialDependence.of(model).withGridPoints(6).withBatchSize(7).compute(data, 0, 1);
        assertThat(one.values()).containsExactly(big.values());
        assertThat(odd.values()).containsExactly(big.values());
        FeatureEffect aleBig = AccumulatedLocalEffects.of(model).compute(data, 3);
        FeatureEffect aleOne = AccumulatedLocalEffects.of(model).withBatchSize(1).compute(data, 3);
        assertThat(big.deciles()[1]).hasSize(9).isSorted();
        assertThat(aleOne.values()).containsExactly(aleBig.values());
    }

    @Test
    void gridPointsTimesRowsGoThroughTheModelInAsFewCallsAsTheBatchSizeAllows() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Long> sizes = new java.util.ArrayList<>();
        ExplainableModel counted = ExplainableModel.of(b -> {
            calls.incrementAndGet();
            sizes.add(b.size(0));
            return b.sum(true, 1);
        }, new long[]{3}, 1, DataType.DOUBLE);
        INDArray data = TestModels.gaussian(30, 3, 1.0, 2);
        PartialDependence.of(counted).withGridPoints(5).withBatchSize(64).compute(data, 1);
        assertThat(calls.get()).isEqualTo(3); // ⌈5 · 30 / 64⌉
        assertThat(sizes).containsExactly(64L, 64L, 22L);
        calls.set(0);
        PartialDependence.of(counted).withGridPoints(5).compute(data, 0, 2);
        assertThat(calls.get()).isEqualTo(1); // 25 · 30 rows in one call of the default 4096
        calls.set(0);
        AccumulatedLocalEffects.of(counted).compute(data, 0);
        assertThat(calls.get()).isEqualTo(1); // 2 · 30 rows
    }

    @Test
    void aRequestBeyondTheHeldOutputsIsRefusedBeforeAnyModelCall() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        ExplainableModel counted = ExplainableModel.of(b -> {
            calls.incrementAndGet();
            return b.sum(true, 1);
        }, new long[]{2}, 1, DataType.DOUBLE);
        INDArray data = TestModels.gaussian(2000, 2, 1.0, 4);
        // 100 × 100 grid points × 2000 rows = 2·10^7 > 2^24 outputs held at once
        assertThatThrownBy(() -> PartialDependence.of(counted).withGridPoints(100).compute(data, 0, 1))
                .hasMessageContaining("20000000 model evaluations").hasMessageContaining("fewer grid points or rows");
        assertThat(calls.get()).isZero();
    }

    @Test
    void theGridIsScikitLearnsBetweenTheQuantilesOrTheDistinctValues() {
        double[][] rows = new double[100][2];
        for (int r = 0; r < 100; r++) {
            rows[r][0] = 100 - r;      // 1..100, in reverse: the grid must not depend on the row order
            rows[r][1] = r % 3;        // three distinct values
        }
        INDArray data = Nd4j.createFromArray(rows);
        ExplainableModel model = ExplainableModel.of(b -> b.sum(true, 1), new long[]{2}, 1, DataType.DOUBLE);
        // SciPy's mquantiles(1..100, [0.05, 0.95]) = 5.41, 95.59 (positions n·p + 0.4 + 0.2·p)
        double[] grid = PartialDependence.of(model).compute(data, 0).grid(0);
        assertThat(grid).hasSize(20);
        assertThat(grid[0]).isCloseTo(5.41, within(1e-12));
        assertThat(grid[19]).isCloseTo(95.59, within(1e-12));
        assertThat(grid[1] - grid[0]).isCloseTo((95.59 - 5.41) / 19, within(1e-12));
        assertThat(PartialDependence.of(model).compute(data, 1).grid(0)).containsExactly(0, 1, 2);
        assertThat(PartialDependence.of(model).withPercentiles(0, 1).compute(data, 0).grid(0)[19]).isEqualTo(100);
    }

    @Test
    void aFloatModelsGridIsThePointsItWasEvaluatedAt() {
        java.util.List<Double> seen = new java.util.ArrayList<>();
        ExplainableModel model = ExplainableModel.of(b -> {
            for (double v : b.getColumn(0).toDoubleVector()) {
                seen.add(v);
            }
            return b.sum(true, 1);
        }, new long[]{2}, 1, DataType.FLOAT);
        INDArray data = TestModels.gaussian(50, 2, 1.0, 31).castTo(DataType.FLOAT);
        double[] grid = PartialDependence.of(model).compute(data, 0).grid(0);
        double[] edges = AccumulatedLocalEffects.of(model).withIntervals(7).compute(data, 0).grid(0);
        for (double g : grid) {
            assertThat(seen).contains(g);
        }
        for (double e : edges) {
            assertThat((double) (float) e).isEqualTo(e);
            assertThat(seen).contains(e);
        }
    }

    @Test
    void badRequestsAreRefusedByName() {
        ExplainableModel model = ExplainableModel.of(b -> b.sum(true, 1), new long[]{2}, 1, DataType.DOUBLE);
        INDArray data = Nd4j.createFromArray(new double[][]{{1, 5}, {2, 5}, {3, 5}});
        assertThatThrownBy(() -> PartialDependence.of(model).compute(data, 2))
                .hasMessageContaining("feature 2 is out of range").hasMessageContaining("2 features");
        assertThatThrownBy(() -> PartialDependence.of(model).withTarget(1)).hasMessageContaining("target 1 is out of range");
        assertThatThrownBy(() -> PartialDependence.of(model).withGridPoints(1)).hasMessageContaining("grid points must be at least 2");
        assertThatThrownBy(() -> PartialDependence.of(model).compute(data, 1, 1)).hasMessageContaining("two different features");
        assertThatThrownBy(() -> AccumulatedLocalEffects.of(model).withFeatureNames(List.of("a", "b")).compute(data, 1))
                .hasMessageContaining("feature b takes the single value 5.0");
    }

    @Test
    void writesCsvAndJsonWhole(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ExplainableModel model = ExplainableModel.of(b -> b.sum(true, 1), new long[]{2}, 1, DataType.DOUBLE);
        INDArray data = Nd4j.createFromArray(new double[][]{{1, 5}, {2, 6}, {3, 7}});
        FeatureEffect pd = PartialDependence.of(model).withFeatureNames(List.of("sepal length", "b")).compute(data, 0);
        assertThat(pd.fileStem()).isEqualTo("pdp-sepal_length");
        pd.writeCsv(dir.resolve("pd.csv"));
        List<String> lines = java.nio.file.Files.readAllLines(dir.resolve("pd.csv"));
        assertThat(lines.get(0)).isEqualTo("sepal length,pdp,ice_1,ice_2,ice_3");
        assertThat(lines.get(1)).isEqualTo("1.0,7.0,6.0,7.0,8.0");
        assertThat(lines).hasSize(4);
        String json = dev.explain4j.io.JsonFiles.toJson(pd.toMap());
        assertThat(json).contains("\"kind\" : \"partial-dependence\"").contains("\"individual\"");
        FeatureEffect ale = AccumulatedLocalEffects.of(model).withIntervals(2).compute(data, 0);
        ale.writeCsv(dir.resolve("ale.csv"));
        // edges 1, 2, 3; rows 1 and 2 in the first interval, 3 in the second; each local effect 1; centre (2·½ + 1·1½)/3
        List<String> aleLines = java.nio.file.Files.readAllLines(dir.resolve("ale.csv"));
        assertThat(aleLines.get(0)).isEqualTo("x0,ale,interval_rows");
        assertThat(aleLines.stream().skip(1).map(l -> l.split(",")[2]).toList()).containsExactly("0", "2", "1");
        assertThat(ale.values()).containsExactly(new double[]{-2.5 / 3, 1 - 2.5 / 3, 2 - 2.5 / 3}, within(1e-15));
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
