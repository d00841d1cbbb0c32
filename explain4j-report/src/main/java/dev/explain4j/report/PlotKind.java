package dev.explain4j.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalInt;

/** The plots by the names people look for them by, and how each is made from a {@link PlotData}. */
public enum PlotKind {
    BEESWARM((data, row, feature) -> BeeswarmPlot.of(data)),
    BAR((data, row, feature) -> BarPlot.of(data)),
    WATERFALL((data, row, feature) -> WaterfallPlot.of(data, row)),
    FORCE((data, row, feature) -> ForcePlot.of(data, row)),
    DEPENDENCE((data, row, feature) -> feature.isPresent() ? DependencePlot.of(data, feature.getAsInt()) : DependencePlot.of(data)),
    DECISION((data, row, feature) -> DecisionPlot.of(data)),
    IMAGE_OVERLAY((data, row, feature) -> ImageOverlayPlot.of(data, row)),
    MASKED_IMAGE((data, row, feature) -> MaskedImagePlot.of(data, row));

    /** How a kind is made; each kind reads only the arguments it needs. */
    private interface Factory {
        Plot create(PlotData data, int row, OptionalInt feature);
    }

    private final Factory factory;

    PlotKind(Factory factory) {
        this.factory = factory;
    }

    /**
     * @param row     the row of one-row plots (waterfall, force, the image plots), 0-based; the others use every row
     * @param feature the feature of a dependence plot, 0-based (default: the one of largest mean |attribution|)
     */
    public Plot create(PlotData data, int row, OptionalInt feature) {
        return factory.create(data, row, feature);
    }

    /** {@link #create(PlotData, int, OptionalInt)} with each kind's default feature. */
    public Plot create(PlotData data, int row) {
        return create(data, row, OptionalInt.empty());
    }

    /** Whether the kind draws on the input image, so needs {@link PlotData#withImage}. */
    public boolean needsImage() {
        return this == IMAGE_OVERLAY || this == MASKED_IMAGE;
    }

    /** E.g. {@code image-overlay}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static PlotKind fromCliName(String name) {
        for (PlotKind kind : values()) {
            if (kind.cliName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown plot kind '" + name + "'; expected one of "
                + String.join(", ", Arrays.stream(values()).map(PlotKind::cliName).toList()));
    }
}
