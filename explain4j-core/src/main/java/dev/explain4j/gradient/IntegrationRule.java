package dev.explain4j.gradient;

import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Quadrature rules for the path integral ∫₀¹ g(α) dα of Integrated Gradients: the points α_i and weights w_i of
 * Σ w_i g(α_i).
 *
 * <p>{@link #RIEMANN_TRAPEZOID} is the textbook trapezoid rule on n points 0, 1/(n−1), …, 1: its weights sum to 1,
 * so a constant gradient is integrated exactly. Captum's {@code riemann_trapezoid} places the same points but uses
 * weights 1/n (halved at both ends), which sum to (n−1)/n; explain4j does not copy that.
 */
public enum IntegrationRule {
    RIEMANN_LEFT("riemann-left"),
    RIEMANN_RIGHT("riemann-right"),
    RIEMANN_MIDDLE("riemann-middle"),
    RIEMANN_TRAPEZOID("riemann-trapezoid"),
    /** Gauss–Legendre on [0, 1]: exact for polynomials up to degree 2n − 1 (the default, as in Captum). */
    GAUSS_LEGENDRE("gausslegendre");

    private static final Map<Integer, double[][]> GAUSS_LEGENDRE_CACHE = new ConcurrentHashMap<>();
    private final String cliName;

    IntegrationRule(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static IntegrationRule parse(String name) {
        for (IntegrationRule rule : values()) {
            if (rule.cliName.equalsIgnoreCase(name) || rule.name().equalsIgnoreCase(name)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("unknown integration rule '" + name + "', expected one of "
                + Arrays.stream(values()).map(IntegrationRule::cliName).toList());
    }

    /** Smallest number of points the rule accepts. */
    public int minimumSteps() {
        return this == RIEMANN_TRAPEZOID ? 2 : 1;
    }

    /** Points α_i in [0, 1], ascending. */
    public double[] alphas(int steps) {
        checkSteps(steps);
        double[] alphas = new double[steps];
        for (int i = 0; i < steps; i++) {
            alphas[i] = switch (this) {
                case RIEMANN_LEFT -> (double) i / steps;
                case RIEMANN_RIGHT -> (double) (i + 1) / steps;
                case RIEMANN_MIDDLE -> (i + 0.5) / steps;
                case RIEMANN_TRAPEZOID -> (double) i / (steps - 1);
                case GAUSS_LEGENDRE -> gaussLegendre(steps)[0][i];
            };
        }
        return alphas;
    }

    /** Weights w_i, summing to 1. */
    public double[] weights(int steps) {
        checkSteps(steps);
        if (this == GAUSS_LEGENDRE) {
            return gaussLegendre(steps)[1].clone();
        }
        double[] weights = new double[steps];
        if (this == RIEMANN_TRAPEZOID) {
            Arrays.fill(weights, 1.0 / (steps - 1));
            weights[0] /= 2;
            weights[steps - 1] /= 2;
        } else {
            Arrays.fill(weights, 1.0 / steps);
        }
        return weights;
    }

    private void checkSteps(int steps) {
        if (steps < minimumSteps()) {
            throw new IllegalArgumentException(cliName + " needs at least " + minimumSteps() + " steps, got " + steps);
        }
    }

    /** Nodes and weights mapped to [0, 1], computed in high precision once per n. */
    private static double[][] gaussLegendre(int steps) {
        return GAUSS_LEGENDRE_CACHE.computeIfAbsent(steps, n -> {
            GaussIntegrator rule = new GaussIntegratorFactory().legendre(n, 0, 1);
            double[][] nodesAndWeights = new double[2][n];
            for (int i = 0; i < n; i++) {
                nodesAndWeights[0][i] = rule.getPoint(i);
                nodesAndWeights[1][i] = rule.getWeight(i);
            }
            return nodesAndWeights;
        });
    }
}
