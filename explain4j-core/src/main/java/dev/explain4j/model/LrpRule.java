package dev.explain4j.model;

import java.util.Locale;

/**
 * How layer-wise relevance propagation passes relevance R through one weighted layer z = a·W + b, as Captum 0.7's
 * {@code _utils/lrp_rules.py} defines its rules: R_in = a ⊙ W′ᵀ (R / (z′ + ε·sign z′)), with z′ = a·W′ + b the
 * layer recomputed on its own input with W′ in place of W, and sign 0 taken as +1.
 *
 * @param kind      which W′: W itself (epsilon), W + γ·max(W, 0) (gamma), max(W, 0) (z-plus, Captum's Alpha1_Beta0_Rule)
 * @param epsilon   the stabiliser ε (Captum: 1e-9 for every rule)
 * @param gamma     γ of the gamma rule (0 for the others)
 */
public record LrpRule(Kind kind, double epsilon, double gamma) {
    /** Captum's stabiliser: {@code PropagationRule.STABILITY_FACTOR}. */
    public static final double DEFAULT_EPSILON = 1e-9;
    /** Captum's default γ of {@code GammaRule}. */
    public static final double DEFAULT_GAMMA = 0.25;

    public enum Kind { EPSILON, GAMMA, Z_PLUS }

    public LrpRule {
        // ε = 0 would divide 0 by 0 at every unit whose z is exactly 0 (a dead ReLU's window, a zero-padded border)
        if (!(epsilon > 0) || !(gamma >= 0) || Double.isInfinite(epsilon) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("an LRP rule needs a finite ε > 0 (LRP-0 is its limit: take a tiny ε) and"
                    + " γ ≥ 0, got ε = " + epsilon + ", γ = " + gamma);
        }
    }

    /** The epsilon rule (LRP-0 in the limit ε → 0). */
    public static LrpRule epsilon(double epsilon) {
        return new LrpRule(Kind.EPSILON, epsilon, 0);
    }

    public static LrpRule gamma(double gamma) {
        return new LrpRule(Kind.GAMMA, DEFAULT_EPSILON, gamma);
    }

    public static LrpRule zPlus() {
        return new LrpRule(Kind.Z_PLUS, DEFAULT_EPSILON, 0);
    }

    /** Captum's default: the epsilon rule with ε = 1e-9. */
    public static LrpRule defaultRule() {
        return epsilon(DEFAULT_EPSILON);
    }

    /** Whether the rule changes the weights (and so needs a layer that has some). */
    public boolean changesWeights() {
        return kind != Kind.EPSILON;
    }

    /** {@code epsilon:1.0E-9}, {@code gamma:0.25} or {@code z-plus}, as {@link #parse} reads it. */
    public String describe() {
        return switch (kind) {
            case EPSILON -> "epsilon:" + epsilon;
            case GAMMA -> "gamma:" + gamma;
            case Z_PLUS -> "z-plus";
        };
    }

    /** {@code epsilon}, {@code epsilon:E}, {@code gamma}, {@code gamma:G} or {@code z-plus}. */
    public static LrpRule parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":", 2);
        try {
            switch (parts[0]) {
                case "epsilon":
                    return epsilon(parts.length > 1 ? Double.parseDouble(parts[1]) : DEFAULT_EPSILON);
                case "gamma":
                    return gamma(parts.length > 1 ? Double.parseDouble(parts[1]) : DEFAULT_GAMMA);
                case "z-plus":
                    if (parts.length == 1) {
                        return zPlus();
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("unknown LRP rule '" + text + "'; expected epsilon[:E], gamma[:G] or z-plus");
    }
}
