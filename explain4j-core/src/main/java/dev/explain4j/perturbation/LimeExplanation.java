package dev.explain4j.perturbation;

import dev.explain4j.core.Attributions;

/**
 * What LIME returns beyond the attributions: per explained row, the local linear surrogate.
 *
 * @param attributions    each input feature's surrogate coefficient (0 where not selected); for images, the
 *                        coefficient of the pixel's superpixel
 * @param intercepts      surrogate intercept per row
 * @param coefficients    per row, one coefficient per interpretable feature (tabular: per input feature, in LIME's
 *                        neighbourhood space; images: per superpixel), 0 where not selected
 * @param selected        per row, the interpretable features the surrogate uses, in selection order
 * @param scores          weighted R² of the surrogate on its neighbourhood, per row
 * @param localPrediction the surrogate's value at the explained instance, per row
 */
public record LimeExplanation(Attributions attributions, double[] intercepts, double[][] coefficients, int[][] selected,
                              double[] scores, double[] localPrediction) {
}
