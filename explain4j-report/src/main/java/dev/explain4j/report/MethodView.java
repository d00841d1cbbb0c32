package dev.explain4j.report;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.ImageGeometry;

import java.util.Arrays;
import java.util.Optional;

/**
 * One method's picture for one sample, with what the caption says and the vector the agreement table compares.
 *
 * @param png        the picture
 * @param masked     for image methods, the input with only the top pixels by |attribution| kept; else null
 * @param kind       {@code heatmap} or {@code bars}
 * @param comparable the attributions as the agreement table ranks them: the input-resolution map for images, the row
 *                   for tabular inputs; null when the method's shape does not fit the input (a layer's units)
 */
record MethodView(byte[] png, MaskedImagePlot masked, String kind, double[] comparable) {

    /**
     * The picture of row {@code row} of {@code attributions}, drawn the way {@code options} say.
     *
     * @param data the attributions with every sample's input and the image geometry, for the masked image
     */
    static MethodView of(Attributions attributions, long[] rowShape, int row, Sample sample, ReportOptions options,
                         PlotData data) {
        double[] values = attributions.row(row);
        ImageGeometry geometry = options.geometry();
        if (geometry != null) {
            Optional<double[]> map = ImageMaps.toInputResolution(rowShape, values, geometry);
            if (map.isPresent()) {
                InputImage input = InputImage.fromRow(sample.input(), geometry);
                Heatmap heatmap = Heatmap.builder(map.get(), geometry.height(), geometry.width())
                        .sign(options.sign(attributions)).outlierPercent(options.outlierPercent())
                        .over(input, options.background()).alpha(options.alpha()).build();
                return new MethodView(heatmap.png(), MaskedImagePlot.of(data, row), "heatmap", map.get());
            }
            return new MethodView(units(values, rowShape, options), null, "bars", null);
        }
        boolean features = values.length == sample.input().length;
        if (!features) {
            return new MethodView(units(values, rowShape, options), null, "bars", null);
        }
        Chart chart = BarChart.topK(values, options.featureNames(), sample.input(), options.topK(), null);
        return new MethodView(chart.png(), null, "bars", values);
    }

    /** Attributions to a layer's units: they have no place on the input, so they are ranked as bars by index. */
    private static byte[] units(double[] values, long[] rowShape, ReportOptions options) {
        return BarChart.topK(values, null, null, options.topK(), "units of a layer shaped " + Arrays.toString(rowShape))
                .png();
    }
}
