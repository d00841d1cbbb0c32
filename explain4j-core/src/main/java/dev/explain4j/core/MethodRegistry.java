package dev.explain4j.core;

import dev.explain4j.core.MethodInfo.Family;
import dev.explain4j.gradient.ExpectedGradients;
import dev.explain4j.gradient.DeepLift;
import dev.explain4j.gradient.DeepLiftShap;
import dev.explain4j.gradient.Deconvolution;
import dev.explain4j.gradient.GuidedBackprop;
import dev.explain4j.gradient.GuidedGradCam;
import dev.explain4j.gradient.Lrp;
import dev.explain4j.gradient.GradCam;
import dev.explain4j.gradient.GradientXInput;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.LayerConductance;
import dev.explain4j.gradient.LayerGradientXActivation;
import dev.explain4j.gradient.LayerIntegratedGradients;
import dev.explain4j.gradient.NeuronGradient;
import dev.explain4j.gradient.NeuronIntegratedGradients;
import dev.explain4j.gradient.NoiseTunnel;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.gradient.TokenAttribution;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.ImageGeometry;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.perturbation.ExactShapley;
import dev.explain4j.perturbation.FeatureAblation;
import dev.explain4j.perturbation.FeatureGroups;
import dev.explain4j.perturbation.KernelShap;
import dev.explain4j.perturbation.Lime;
import dev.explain4j.perturbation.LimeImage;
import dev.explain4j.perturbation.LimeText;
import dev.explain4j.perturbation.Occlusion;
import dev.explain4j.perturbation.TokenPerturbation;
import dev.explain4j.perturbation.ShapleySampling;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Every attribution method the project has, named once. The command line, the report, the demo and the metrics
 * read this list; adding a method is its class and one {@link #register} line here. A setting left null keeps the
 * method's own default, so the defaults are the methods' and nobody else's.
 */
public final class MethodRegistry {
    private static final Set<String> SHAPLEY = Set.of("reference", "background", "batch-size");
    /** Gradient methods that a token model runs at its embedding's output ({@link TokenAttribution}). */
    private static final Set<String> THROUGH_EMBEDDING = Set.of("saliency", "gradient", "gradient-x-input",
            "integrated-gradients", "smoothgrad", "expected-gradients");
    private static final Map<String, MethodInfo> METHODS = new LinkedHashMap<>();

    static {
        register("saliency", Family.GRADIENT, "|∂f/∂x|", Set.of(), false, false,
                (m, s, x) -> Saliency.of(network(m, "saliency")));
        register("gradient", Family.GRADIENT, "signed ∂f/∂x", Set.of(), false, false,
                (m, s, x) -> Saliency.signed(network(m, "gradient")));
        register("gradient-x-input", Family.GRADIENT, "∂f/∂x ⊙ x", Set.of(), false, false,
                (m, s, x) -> GradientXInput.of(network(m, "gradient-x-input")));
        register("integrated-gradients", Family.GRADIENT, "path integral of the gradient from the reference to x",
                Set.of("reference", "steps", "integration"), false, true, (m, s, x) -> {
                    IntegratedGradients ig = IntegratedGradients.of(network(m, "integrated-gradients"));
                    ig = with(ig, s.reference(), IntegratedGradients::withReference);
                    ig = with(ig, s.steps(), IntegratedGradients::withSteps);
                    return with(ig, s.rule(), IntegratedGradients::withRule);
                });
        register("layer-gradient-x-activation", Family.GRADIENT, "a layer's activation ⊙ ∂f/∂activation",
                Set.of("layer"), true, false,
                (m, s, x) -> LayerGradientXActivation.of(network(m, "layer-gradient-x-activation"),
                        required(s.layer(), "layer-gradient-x-activation")));
        register("layer-integrated-gradients", Family.GRADIENT, "integrated gradients along a path in a layer's output"
                        + " space, from its activation at the reference to that at x", Set.of("reference", "steps", "integration", "layer"),
                true, true, (m, s, x) -> {
                    LayerIntegratedGradients ig = LayerIntegratedGradients.of(network(m, "layer-integrated-gradients"),
                            required(s.layer(), "layer-integrated-gradients"));
                    ig = with(ig, s.reference(), LayerIntegratedGradients::withReference);
                    ig = with(ig, s.steps(), LayerIntegratedGradients::withSteps);
                    return with(ig, s.rule(), LayerIntegratedGradients::withRule);
                });
        register("layer-conductance", Family.GRADIENT, "the flow of integrated gradients through each unit of a layer",
                Set.of("reference", "steps", "integration", "layer"), true, true, (m, s, x) -> {
                    LayerConductance conductance = LayerConductance.of(network(m, "layer-conductance"),
                            required(s.layer(), "layer-conductance"));
                    conductance = with(conductance, s.reference(), LayerConductance::withReference);
                    conductance = with(conductance, s.steps(), LayerConductance::withSteps);
                    return with(conductance, s.rule(), LayerConductance::withRule);
                });
        register("neuron-gradient", Family.GRADIENT, "the gradient of one unit of a layer's output w.r.t. the input",
                Set.of("layer", "neuron"), true, false, (m, s, x) -> NeuronGradient.of(network(m, "neuron-gradient"),
                        required(s.layer(), "neuron-gradient"), neuron(s, "neuron-gradient")));
        register("neuron-integrated-gradients", Family.GRADIENT, "integrated gradients of one unit of a layer's output"
                        + " (completeness against the unit's change)", Set.of("reference", "steps", "integration", "layer", "neuron"),
                true, true, (m, s, x) -> {
                    NeuronIntegratedGradients ig = NeuronIntegratedGradients.of(network(m, "neuron-integrated-gradients"),
                            required(s.layer(), "neuron-integrated-gradients"), neuron(s, "neuron-integrated-gradients"));
                    ig = with(ig, s.reference(), NeuronIntegratedGradients::withReference);
                    ig = with(ig, s.steps(), NeuronIntegratedGradients::withSteps);
                    return with(ig, s.rule(), NeuronIntegratedGradients::withRule);
                });
        register("grad-cam", Family.GRADIENT, "Grad-CAM of a convolution (default: the last), upsampled bilinearly"
                        + " (or nearest, or none: the layer's resolution)", Set.of("layer", "upsample"), false, false,
                (m, s, x) -> with(GradCam.of(network(m, "grad-cam")).withUpsampling(s.upsampling() != null
                        ? s.upsampling() : GradCam.Upsampling.BILINEAR), s.layer(), GradCam::withLayer));
        register("smoothgrad", Family.GRADIENT, "the signed gradient averaged over noisy copies",
                Set.of("samples", "seed"), false, false, (m, s, x) -> {
                    NoiseTunnel tunnel = NoiseTunnel.of(m, Saliency.signed(network(m, "smoothgrad")));
                    tunnel = with(tunnel, s.samples(), NoiseTunnel::withSamples);
                    return with(tunnel, s.seed(), NoiseTunnel::withSeed);
                });
        register("expected-gradients", Family.GRADIENT, "gradients along random paths from background rows (default: the rows)",
                Set.of("background", "samples", "seed"), false, true, (m, s, x) -> {
                    ExpectedGradients eg = ExpectedGradients.of(network(m, "expected-gradients"),
                            s.background() != null ? s.background() : Reference.distribution(x));
                    eg = with(eg, s.samples(), ExpectedGradients::withSamples);
                    return with(eg, s.seed(), ExpectedGradients::withSeed);
                });
        register("deeplift", Family.GRADIENT, "DeepLIFT's rescale rule from the reference to x (Captum's DeepLift;"
                        + " softmax outputs in logit space)", Set.of("reference"), false, true,
                (m, s, x) -> with(DeepLift.of(network(m, "deeplift")), s.reference(), DeepLift::withReference));
        register("deeplift-shap", Family.GRADIENT, "DeepLIFT averaged over background rows (default: the rows)",
                Set.of("background"), false, true, (m, s, x) -> DeepLiftShap.of(network(m, "deeplift-shap"),
                        s.background() != null ? s.background() : Reference.distribution(x)));
        register("guided-backprop", Family.GRADIENT, "the gradient with every ReLU passing only positive gradients",
                Set.of(), false, false, (m, s, x) -> GuidedBackprop.of(network(m, "guided-backprop")));
        register("deconvolution", Family.GRADIENT, "the gradient with every ReLU applied to the gradient itself",
                Set.of(), false, false, (m, s, x) -> Deconvolution.of(network(m, "deconvolution")));
        register("guided-grad-cam", Family.GRADIENT, "guided backprop times Grad-CAM upsampled to the input (nearest,"
                        + " or bilinear)", Set.of("layer", "upsample"), false, false,
                (m, s, x) -> with(with(GuidedGradCam.of(network(m, "guided-grad-cam")), s.layer(), GuidedGradCam::withLayer),
                        s.upsampling(), GuidedGradCam::withUpsampling));
        register("lrp", Family.GRADIENT, "layer-wise relevance propagation, epsilon rule (softmax outputs in logit space)",
                Set.of(), false, true, (m, s, x) -> Lrp.of(network(m, "lrp")));
        register("occlusion", Family.PERTURBATION, "mean output drop over sliding windows set to the reference",
                Set.of("reference", "window", "stride", "batch-size"), false, false, (m, s, x) -> {
                    Occlusion occlusion = perturbation(Occlusion.of(m), s.reference(), s, Occlusion::withReference,
                            Occlusion::withBatchSize);
                    occlusion = with(occlusion, s.window(), Occlusion::withWindow);
                    return with(occlusion, s.stride(), Occlusion::withStrides);
                });
        register("feature-ablation", Family.PERTURBATION, "output drop when each feature takes the reference's value",
                Set.of("reference", "batch-size"), false, false, (m, s, x) -> perturbation(FeatureAblation.of(m),
                        s.reference(), s, FeatureAblation::withReference, FeatureAblation::withBatchSize));
        register("kernel-shap", Family.PERTURBATION, "Shapley values by weighted regression over sampled coalitions",
                union(SHAPLEY, "samples", "seed"), false, true, (m, s, x) -> {
                    KernelShap shap = perturbation(KernelShap.of(m), shapleyReference(s), s, KernelShap::withReference,
                            KernelShap::withBatchSize);
                    shap = with(shap, s.samples(), KernelShap::withSamples);
                    return with(shap, s.seed(), KernelShap::withSeed);
                });
        register("exact-shapley", Family.PERTURBATION, "Shapley values over every coalition", SHAPLEY, false, true,
                (m, s, x) -> perturbation(ExactShapley.of(m), shapleyReference(s), s, ExactShapley::withReference,
                        ExactShapley::withBatchSize));
        register("shapley-sampling", Family.PERTURBATION, "Shapley values from sampled permutation pairs, with standard errors",
                union(SHAPLEY, "samples", "seed"), false, true, (m, s, x) -> {
                    ShapleySampling shapley = perturbation(ShapleySampling.of(m), shapleyReference(s), s,
                            ShapleySampling::withReference, ShapleySampling::withBatchSize);
                    shapley = with(shapley, s.samples(), ShapleySampling::withSamples);
                    return with(shapley, s.seed(), ShapleySampling::withSeed);
                });
        register("lime", Family.PERTURBATION, "a local weighted linear surrogate over training-data neighbours"
                        + " (default: the rows); on image inputs, lime-image; on token ids, lime-text",
                Set.of("background", "samples", "seed", "batch-size", "window"), false, false,
                (m, s, x) -> m.imageGeometry(x).isPresent() ? limeImage(m, s, x) : lime(m, s, x));
        register("lime-text", Family.PERTURBATION, "LIME over the words of token sequences (removed words take the"
                        + " reference token)", Set.of("reference", "samples", "seed", "batch-size"), false, false,
                (m, s, x) -> {
                    LimeText lime = perturbation(LimeText.of(m), s.reference(), s, LimeText::withReference, LimeText::withBatchSize);
                    lime = with(lime, s.samples(), LimeText::withSamples);
                    return with(lime, s.seed(), LimeText::withSeed);
                });
        register("lime-image", Family.PERTURBATION, "LIME over a grid of superpixels (default: 4 × 4 cells per image)",
                Set.of("samples", "seed", "batch-size", "window"), false, false, MethodRegistry::limeImage);
    }

    private MethodRegistry() {
    }

    private static void register(String name, Family family, String summary, Set<String> options, boolean needsLayer,
                                 boolean completenessDelta, MethodInfo.Factory factory) {
        METHODS.put(name, new MethodInfo(name, family, summary, options, needsLayer, completenessDelta, factory));
    }

    /** Every method, in the order the help texts list them. */
    public static List<MethodInfo> all() {
        return List.copyOf(METHODS.values());
    }

    public static List<String> names() {
        return List.copyOf(METHODS.keySet());
    }

    public static Optional<MethodInfo> find(String name) {
        return Optional.ofNullable(METHODS.get(name));
    }

    /** @throws IllegalArgumentException naming the known methods when {@code name} is not one */
    public static MethodInfo get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown method '" + name
                + "'; expected one of " + names()));
    }

    /**
     * The method {@code name}, configured from {@code settings}, for {@code model}.
     *
     * On a network that takes token ids, the gradient methods that need an input gradient attribute at the
     * embedding's output ({@link TokenAttribution}): the settings' reference (default: token 0 everywhere) and
     * background are then token ids, embedded before the method sees them; saliency is the L2 norm of the gradient
     * over the embedding dimension, the others the sum.
     *
     * @param inputs the rows that will be explained, for defaults that depend on them (the background of expected
     *               gradients and LIME, the superpixel grid of lime-image)
     */
    public static AttributionMethod create(String name, ExplainableModel model, MethodSettings settings, INDArray inputs) {
        boolean tokens = model instanceof NetworkModel n && n.tokenInput().isPresent();
        // LIME's neighbours of token ids are texts with words removed, not numbers drawn near the ids
        MethodInfo info = get(tokens && name.equals("lime") ? "lime-text" : name);
        if (settings.groups() != null && info.family() != Family.PERTURBATION) {
            throw new IllegalArgumentException("feature groups apply to perturbation methods, not to " + info.name());
        }
        if (THROUGH_EMBEDDING.contains(name) && model instanceof NetworkModel network && network.tokenInput().isPresent()) {
            return throughEmbedding(info, network, settings, inputs);
        }
        if (info.family() == Family.PERTURBATION && tokens && (((NetworkModel) model).padId().isPresent()
                || settings.groups() != null)) {
            return overTokenPositions(info, (NetworkModel) model, settings);
        }
        AttributionMethod method = info.factory().create(model, settings, inputs);
        return settings.groups() == null ? method : grouped(method, settings.groups());
    }

    /**
     * A perturbation method over token positions ({@link TokenPerturbation}): each row's real tokens only when the
     * model masks padding, and each row's word groups when given.
     */
    private static TokenPerturbation overTokenPositions(MethodInfo info, NetworkModel network, MethodSettings s) {
        boolean background = s.background() != null;
        Reference tokens = background ? s.background() : s.reference() != null ? s.reference() : Reference.zeros();
        TokenPerturbation method = TokenPerturbation.of(network, (view, real, rows) -> info.factory().create(view,
                new MethodSettings(background ? null : real, background ? real : null, s.steps(), s.rule(), s.layer(),
                        s.window(), s.stride(), s.samples(), s.seed(), s.batchSize()), rows)).withReference(tokens);
        return s.groups() == null ? method : method.withWordGroups(s.groups());
    }

    /** The method with one row of feature groups, if its players can be groups. */
    private static AttributionMethod grouped(AttributionMethod method, int[][] groups) {
        if (groups.length != 1) {
            throw new IllegalArgumentException("got " + groups.length + " rows of feature groups; one row applies to"
                    + " every input row (one per row only for token ids)");
        }
        if (!(method instanceof FeatureGroups.Grouped<?> grouped)) {
            throw new IllegalArgumentException("feature groups apply to feature-ablation, exact-shapley, kernel-shap,"
                    + " shapley-sampling and lime-text, not to " + method.name());
        }
        return (AttributionMethod) grouped.withGroups(FeatureGroups.of(groups[0]));
    }

    private static TokenAttribution throughEmbedding(MethodInfo info, NetworkModel network, MethodSettings s, INDArray ids) {
        boolean background = info.options().contains("background");
        Reference tokens = background ? (s.background() != null ? s.background() : Reference.distribution(ids))
                : (s.reference() != null ? s.reference() : Reference.zeros());
        TokenAttribution method = TokenAttribution.of(network, (after, embedded) -> info.factory().create(after,
                new MethodSettings(background ? null : embedded, background ? embedded : null, s.steps(),
                        s.rule(), s.layer(), s.window(), s.stride(), s.samples(), s.seed(), s.batchSize()), null))
                .withReference(tokens);
        return info.name().equals("saliency") ? method.withTokenValue(TokenAttribution.TokenValue.L2_NORM) : method;
    }

    private static NetworkModel network(ExplainableModel model, String method) {
        if (model instanceof NetworkModel network) {
            return network;
        }
        throw new IllegalArgumentException(method + " is a gradient method: it needs a DL4J network, not a black-box model");
    }

    private static String required(String layer, String method) {
        if (layer == null) {
            throw new IllegalArgumentException(method + " needs --layer NAME (explain4j info --model FILE lists the layers)");
        }
        return layer;
    }

    private static int neuron(MethodSettings s, String method) {
        if (s.neuron() == null) {
            throw new IllegalArgumentException(method + " needs --neuron INDEX: a flat index into the output of --layer,"
                    + " row-major in the model's own layout");
        }
        return s.neuron();
    }

    /** The method with {@code value} applied, or as it is when the setting was not given. */
    private static <M, T> M with(M method, T value, BiFunction<M, T, M> setter) {
        return value == null ? method : setter.apply(method, value);
    }

    private static <M> M perturbation(M method, Reference reference, MethodSettings s, BiFunction<M, Reference, M> withReference,
                                      BiFunction<M, Integer, M> withBatchSize) {
        return with(with(method, reference, withReference), s.batchSize(), withBatchSize);
    }

    /** A background distribution when given, else the reference (zeros by default). */
    private static Reference shapleyReference(MethodSettings s) {
        return s.background() != null ? s.background() : s.reference();
    }

    private static Set<String> union(Set<String> base, String... more) {
        java.util.Set<String> all = new java.util.LinkedHashSet<>(base);
        all.addAll(List.of(more));
        return Set.copyOf(all);
    }

    private static Lime lime(ExplainableModel m, MethodSettings s, INDArray x) {
        Lime lime = Lime.of(m, s.background() != null ? s.background() : Reference.distribution(x));
        lime = with(lime, s.samples(), Lime::withSamples);
        lime = with(lime, s.seed(), Lime::withSeed);
        return with(lime, s.batchSize(), Lime::withBatchSize);
    }

    private static LimeImage limeImage(ExplainableModel m, MethodSettings s, INDArray x) {
        LimeImage lime = LimeImage.of(m);
        lime = with(lime, s.samples(), LimeImage::withSamples);
        lime = with(lime, s.seed(), LimeImage::withSeed);
        lime = with(lime, s.batchSize(), LimeImage::withBatchSize);
        Optional<ImageGeometry> image = m.imageGeometry(x);
        long[] cell = s.window() != null ? s.window()
                : image.map(g -> new long[]{Math.max(1, g.height() / 4), Math.max(1, g.width() / 4)}).orElse(null);
        if (cell == null) {
            return lime;
        }
        if (cell.length != 2) {
            throw new IllegalArgumentException("--window takes H,W superpixel cells for lime-image, got " + cell.length + " values");
        }
        return lime.withGrid(Math.toIntExact(cell[0]), Math.toIntExact(cell[1]));
    }
}
