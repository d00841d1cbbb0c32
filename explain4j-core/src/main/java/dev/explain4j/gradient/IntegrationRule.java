package dev.explain4j.gradient;

import dev.explain4j.core.Limits;

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

    /** Largest number of points the rule accepts (see {@link Limits}). */
    public long maximumSteps() {
        return this == GAUSS_LEGENDRE ? Limits.MAX_GAUSS_LEGENDRE_STEPS : Limits.MAX_STEPS;
    }

    /** Points α_i in [0, 1], ascending. */
    public double[] alphas(int steps) {
        checkSteps(steps);
        double[] alphas = new double[steps];
        for (int i = 0; i < steps; i++) {
            alphas[i] = alpha(i, steps);
        }
        return alphas;
    }

    /** Weights w_i, summing to 1. */
    public double[] weights(int steps) {
        checkSteps(steps);
        double[] weights = new double[steps];
        for (int i = 0; i < steps; i++) {
            weights[i] = weight(i, steps);
        }
        return weights;
    }

    /**
     * Point i of the n-point rule, computed on its own: callers generate a chunk's points as they need them instead
     * of holding rows × steps of them (the Riemann rules need no memory at all; Gauss–Legendre caches its n nodes).
     */
    public double alpha(int i, int steps) {
        return switch (this) {
            case RIEMANN_LEFT -> (double) i / steps;
            case RIEMANN_RIGHT -> (double) (i + 1) / steps;
            case RIEMANN_MIDDLE -> (i + 0.5) / steps;
            case RIEMANN_TRAPEZOID -> (double) i / (steps - 1);
            case GAUSS_LEGENDRE -> gaussLegendre(steps)[0][i];
        };
    }

    /** Weight i of the n-point rule. */
    public double weight(int i, int steps) {
        return switch (this) {
            case RIEMANN_LEFT, RIEMANN_RIGHT, RIEMANN_MIDDLE -> 1.0 / steps;
            case RIEMANN_TRAPEZOID -> (i == 0 || i == steps - 1 ? 0.5 : 1.0) / (steps - 1);
            case GAUSS_LEGENDRE -> gaussLegendre(steps)[1][i];
        };
    }

    /** Refuses a step count outside [{@link #minimumSteps}, {@link #maximumSteps}], naming the option. */
    public int checkSteps(long steps) {
        return Limits.check("steps (" + cliName + ")", steps, minimumSteps(), maximumSteps());
    }

    private static double[][] gaussLegendre(int steps) {
        return GAUSS_LEGENDRE_CACHE.computeIfAbsent(steps, GaussLegendre::nodesAndWeights);
    }
}
