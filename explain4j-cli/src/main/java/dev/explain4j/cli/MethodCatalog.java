package dev.explain4j.cli;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.ExpectedGradients;
import dev.explain4j.gradient.GradCam;
import dev.explain4j.gradient.GradientXInput;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.IntegrationRule;
import dev.explain4j.gradient.LayerGradientXActivation;
import dev.explain4j.gradient.NoiseTunnel;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.ImageGeometry;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.perturbation.Background;
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
import java.util.function.Function;

/** The methods the command line knows, by name, built from the command's settings. */
final class MethodCatalog {
    /** The --baseline values that name a reference rather than a CSV file of rows. */
    static final List<String> NAMED_BASELINES = List.of("zero", "mean", "blur");

    static final List<String> NAMES = List.of("saliency", "gradient", "gradient-x-input", "integrated-gradients",
            "layer-gradient-x-activation", "grad-cam", "smoothgrad", "expected-gradients", "occlusion",
            "feature-ablation", "kernel-shap", "exact-shapley", "shapley-sampling", "lime");

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
            case "occlusion" -> onImageRows(model, input, m -> Occlusion.builder(m)
                    .window(orDefault(s.window(), model, input, 2)).strides(orDefault(s.stride(), model, input, 1))
                    .baseline(0).batchSize(s.batchSize()).build());
            case "feature-ablation" -> FeatureAblation.builder(model).baseline(reference(s, input)).batchSize(s.batchSize()).build();
            case "kernel-shap" -> {
                KernelShap.Builder b = KernelShap.builder(model).background(shapleyBackground(s, input)).seed(s.seed())
                        .batchSize(s.batchSize());
                yield (s.samples() != null ? b.samples(s.samples()) : b).build();
            }
            case "exact-shapley" -> ExactShapley.builder(model).background(shapleyBackground(s, input)).batchSize(s.batchSize()).build();
            case "shapley-sampling" -> ShapleySampling.builder(model).background(shapleyBackground(s, input)).seed(s.seed())
                    .pairs(s.samples() != null ? s.samples() : 100).batchSize(s.batchSize()).build();
            case "lime" -> lime(s, model, input);
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

    /** One reference row for perturbation methods: zeros, the inputs' mean, or the first row of a CSV. */
    private static INDArray reference(MethodSettings s, InputRows input) {
        String b = s.baseline() == null ? "zero" : s.baseline();
        INDArray x = input.features();
        return switch (b) {
            case "zero" -> x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).like().assign(0);
            case "mean" -> x.mean(true, 0);
            case "blur" -> throw new IllegalArgumentException("--baseline blur applies to gradient methods only");
            default -> {
                INDArray rows = input.readLike(java.nio.file.Path.of(b));
                if (rows.size(0) != 1) {
                    throw new IllegalArgumentException(b + ": expected one baseline row for this method, got " + rows.size(0));
                }
                yield rows;
            }
        };
    }

    private static INDArray background(MethodSettings s, InputRows input) {
        return s.background() != null ? input.readLike(s.background()) : input.features();
    }

    /** --background rows when given, else the --baseline reference row (zero by default). */
    private static Background shapleyBackground(MethodSettings s, InputRows input) {
        return Background.of(s.background() != null ? input.readLike(s.background()) : reference(s, input));
    }

    private static AttributionMethod lime(MethodSettings s, NetworkModel model, InputRows input) {
        Optional<ImageGeometry> image = model.imageGeometry(input.features());
        int samples = s.samples() != null ? s.samples() : (image.isPresent() ? 1000 : 5000);
        if (image.isPresent()) {
            ImageGeometry g = image.get();
            long[] cell = s.window() != null ? s.window() : new long[]{Math.max(1, g.height() / 4), Math.max(1, g.width() / 4)};
            return onImageRows(model, input, m -> LimeImage.builder(m).channelsFirst(true).grid((int) cell[0], (int) cell[1])
                    .hideByMean().samples(samples).seed(s.seed()).batchSize(s.batchSize()).build());
        }
        return Lime.builder(model, background(s, input)).samples(samples).seed(s.seed()).batchSize(s.batchSize()).build();
    }

    /** An occlusion window or stride: --window/--stride H,W on images spans all channels; else one per row dimension. */
    private static long[] orDefault(long[] given, NetworkModel model, InputRows input, long size) {
        Optional<ImageGeometry> image = model.imageGeometry(input.features());
        if (image.isEmpty()) {
            return given != null ? given : new long[]{size};
        }
        long[] hw = given != null ? given : new long[]{size, size};
        if (hw.length != 2) {
            throw new IllegalArgumentException("--window and --stride take H,W for image inputs, got " + hw.length + " values");
        }
        return new long[]{image.get().channels(), hw[0], hw[1]};
    }

    /**
     * A method that sees image rows as [c, h, w] (windows and superpixels are spatial) while the model and the
     * output keep the model's own layout (NHWC, or flat rows).
     */
    private static AttributionMethod onImageRows(NetworkModel model, InputRows input, Function<ExplainableModel, AttributionMethod> make) {
        Optional<ImageGeometry> image = model.imageGeometry(input.features());
        if (image.isEmpty()) {
            return make.apply(model);
        }
        ImageGeometry g = image.get();
        ExplainableModel nchw = ExplainableModel.of(batch -> model.predict(g.fromNchw(batch)),
                new long[]{g.channels(), g.height(), g.width()}, model.outputSize(), model.dataType());
        AttributionMethod inner = make.apply(nchw);
        return new AttributionMethod() {
            @Override
            public Attributions attribute(INDArray inputs, Target target) {
                Attributions a = inner.attribute(g.toNchw(inputs).dup(), target);
                return a.withValues(g.fromNchw(a.values()).reshape(inputs.shape()));
            }

            @Override
            public String name() {
                return inner.name();
            }
        };
    }
}
