package dev.explain4j.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;

/**
 * A layer (or graph vertex) a layer method can name.
 *
 * @param index  position in the network (MultiLayerNetwork) or topological order (ComputationGraph); -1 for the input
 * @param name   the name to pass as {@code --layer}
 * @param kind   the layer's class, e.g. {@code ConvolutionLayer}
 * @param format      for 2-D convolutional activations, their layout; null otherwise
 * @param convolution true for a convolution layer, which computes feature maps of its own (pooling, normalisation
 *                    and activation layers after it only pass maps on)
 */
public record LayerInfo(int index, String name, String kind, CNN2DFormat format, boolean convolution) {

    /** The pseudo-layer that stands for the network's input. */
    public static final String INPUT = "input";

    /** True when the layer's output is spatial feature maps [channels, height, width] (in {@link #format}'s layout). */
    public boolean spatial() {
        return format != null;
    }
}
