package dev.explain4j.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Hand-computed cases of Captum's cumulative-sum threshold and of each sign mode. */
class NormalizationTest {
    private static final double EPS = 1e-12;

    @Test
    void thresholdIsTheFirstSortedValueWhoseCumulativeSumReachesThePercentile() {
        double[] v = {4, 1, 3, 2};                       // sorted 1 2 3 4, cumulative 1 3 6 10
        assertThat(Normalization.cumulativeSumThreshold(v, 50)).isEqualTo(3);   // 6 >= 5
        assertThat(Normalization.cumulativeSumThreshold(v, 60)).isEqualTo(3);   // 6 >= 6
        assertThat(Normalization.cumulativeSumThreshold(v, 61)).isEqualTo(4);   // 6 < 6.1
        assertThat(Normalization.cumulativeSumThreshold(v, 100)).isEqualTo(4);
        assertThat(Normalization.cumulativeSumThreshold(v, 0)).isEqualTo(1);
        assertThatThrownBy(() -> Normalization.cumulativeSumThreshold(v, 101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultClipsTheTopTwoPercentOfTheTotal() {
        // 50 values of 1.0, 9 of −0.5 and one outlier 1.1: total |a| = 55.6, 98% of it = 54.488. Sorted cumulative
        // sums reach 54.5 at the last 1.0, so the scale is 1.0: the outlier is clipped, the rest keep their size.
        double[] a = new double[60];
        for (int i = 0; i < 50; i++) {
            a[i] = 1.0;
        }
        for (int i = 50; i < 59; i++) {
            a[i] = -0.5;
        }
        a[59] = 1.1;
        Normalization.NormalizedMap map = Normalization.normalize(a, SignMode.ALL);
        assertThat(map.scale()).isEqualTo(1.0);
        assertThat(map.values()[0]).isEqualTo(1.0);
        assertThat(map.values()[50]).isEqualTo(-0.5);
        assertThat(map.values()[59]).isEqualTo(1.0);

        // with an outlier of 1.2 (2.15% of the new total) the outlier itself is the scale
        a[59] = 1.2;
        Normalization.NormalizedMap wider = Normalization.normalize(a, SignMode.ALL);
        assertThat(wider.scale()).isEqualTo(1.2);
        assertThat(wider.values()[0]).isCloseTo(1.0 / 1.2, within(EPS));
        assertThat(wider.values()[50]).isCloseTo(-0.5 / 1.2, within(EPS));
    }

    @Test
    void signModesSelectRescaleAndClip() {
        double[] a = {-4, -1, 2, 3};
        // all: |a| = 4 1 2 3, total 10, half = 5, sorted cumulative 1 3 6 10 → scale 3
        assertValues(Normalization.normalize(a, SignMode.ALL, 50), 3, -1, -1.0 / 3, 2.0 / 3, 1);
        // absolute value: same scale, magnitudes
        assertValues(Normalization.normalize(a, SignMode.ABSOLUTE_VALUE, 50), 3, 1, 1.0 / 3, 2.0 / 3, 1);
        // positive: 0 0 2 3, total 5, half 2.5, cumulative 0 0 2 5 → scale 3
        assertValues(Normalization.normalize(a, SignMode.POSITIVE, 50), 3, 0, 0, 2.0 / 3, 1);
        // negative: |−4 −1| total 5, cumulative 0 0 1 5 → 4, scale −4, results in [0, 1]
        assertValues(Normalization.normalize(a, SignMode.NEGATIVE, 50), -4, 1, 0.25, 0, 0);
    }

    @Test
    void nothingOfTheRequestedSignGivesAnEmptyMapInsteadOfDividingByZero() {
        Normalization.NormalizedMap none = Normalization.normalize(new double[] {1, 2, 3}, SignMode.NEGATIVE);
        assertThat(none.empty()).isTrue();
        assertThat(none.values()).containsExactly(0, 0, 0);
        assertThat(Normalization.normalize(new double[] {0, 0}, SignMode.ALL).empty()).isTrue();
    }

    private static void assertValues(Normalization.NormalizedMap map, double scale, double... expected) {
        assertThat(map.scale()).isCloseTo(scale, within(EPS));
        assertThat(map.values()).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(map.values()[i]).as("value %d", i).isCloseTo(expected[i], within(EPS));
        }
    }
}
