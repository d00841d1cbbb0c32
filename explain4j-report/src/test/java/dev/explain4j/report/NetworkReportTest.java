package dev.explain4j.report;

import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.GradCam;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.model.ImageGeometry;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.Networks;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;

/** The report on a real DL4J network's attributions, in both image layouts: the shapes methods give fit the pictures. */
class NetworkReportTest {

    @Test
    void reportOfARealCnnInBothLayouts() {
        for (CNN2DFormat format : CNN2DFormat.values()) {
            NetworkModel model = NetworkModel.of(Networks.cnn(format));
            long[] shape = format == CNN2DFormat.NCHW ? new long[] {3, 2, 6, 6} : new long[] {3, 6, 6, 2};
            INDArray x = Networks.randomInput(11, shape);
            ImageGeometry geometry = model.imageGeometry(x).orElseThrow();
            ModelSummary summary = ModelSummary.of(model, "cnn-" + format + ".zip");
            assertThat(summary.layers()).extracting(ModelSummary.Layer::kind).contains("ConvolutionLayer");
            assertThat(summary.outputSize()).isEqualTo(3);
            assertThat(summary.backend()).isEqualTo(Nd4j.getBackend().getClass().getSimpleName());

            Attributions ig = IntegratedGradients.of(model).withSteps(16).attribute(x, Target.predicted());
            Attributions saliency = Saliency.of(model).attribute(x, Target.predicted());
            Attributions cam = GradCam.of(model).withLayer("0").attribute(x, Target.predicted());
            INDArray probabilities = model.predict(x);
            HtmlReport.Builder b = HtmlReport.builder(summary).image(geometry).addAttributions(ig)
                    .addAttributions(saliency).addAttributions(cam);
            for (int r = 0; r < 3; r++) {
                b.addSample(Sample.of("row " + r, x.slice(r).dup().reshape(-1).toDoubleVector())
                        .withProbabilities(probabilities.getRow(r).toDoubleVector()));
            }
            String html = b.build().render();
            assertThat(html).as(format.name()).contains("completeness δ").contains("ConvolutionLayer");
            // every method found its place on the image: three heatmaps per sample, none fell back to unit bars
            assertThat(html.split("heatmap, sample", -1)).hasSize(1 + 3 * 3);
        }
    }
}
