package dev.explain4j.gradient;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.GradientBatch;
import dev.explain4j.model.ImageGeometry;
import dev.explain4j.model.ImageResize;
import dev.explain4j.model.LayerInfo;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Locale;

/**
 * Grad-CAM (Selvaraju et al. 2017) for a 2-D convolutional layer: channel weights w_c = spatial mean of
 * ∂f_target/∂a_c, map = Σ_c w_c·a_c, then ReLU. Result shape [rows, h, w] of the layer, or of the input image when
 * upsampled.
 *
 * <p>ReLU is on by default, as in the paper (Captum's {@code LayerGradCam} defaults to off: {@link #withoutRelu()}).
 * Upsampling follows PyTorch's {@code interpolate} with {@code align_corners=False}.
 */
public final class GradCam extends GradientAttribution {

    /** How the layer-sized map is brought to the input's height and width. */
    public enum Upsampling { NONE, NEAREST, BILINEAR }

    private final LayerInfo layer;
    private final boolean relu;
    private final Upsampling upsampling;

    private GradCam(NetworkModel model, LayerInfo layer, boolean relu, Upsampling upsampling) {
        super(model);
        this.layer = layer;
        this.relu = relu;
        this.upsampling = upsampling;
    }

    /** @param layer a 2-D convolutional layer (or pooling, or a shape-preserving layer after one) by name or index */
    public static GradCam of(NetworkModel model, String layer) {
        LayerInfo info = model.layer(layer);
        if (info.format() == null) {
            throw new IllegalArgumentException("Grad-CAM needs a 2-D convolutional layer; layer '" + info.name() + "' is a "
                    + info.kind() + ". Convolutional layers: " + model.layers().stream().filter(l -> l.format() != null)
                    .map(LayerInfo::name).toList());
        }
        return new GradCam(model, info, true, Upsampling.NONE);
    }

    public GradCam withoutRelu() {
        return new GradCam(model, layer, false, upsampling);
    }

    /** Resize the map to the input image's height and width. */
    public GradCam upsampled(Upsampling mode) {
        return new GradCam(model, layer, relu, mode);
    }

    @Override
    public Attributions attribute(INDArray inputs, Target target) {
        GradientBatch batch = model.layerGradients(inputs, target, layer.name());
        INDArray activation = toNchw(batch.layerActivation());
        INDArray gradient = toNchw(batch.layerGradient());
        long rows = activation.size(0);
        long channels = activation.size(1);
        INDArray weights = gradient.mean(2, 3).reshape(rows, channels, 1, 1);
        INDArray cam = activation.mul(weights.broadcast(activation.shape())).sum(1);
        if (relu) {
            cam = Transforms.relu(cam, false);
        }
        if (upsampling != Upsampling.NONE) {
            ImageGeometry image = model.imageGeometry(inputs).orElseThrow(() -> new IllegalArgumentException(
                    "cannot upsample Grad-CAM: the input of shape " + java.util.Arrays.toString(inputs.shape())
                            + " is not an image the network declares"));
            cam = ImageResize.resize(cam, image.height(), image.width(), upsampling == Upsampling.BILINEAR);
        }
        return result(cam, batch).parameter("layer", layer.name()).parameter("relu", relu)
                .parameter("upsampling", upsampling.name().toLowerCase(Locale.ROOT)).build();
    }

    private INDArray toNchw(INDArray activation) {
        return layer.format() == CNN2DFormat.NHWC ? activation.permute(0, 3, 1, 2) : activation;
    }

    @Override
    public String name() {
        return "grad-cam";
    }
}
