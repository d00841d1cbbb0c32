package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.BackwardRules;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.ImageGeometry;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Guided Grad-CAM (Selvaraju et al. 2017), as Captum 0.7's {@code GuidedGradCam}: guided backpropagation
 * ({@link GuidedBackprop}) multiplied, channel by channel, by the ReLU'd {@link GradCam} map of a convolution layer
 * upsampled to the input's height and width by nearest neighbour (Captum's default {@code interpolate_mode}; bilinear
 * on request, {@link #withUpsampling}). The layer
 * defaults to the network's last convolution. Shaped like the input.
 */
public final class GuidedGradCam extends GradientAttribution {
    private final GradCam gradCam;

    private GuidedGradCam(NetworkModel model, GradCam gradCam) {
        super(model);
        this.gradCam = gradCam;
    }

    public static GuidedGradCam of(NetworkModel model) {
        return new GuidedGradCam(model, GradCam.of(model).withRelu(true).withUpsampling(GradCam.Upsampling.NEAREST));
    }

    /** @param layer a 2-D convolutional layer by name or index (see {@link GradCam#withLayer}) */
    public GuidedGradCam withLayer(String layer) {
        return new GuidedGradCam(model, gradCam.withLayer(layer));
    }

    /**
     * How the Grad-CAM map is brought to the input's size: nearest (the default, Captum's) or bilinear. The map must
     * reach the input's size to multiply the guided gradient, so {@link GradCam.Upsampling#NONE} is refused.
     */
    public GuidedGradCam withUpsampling(GradCam.Upsampling mode) {
        if (mode == GradCam.Upsampling.NONE) {
            throw new IllegalArgumentException("guided-grad-cam multiplies the guided gradient by the Grad-CAM map at the"
                    + " input's size: upsampling must be nearest or bilinear, not none");
        }
        return new GuidedGradCam(model, gradCam.withUpsampling(mode));
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        ImageGeometry image = model.imageGeometry(inputs).orElseThrow(() -> new IllegalArgumentException(
                "guided-grad-cam needs image input, and the input of shape " + Arrays.toString(inputs.shape())
                        + " is not an image the network declares"));
        GradientBatch guided = model.gradients(inputs, null, target, BackwardRules.guidedBackprop());
        Attributions cam = gradCam.attribute(inputs, Target.perRow(guided.targets()));
        INDArray map = cam.values();
        INDArray perChannel = image.toNchw(guided.inputGradient()).dup();
        perChannel.muli(map.reshape(map.size(0), 1, map.size(1), map.size(2)).broadcast(perChannel.shape()));
        return result(image.fromNchw(perChannel), guided).parameter("layer", cam.parameters().get("layer"))
                .parameter("upsampling", cam.parameters().get("upsampling")).build();
    }

    @Override
    public String name() {
        return "guided-grad-cam";
    }
}
