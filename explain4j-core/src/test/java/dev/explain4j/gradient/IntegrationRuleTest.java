package dev.explain4j.gradient;

import dev.explain4j.core.Limits;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class IntegrationRuleTest {

    @Test
    void gaussLegendreFivePointsMatchClosedForm() {
        // on [-1, 1]: nodes 0, ±(1/3)√(5 − 2√(10/7)), ±(1/3)√(5 + 2√(10/7)); weights 128/225, (322 ± 13√70)/900
        double inner = Math.sqrt(5 - 2 * Math.sqrt(10.0 / 7)) / 3;
        double outer = Math.sqrt(5 + 2 * Math.sqrt(10.0 / 7)) / 3;
        double[] nodes = {-outer, -inner, 0, inner, outer};
        double wInner = (322 + 13 * Math.sqrt(70)) / 900;
        double wOuter = (322 - 13 * Math.sqrt(70)) / 900;
        double[] weights = {wOuter, wInner, 128.0 / 225, wInner, wOuter};
        double[] alphas = IntegrationRule.GAUSS_LEGENDRE.alphas(5);
        double[] w = IntegrationRule.GAUSS_LEGENDRE.weights(5);
        for (int i = 0; i < 5; i++) {
            assertThat(alphas[i]).isCloseTo((nodes[i] + 1) / 2, within(1e-14));
            assertThat(w[i]).isCloseTo(weights[i] / 2, within(1e-14));
        }
    }

    @Test
    void gaussLegendreFiftyPointsIntegrateDegree99Exactly() {
        double[] alphas = IntegrationRule.GAUSS_LEGENDRE.alphas(50);
        double[] weights = IntegrationRule.GAUSS_LEGENDRE.weights(50);
        for (int degree : new int[]{0, 1, 17, 98, 99}) {
            double sum = 0;
            for (int i = 0; i < 50; i++) {
                sum += weights[i] * Math.pow(alphas[i], degree);
            }
            assertThat(sum).as("∫ α^%d", degree).isCloseTo(1.0 / (degree + 1), within(1e-12));
        }
    }

    @Test
    void gaussLegendreMatchesHipparchusExactArithmeticRule() {
        // Hipparchus builds its rule in exact arithmetic (slow: ~22 s of CPU at 1000 points), so a few sizes suffice
        for (int n : new int[]{1, 2, 3, 4, 5, 10, 33, 50, 101, 256}) {
            GaussIntegrator reference = new GaussIntegratorFactory().legendre(n, 0, 1);
            double[] alphas = IntegrationRule.GAUSS_LEGENDRE.alphas(n);
            double[] weights = IntegrationRule.GAUSS_LEGENDRE.weights(n);
            for (int i = 0; i < n; i++) {
                assertThat(alphas[i]).as("node %d of %d", i, n).isCloseTo(reference.getPoint(i), within(1e-14));
                assertThat(weights[i]).as("weight %d of %d", i, n).isCloseTo(reference.getWeight(i), within(1e-14));
            }
        }
    }

    @Test
    void gaussLegendreBuildsTheLargestAllowedRuleFastAndExactly() {
        int n = (int) IntegrationRule.GAUSS_LEGENDRE.maximumSteps();
        // CPU time of this thread, so that the other builds on a shared machine do not count
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        double[] alphas = IntegrationRule.GAUSS_LEGENDRE.alphas(n);
        double seconds = (threads.getCurrentThreadCpuTime() - start) / 1e9;
        double[] weights = IntegrationRule.GAUSS_LEGENDRE.weights(n);
        assertThat(seconds).as("seconds to build %d points", n).isLessThan(1.0);
        assertThat(IntegrationRule.GAUSS_LEGENDRE.alphas(1001)).hasSize(1001);
        for (int degree : new int[]{0, 1, 2, 99, 1001}) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += weights[i] * Math.pow(alphas[i], degree);
            }
            assertThat(sum).as("∫ α^%d", degree).isCloseTo(1.0 / (degree + 1), within(1e-12));
        }
        for (int i = 1; i < n; i++) {
            assertThat(alphas[i]).isGreaterThan(alphas[i - 1]);
        }
        assertThatThrownBy(() -> IntegrationRule.GAUSS_LEGENDRE.alphas(n + 1))
                .hasMessageContaining("steps").hasMessageContaining("at most " + n);
    }

    @ParameterizedTest
    @EnumSource(IntegrationRule.class)
    void weightsSumToOneAndPointsLieInTheUnitInterval(IntegrationRule rule) {
        for (int steps : new int[]{2, 7, 50}) {
            assertThat(Arrays.stream(rule.weights(steps)).sum()).isCloseTo(1.0, within(1e-12));
            assertThat(Arrays.stream(rule.alphas(steps)).allMatch(a -> a >= 0 && a <= 1)).isTrue();
        }
    }

    @Test
    void riemannPointsAreWhereCaptumPutsThem() {
        assertThat(IntegrationRule.RIEMANN_LEFT.alphas(4)).containsExactly(0, 0.25, 0.5, 0.75);
        assertThat(IntegrationRule.RIEMANN_RIGHT.alphas(4)).containsExactly(0.25, 0.5, 0.75, 1);
        assertThat(IntegrationRule.RIEMANN_MIDDLE.alphas(4)).containsExactly(0.125, 0.375, 0.625, 0.875);
        assertThat(IntegrationRule.RIEMANN_TRAPEZOID.alphas(5)).containsExactly(0, 0.25, 0.5, 0.75, 1);
        assertThat(IntegrationRule.RIEMANN_TRAPEZOID.weights(5)).containsExactly(0.125, 0.25, 0.25, 0.25, 0.125);
    }

    @Test
    void parsesCommandLineNamesAndRejectsOthers() {
        assertThat(IntegrationRule.parse("riemann-trapezoid")).isEqualTo(IntegrationRule.RIEMANN_TRAPEZOID);
        assertThat(IntegrationRule.parse("gausslegendre")).isEqualTo(IntegrationRule.GAUSS_LEGENDRE);
        assertThatThrownBy(() -> IntegrationRule.parse("simpson")).hasMessageContaining("simpson").hasMessageContaining("riemann-left");
        assertThatThrownBy(() -> IntegrationRule.RIEMANN_LEFT.alphas(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> IntegrationRule.RIEMANN_MIDDLE.checkSteps(Limits.MAX_STEPS + 1))
                .hasMessageContaining("steps").hasMessageContaining("at most " + Limits.MAX_STEPS);
    }
}
