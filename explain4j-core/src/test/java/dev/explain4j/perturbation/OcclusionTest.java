package dev.explain4j.perturbation;

import dev.explain4j.core.Reference;
import dev.explain4j.model.ExplainableModel;
import dev.explain4j.model.Target;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OcclusionTest {

    /** f = Σ w·x over the flattened image, so an occluded window's drop is Σ_window w·(x − baseline). */
    private static ExplainableModel linearImage(double[] w, long... shape) {
        INDArray weights = Nd4j.create(w, new long[]{w.length, 1}, DataType.DOUBLE);
        return ExplainableModel.of(b -> b.reshape('c', b.size(0), -1).mmul(weights), shape, 1, DataType.DOUBLE);
    }

    @Test
    void overlappingWindowsAverageTheDropOfEveryWindowCoveringAFeature() {
        // vector of 4, window 2, stride 1: windows {0,1},{1,2},{2,3}
        double[] w = {1, 2, 3, 4};
        INDArray x = Nd4j.create(new double[][]{{1, 1, 1, 1}});
        double[] phi = Occlusion.of(linearImage(w, 4)).withWindow(2).withStrides(1).attribute(x, Target.index(0)).row(0);
        double d01 = 3;
        double d12 = 5;
        double d23 = 7;
        assertThat(phi).containsExactly(new double[]{d01, (d01 + d12) / 2, (d12 + d23) / 2, d23}, within(1e-12));
    }

    @Test
    void imagePatchesChannelsFirstAndChannelsLast() {
        int c = 2;
        int h = 4;
        int wd = 4;
        double[] w = new double[c * h * wd];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.1 * (i + 1);
        }
        INDArray xChw = TestModels.gaussian(1, c * h * wd, 1, 5).reshape('c', 1, c, h, wd);
        double[] phi = Occlusion.of(linearImage(w, c, h, wd)).withWindow(c, 2, 2).withStrides(c, 2, 2)
                .withReference(Reference.constant(0.5))
                .attribute(xChw, Target.index(0)).row(0);
        double[] x = xChw.reshape(-1).toDoubleVector();
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < wd; j++) {
                    double drop = 0;
                    for (int cc = 0; cc < c; cc++) {
                        for (int ii = i / 2 * 2; ii < i / 2 * 2 + 2; ii++) {
                            for (int jj = j / 2 * 2; jj < j / 2 * 2 + 2; jj++) {
                                int f = (cc * h + ii) * wd + jj;
                                drop += w[f] * (x[f] - 0.5);
                            }
                        }
                    }
                    assertThat(phi[(ch * h + i) * wd + j]).isCloseTo(drop, within(1e-12));
                }
            }
        }
        // the same image laid out [h, w, c] with the window {2, 2, c} gives the same numbers, permuted
        INDArray xHwc = xChw.permute(0, 2, 3, 1).dup('c');
        double[] wHwc = Nd4j.create(w, new long[]{c, h, wd}, DataType.DOUBLE).permute(1, 2, 0).dup('c').reshape(-1).toDoubleVector();
        INDArray phiHwc = Occlusion.of(linearImage(wHwc, h, wd, c)).withWindow(2, 2, c).withStrides(2, 2, c)
                .withReference(Reference.constant(0.5))
                .attribute(xHwc, Target.index(0)).values();
        INDArray expected = Nd4j.create(phi, new long[]{1, c, h, wd}, DataType.DOUBLE).permute(0, 2, 3, 1);
        assertThat(phiHwc.equalsWithEps(expected, 1e-12)).isTrue();
    }
}
