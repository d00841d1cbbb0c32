package dev.explain4j.report;

import java.util.Arrays;
import java.util.Locale;

/** The plots by the names people look for them by, and how each is made from a {@link PlotData}. */
public enum PlotKind {
    BEESWARM {
        @Override
        public Plot create(PlotData data, int row) {
            return BeeswarmPlot.of(data);
        }
    },
    BAR {
        @Override
        public Plot create(PlotData data, int row) {
            return BarPlot.of(data);
        }
    },
    WATERFALL {
        @Override
        public Plot create(PlotData data, int row) {
            return WaterfallPlot.of(data, row);
        }
    };

    /** @param row the row of one-row plots (waterfall), 0-based; the others use every row */
    public abstract Plot create(PlotData data, int row);

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
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
