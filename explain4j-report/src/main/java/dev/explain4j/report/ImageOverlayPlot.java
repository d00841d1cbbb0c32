package dev.explain4j.report;

import java.awt.Graphics2D;

/**
 * One row's attributions as a heatmap blended over its input image, the way {@link Heatmap} draws it: normalised as
 * Captum does, the heatmap's opacity scaled by |attribution| (so a pixel with attribution 0 shows the input as it
 * is), the diverging scale for signed methods and the sequential one for methods whose values are all ≥ 0
 * ({@link SignMode#suitedTo}), with the colour scale and its clipping values underneath.
 */
public final class ImageOverlayPlot extends ImagePlot {
    private final Heatmap heatmap;

    private ImageOverlayPlot(PlotData data, int row, SignMode sign) {
        super(data, row, "heatmap over the image");
        this.heatmap = Heatmap.builder(map, geometry.height(), geometry.width())
                .sign(sign == null ? SignMode.suitedTo(data.attributions()) : sign)
                .over(input, Heatmap.Background.GRAYSCALE).build();
    }

    /** @param row 0-based; the sign mode is the one suited to the method's values */
    public static ImageOverlayPlot of(PlotData data, int row) {
        return new ImageOverlayPlot(data, row, null);
    }

    public ImageOverlayPlot withSign(SignMode sign) {
        return new ImageOverlayPlot(data, row, java.util.Objects.requireNonNull(sign));
    }

    Heatmap heatmap() {
        return heatmap;
    }

    @Override
    int pixel(int y, int x) {
        return heatmap.rgb(y, x);
    }

    @Override
    int legendHeight() {
        return ColorLegend.HEIGHT;
    }

    @Override
    void legend(Graphics2D g, int x, int y, int width) {
        ColorLegend.draw(g, x, y, width, heatmap.normalized());
    }

    @Override
    public PlotKind kind() {
        return PlotKind.IMAGE_OVERLAY;
    }

    @Override
    public String title() {
        return data.attributions().method() + " over row " + (row + 1) + " (" + target() + ")";
    }

    @Override
    public String altText() {
        return data.attributions().method() + " heatmap blended over the input image of row " + (row + 1) + ", explaining "
                + target() + "; " + ColorLegend.meaning(heatmap.normalized()) + "; opacity grows with |attribution|.";
    }
}
