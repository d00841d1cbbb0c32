/**
 * Gradient attributions for DL4J networks, one class per method over {@link dev.explain4j.gradient.GradientAttribution}:
 * saliency and the signed gradient, Gradient × Input, Layer Gradient × Activation, Grad-CAM, Integrated Gradients,
 * Expected Gradients, and the NoiseTunnel wrapper (SmoothGrad, SmoothGrad², VarGrad) of any method. Reference inputs
 * are {@link dev.explain4j.core.Reference}s.
 */
package dev.explain4j.gradient;
