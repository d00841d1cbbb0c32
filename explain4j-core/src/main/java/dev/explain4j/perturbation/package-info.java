/**
 * Model-agnostic attributions: methods that explain any {@link dev.explain4j.model.ExplainableModel} by evaluating it
 * on perturbed copies of the input (occlusion, feature ablation, exact and sampled Shapley values, KernelSHAP, LIME).
 *
 * <p>Every method plans its perturbed rows first and has {@link dev.explain4j.perturbation.BatchedEvaluator} run them
 * through the model in batches of a user-set size, so the model is called ⌈evaluations / batch size⌉ times, never once
 * per perturbation. Where a method is random it takes an explicit seed: the same seed gives the same numbers.
 */
package dev.explain4j.perturbation;
