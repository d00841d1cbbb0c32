package dev.explain4j.cli;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.ExpectedGradients;
import dev.explain4j.gradient.GradCam;
import dev.explain4j.gradient.GradientXInput;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.IntegrationRule;
import dev.explain4j.gradient.LayerGradientXActivation;
import dev.explain4j.gradient.NoiseTunnel;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.model.ImageGeometry;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.perturbation.ExactShapley;
import dev.explain4j.perturbation.FeatureAblation;
import dev.explain4j.perturbation.KernelShap;
import dev.explain4j.perturbation.Lime;
import dev.explain4j.perturbation.LimeImage;
import dev.explain4j.perturbation.Occlusion;
import dev.explain4j.perturbation.ShapleySampling;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Optional;

/** The methods the command line knows, by name, built from the command's settings. */
final class MethodCatalog {
    /** The --baseline values that name a reference rather than a CSV file of rows. */
    static final List<String> NAMED_BASELINES = List.of("zero", "mean", "blur");

    static final List<String> NAMES = List.of("saliency", "gradient", "gradient-x-input", "integrated-gradients",
            "layer-gradient-x-activation", "grad-cam", "smoothgrad", "expected-gradients", "occlusion",
            "feature-ablation", "kernel-shap", "exact-shapley", "shapley-sampling", "lime", "lime-image");

    private MethodCatalog() {
    }

    static AttributionMethod create(String name, MethodSettings s, NetworkModel model, InputRows input) {
        return switch (name) {
            case "saliency" -> Saliency.of(model);
            case "gradient" -> Saliency.signed(model);
            case "gradient-x-input" -> GradientXInput.of(model);
            case "integrated-gradients" -> integratedGradients(s, model, input);
            case "layer-gradient-x-activation" -> LayerGradientXActivation.of(model, required(s.layer(), name));
            case "grad-cam" -> gradCam(s, model);
            case "smoothgrad" -> NoiseTunnel.of(model, Saliency.signed(model)).withSeed(s.seed())
                    .withSamples(s.samples() != null ? s.samples() : 50);
            case "expected-gradients" -> ExpectedGradients.of(model, Reference.distribution(background(s, input)))
                    .withSeed(s.seed()).withSamples(s.samples() != null ? s.samples() : 200);
            case "occlusion" -> occlusion(s, model);
            case "feature-ablation" -> FeatureAblation.of(model).withReference(reference(s, input)).withBatchSize(s.batchSize());
            case "kernel-shap" -> {
                KernelShap shap = KernelShap.of(model).withReference(shapleyReference(s, input)).withSeed(s.seed())
                        .withBatchSize(s.batchSize());
                yield s.samples() != null ? shap.withSamples(s.samples()) : shap;
            }
            case "exact-shapley" -> ExactShapley.of(model).withReference(shapleyReference(s, input)).withBatchSize(s.batchSize());
            case "shapley-sampling" -> ShapleySampling.of(model).withReference(shapleyReference(s, input)).withSeed(s.seed())
                    .withSamples(s.samples() != null ? s.samples() : 100).withBatchSize(s.batchSize());
            case "lime" -> model.imageGeometry(input.features()).isPresent() ? limeImage(s, model, input) : lime(s, model, input);
            case "lime-image" -> limeImage(s, model, input);
            default -> throw new IllegalArgumentException("unknown method '" + name + "'; expected one of " + NAMES);
        };
    }

    private static String required(String value, String method) {
        if (value == null) {
            throw new IllegalArgumentException(method + " needs --layer NAME (explain4j info --model FILE lists the layers)");
        }
        return value;
    }

    private static GradCam gradCam(MethodSettings s, NetworkModel model) {
        GradCam cam = GradCam.of(model).withUpsampling(GradCam.Upsampling.BILINEAR);
        return s.layer() != null ? cam.withLayer(s.layer()) : cam;
    }

    private static IntegratedGradients integratedGradients(MethodSettings s, NetworkModel model, InputRows input) {
        IntegratedGradients ig = IntegratedGradients.of(model).withReference(gradientReference(s, input));
        if (s.steps() != null) {
            ig = ig.withSteps(s.steps());
        }
        return s.integration() == null ? ig : ig.withRule(IntegrationRule.parse(s.integration()));
    }

    private static Reference gradientReference(MethodSettings s, InputRows input) {
        String b = s.baseline() == null ? "zero" : s.baseline();
        return switch (b) {
            case "zero" -> Reference.zeros();
            case "mean" -> Reference.mean(input.features());
            case "blur" -> Reference.blurred(1.0);
            default -> Reference.rows(input.readLike(java.nio.file.Path.of(b)));
        };
    }

    /** One reference row for perturbation methods: zeros, the inputs' mean, or the one row of a CSV. */
    private static Reference reference(MethodSettings s, InputRows input) {
        String b = s.baseline() == null ? "zero" : s.baseline();
        return switch (b) {
            case "zero" -> Reference.zeros();
            case "mean" -> Reference.mean(input.features());
            case "blur" -> throw new IllegalArgumentException("--baseline blur applies to gradient methods only");
            default -> {
                INDArray rows = input.readLike(java.nio.file.Path.of(b));
                if (rows.size(0) != 1) {
                    throw new IllegalArgumentException(b + ": expected one baseline row for this method, got " + rows.size(0));
                }
                yield Reference.rows(rows);
            }
        };
    }

    private static INDArray background(MethodSettings s, InputRows input) {
        return s.background() != null ? input.readLike(s.background()) : input.features();
    }

    /** --background rows when given, else the --baseline reference row (zero by default). */
    private static Reference shapleyReference(MethodSettings s, InputRows input) {
        return s.background() != null ? Reference.distribution(input.readLike(s.background())) : reference(s, input);
    }

    /** --window and --stride as given (H,W on images, over all channels); Occlusion's defaults otherwise. */
    private static Occlusion occlusion(MethodSettings s, NetworkModel model) {
        Occlusion occlusion = Occlusion.of(model).withBatchSize(s.batchSize());
        occlusion = s.window() != null ? occlusion.withWindow(s.window()) : occlusion;
        return s.stride() != null ? occlusion.withStrides(s.stride()) : occlusion;
    }

    /** Tabular LIME over the --background rows (default: the inputs) as its training data. */
    private static Lime lime(MethodSettings s, NetworkModel model, InputRows input) {
        return Lime.of(model, Reference.distribution(background(s, input))).withSamples(s.samples() != null ? s.samples() : 5000)
                .withSeed(s.seed()).withBatchSize(s.batchSize());
    }

    /** Image LIME on a 4 × 4 grid of superpixels unless --window H,W sets the cells; hidden superpixels take their mean. */
    private static LimeImage limeImage(MethodSettings s, NetworkModel model, InputRows input) {
        LimeImage lime = LimeImage.of(model).withSamples(s.samples() != null ? s.samples() : 1000).withSeed(s.seed())
                .withBatchSize(s.batchSize());
        Optional<ImageGeometry> image = model.imageGeometry(input.features());
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
