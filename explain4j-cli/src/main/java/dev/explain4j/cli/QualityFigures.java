package dev.explain4j.cli;

import dev.explain4j.metrics.QualityReport;

import java.util.Locale;

/** How `explain --metrics`, `report --metrics` and `global` print the quality figures of a result. */
final class QualityFigures {
    private QualityFigures() {
    }

    /** One line: the mean of every figure, or why there are none. */
    static String summary(QualityReport.Figures figures) {
        StringBuilder line = new StringBuilder();
        figures.means().forEach((name, mean) -> line.append(line.length() == 0 ? "" : ", ").append(name).append(' ')
                .append(String.format(Locale.ROOT, "%.4g", mean)));
        if (line.length() == 0) {
            return "none: " + (figures.note() != null ? figures.note() : "this method has no figures");
        }
        return line.toString();
    }
}
