package dev.explain4j.report;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MethodAgreementTest {

    @Test
    void spearmanOfHandRankedVectorsWithTies() {
        double[] x = {1, 2, 3, 4, 5};
        double[] y = {5, 6, 7, 8, 7};           // ranks 1 2 3.5 5 3.5
        double[] reversed = {-1, -2, -3, -4, -5};
        double[][] rho = MethodAgreement.spearman(Arrays.asList(x, y, reversed));
        // deviations of ranks from 3: x −2 −1 0 1 2, y −2 −1 .5 2 .5 → 8 / sqrt(10 · 9.5)
        assertThat(rho[0][1]).isCloseTo(8 / Math.sqrt(95), within(1e-12));
        assertThat(rho[1][0]).isEqualTo(rho[0][1]);
        assertThat(rho[0][2]).isCloseTo(-1, within(1e-12));
        assertThat(rho[0][0]).isEqualTo(1);
    }

    @Test
    void pairsWithoutAnOrderAreNotAvailable() {
        double[][] rho = MethodAgreement.spearman(Arrays.asList(new double[] {1, 2, 3}, new double[] {0, 0, 0}, null,
                new double[] {1, 2}));
        assertThat(rho[0][1]).isNaN();
        assertThat(rho[1][1]).isNaN();
        assertThat(rho[0][2]).isNaN();
        assertThat(rho[0][3]).isNaN();
        assertThat(rho[3][3]).isEqualTo(1);
    }
}
