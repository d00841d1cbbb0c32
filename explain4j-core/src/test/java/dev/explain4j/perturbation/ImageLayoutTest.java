package dev.explain4j.perturbation;

import dev.explain4j.core.AttributionMethod;
import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.ImageGeometry;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Occlusion and LimeImage see images channels first whatever the model's layout: on an NHWC or a flat-image DL4J
 * network they give exactly what the same method gives on a channels-first view of the network (how the command line
 * wrapped them before they did it themselves), in the model's own layout.
 */
class ImageLayoutTest {

    /** The network seen through [c, h, w] rows, knowing no image layout: the windows then slide over NCHW as given. */
    private static ExplainableModel channelsFirstView(NetworkModel model, ImageGeometry g) {
        return ExplainableModel.of(batch -> model.predict(g.fromNchw(batch)), new long[]{g.channels(), g.height(), g.width()},
                model.outputSize(), model.dataType());
    }

    private static void assertSameAsOnTheChannelsFirstView(NetworkModel model, INDArray x,
                                                           Function<ExplainableModel, AttributionMethod> method) {
        ImageGeometry g = model.imageGeometry(x).orElseThrow();
        Attributions own = method.apply(model).attribute(x, Target.predicted());
        Attributions view = method.apply(channelsFirstView(model, g)).attribute(g.toNchw(x).dup(), Target.predicted());
        assertThat(own.shape()).containsExactly(x.shape());
        INDArray expected = g.fromNchw(view.values()).reshape(x.shape());
        assertThat(own.values().reshape(-1).toDoubleVector()).containsExactly(expected.reshape(-1).toDoubleVector());
        assertThat(own.targetOutputs().orElseThrow()).containsExactly(view.targetOutputs().orElseThrow());
        assertThat(own.values().amaxNumber().doubleValue()).as("the network must not be flat").isGreaterThan(1e-6);
    }

    @Test
    void occlusionOnAnNhwcNetworkEqualsOcclusionOnItsChannelsFirstView() {
        NetworkModel nhwc = NetworkModel.of(Networks.cnn(CNN2DFormat.NHWC));
        INDArray x = Networks.randomInput(3, 3, 6, 6, 2);
        INDArray referenceRow = Networks.randomInput(4, 1, 6, 6, 2);
        // H, W windows on the model; C, H, W on the view, which knows no image layout
        assertSameAsOnTheChannelsFirstView(nhwc, x, m -> m == nhwc ? Occlusion.of(m).withWindow(2, 3).withStrides(1, 2)
                : Occlusion.of(m).withWindow(2, 2, 3).withStrides(2, 1, 2));
        assertSameAsOnTheChannelsFirstView(nhwc, x, m -> m == nhwc
                ? Occlusion.of(m).withReference(Reference.rows(referenceRow))
                : Occlusion.of(m).withWindow(2, 2, 2).withStrides(2, 1, 1)
                        .withReference(Reference.rows(referenceRow.permute(0, 3, 1, 2).dup())));
    }

    @Test
    void limeImageOnAnNhwcNetworkEqualsLimeImageOnItsChannelsFirstView() {
        NetworkModel nhwc = NetworkModel.of(Networks.cnn(CNN2DFormat.NHWC));
        INDArray x = Networks.randomInput(5, 2, 6, 6, 2);
        INDArray referenceRow = Networks.randomInput(6, 1, 6, 6, 2);
        assertSameAsOnTheChannelsFirstView(nhwc, x, m -> LimeImage.of(m).withGrid(2, 3).withSamples(60).withSeed(3));
        assertSameAsOnTheChannelsFirstView(nhwc, x, m -> LimeImage.of(m).withGrid(3, 2).withSamples(60).withSeed(3)
                .withReference(Reference.rows(m == nhwc ? referenceRow : referenceRow.permute(0, 3, 1, 2).dup())));
    }

    @Test
    void onFlatImageRowsTooAsTheShippedDigitsNetworkTakesThem() {
        NetworkModel digits = ModelLoader.load(Path.of("models/digits-cnn.zip"), null);
        INDArray x = TestModels.gaussian(2, 64, 4, 71).castTo(digits.dataType());
        assertThat(digits.imageGeometry(x)).get().extracting(ImageGeometry::flat).isEqualTo(true);
        assertSameAsOnTheChannelsFirstView(digits, x, m -> m == digits ? Occlusion.of(m) : Occlusion.of(m).withWindow(1, 2, 2)
                .withStrides(1, 1, 1));
        assertSameAsOnTheChannelsFirstView(digits, x, m -> LimeImage.of(m).withGrid(2, 2).withSamples(40).withSeed(1));
    }

    @Test
    void hwWindowsSpanEveryChannelOfAChannelsLastImage() {
        // f = Σ w·x over an NHWC image whose model says so: a window's drop is Σ over its pixels and all channels
        int h = 4;
        int wd = 4;
        int c = 3;
        double[] w = new double[h * wd * c];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.1 * (i + 1) * (i % 2 == 0 ? 1 : -1);
        }
        INDArray weights = Nd4j.create(w, new long[]{w.length, 1}, DataType.DOUBLE);
        ExplainableModel flat = ExplainableModel.of(b -> b.reshape('c', b.size(0), -1).mmul(weights), new long[]{h, wd, c}, 1,
                DataType.DOUBLE);
        ExplainableModel nhwc = new ExplainableModel() {
            @Override
            public INDArray predict(INDArray batch) {
                return flat.predict(batch);
            }

            @Override
            public long[] inputShape() {
                return flat.inputShape();
            }

            @Override
            public int outputSize() {
                return 1;
            }

            @Override
            public DataType dataType() {
                return DataType.DOUBLE;
            }

            @Override
            public Optional<ImageGeometry> imageGeometry(INDArray x) {
                return Optional.of(new ImageGeometry(h, wd, c, CNN2DFormat.NHWC, false));
            }
        };
        INDArray x = TestModels.gaussian(1, h * wd * c, 1, 72).reshape('c', 1, h, wd, c);
        INDArray phi = Occlusion.of(nhwc).withWindow(2, 2).withStrides(2, 2).withReference(Reference.constant(0.5))
                .attribute(x, Target.index(0)).values();
        double[] xs = x.reshape(-1).toDoubleVector();
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < wd; j++) {
                double drop = 0;
                for (int ii = i / 2 * 2; ii < i / 2 * 2 + 2; ii++) {
                    for (int jj = j / 2 * 2; jj < j / 2 * 2 + 2; jj++) {
                        for (int cc = 0; cc < c; cc++) {
                            int f = (ii * wd + jj) * c + cc;
                            drop += w[f] * (xs[f] - 0.5);
                        }
                    }
                }
                for (int ch = 0; ch < c; ch++) {
                    assertThat(phi.getDouble(0, i, j, ch)).isCloseTo(drop, within(1e-12));
                }
            }
        }
        assertThatThrownBy(() -> Occlusion.of(nhwc).withWindow(2).attribute(x, Target.index(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two (H, W) on images");
    }
}
