package dev.explain4j.report;

import dev.explain4j.io.AtomicFiles;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.ImageGeometry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One self-contained HTML file that shows what several methods attributed to several samples: pictures inlined as
 * data URIs, no script, no external style or font, so it opens offline and can be mailed.
 *
 * <pre>{@code
 * HtmlReport.builder(summary)
 *     .source("digits.csv").image(geometry).classNames(names)
 *     .addSample(Sample.of("digits.csv row 1", row).withProbabilities(p))
 *     .addAttributions(integratedGradients).addAttributions(occlusion)
 *     .build()
 *     .write(Path.of("out/report.html"));
 * }</pre>
 *
 * Row r of every {@link Attributions} belongs to the r-th sample added. Every string that comes from the caller
 * (names of the model, layers, features, classes, samples, files; method names and parameters) is escaped.
 */
public final class HtmlReport {
    private final ModelSummary model;
    private final String title;
    private final String source;
    private final List<Sample> samples;
    private final List<Attributions> attributions;
    private final ReportOptions options;
    private final Map<String, Map<String, double[]>> quality;
    private final GlobalView global;

    private HtmlReport(Builder b) {
        this.model = b.model;
        this.title = b.title;
        this.source = b.source;
        this.samples = List.copyOf(b.samples);
        this.attributions = List.copyOf(b.attributions);
        this.options = new ReportOptions(b.geometry, List.copyOf(b.featureNames), List.copyOf(b.classNames), b.sign,
                b.outlierPercent, b.background, b.alpha, b.topK);
        Map<String, Map<String, double[]>> figures = new LinkedHashMap<>();
        b.quality.forEach((method, perRow) -> figures.put(method, Collections.unmodifiableMap(new LinkedHashMap<>(perRow))));
        this.quality = Collections.unmodifiableMap(figures);
        this.global = b.global;
    }

    public static Builder builder(ModelSummary model) {
        return new Builder(model);
    }

    /** The whole page. Drawing happens here, in memory. */
    public String render() {
        return new ReportPage(model, title, source, samples, attributions, options, quality, global).render();
    }

    /**
     * Renders the page, then writes it through a temporary file in the target's directory and an atomic rename:
     * if anything fails, {@code target} is left as it was and no partial file remains.
     */
    public void write(Path target) {
        byte[] page = render().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeBytes(target, out -> out.write(page));
    }

    /** Collects the samples and the attributions; {@link #build()} checks that they fit together. */
    public static final class Builder {
        private final ModelSummary model;
        private String title = "explain4j report";
        private String source;
        private ImageGeometry geometry;
        private List<String> featureNames = List.of();
        private List<String> classNames = List.of();
        private final List<Sample> samples = new ArrayList<>();
        private final List<Attributions> attributions = new ArrayList<>();
        private final Map<String, Map<String, double[]>> quality = new LinkedHashMap<>();
        private GlobalView global;
        private SignMode sign;
        private double outlierPercent = Normalization.DEFAULT_OUTLIER_PERCENT;
        private Heatmap.Background background = Heatmap.Background.GRAYSCALE;
        private double alpha = Heatmap.DEFAULT_ALPHA;
        private int topK = BarChart.DEFAULT_TOP_K;

        private Builder(ModelSummary model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        public Builder title(String title) {
            this.title = Objects.requireNonNull(title);
            return this;
        }

        /** Where the samples came from, e.g. the input file's name. */
        public Builder source(String source) {
            this.source = source;
            return this;
        }

        /** The inputs are images laid out this way; without it they are shown as feature tables. */
        public Builder image(ImageGeometry geometry) {
            this.geometry = geometry;
            return this;
        }

        public Builder featureNames(List<String> names) {
            this.featureNames = List.copyOf(names);
            return this;
        }

        public Builder classNames(List<String> names) {
            this.classNames = List.copyOf(names);
            return this;
        }

        public Builder addSample(Sample sample) {
            samples.add(Objects.requireNonNull(sample));
            return this;
        }

        /** One method's result; its row r explains the r-th sample. Methods appear in the order added. */
        public Builder addAttributions(Attributions result) {
            attributions.add(Objects.requireNonNull(result));
            return this;
        }

        /**
         * Which sign every heatmap shows; by default each method's own, {@link SignMode#suitedTo} (the sequential scale
         * for methods without negative values, such as saliency, the diverging one otherwise).
         */
        public Builder sign(SignMode sign) {
            this.sign = Objects.requireNonNull(sign);
            return this;
        }

        public Builder outlierPercent(double percent) {
            this.outlierPercent = Normalization.checkOutlierPercent(percent);
            return this;
        }

        /**
         * What heatmaps are blended over (default greyscale, as Captum) and their opacity where |attribution| reaches
         * the scale (default {@link Heatmap#DEFAULT_ALPHA}; weaker pixels in proportion).
         */
        public Builder blend(Heatmap.Background background, double alpha) {
            if (alpha < 0 || alpha > 1) {
                throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
            }
            this.background = Objects.requireNonNull(background);
            this.alpha = alpha;
            return this;
        }

        /** How many features the tabular bar charts show (default 10). */
        public Builder topK(int k) {
            if (k <= 0) {
                throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
            }
            this.topK = k;
            return this;
        }

        /**
         * Explanation-quality figures of one method's attributions, one value per sample (e.g. "infidelity",
         * "deletionAuc"): shown in a quality table and beside that method's picture of each sample.
         */
        public Builder addQuality(String method, Map<String, double[]> perSample) {
            quality.put(method, new LinkedHashMap<>(perSample));
            return this;
        }

        /** Adds a global section: importance over the data set, surrogate rules, clusters. */
        public Builder global(GlobalView view) {
            this.global = view;
            return this;
        }

        public HtmlReport build() {
            if (samples.isEmpty()) {
                throw new IllegalStateException("a report needs at least one sample");
            }
            int width = samples.get(0).input().length;
            for (Sample s : samples) {
                if (s.input().length != width) {
                    throw new IllegalArgumentException("sample '" + s.label() + "' has " + s.input().length
                            + " values, the first sample has " + width);
                }
            }
            if (geometry != null && width != PixelLayout.size(geometry)) {
                throw new IllegalArgumentException("samples have " + width + " values but the image geometry "
                        + geometry.height() + "x" + geometry.width() + "x" + geometry.channels() + " needs " + PixelLayout.size(geometry));
            }
            if (geometry == null && !featureNames.isEmpty() && featureNames.size() != width) {
                throw new IllegalArgumentException(featureNames.size() + " feature names for samples of " + width + " values");
            }
            for (Attributions a : attributions) {
                if (a.rows() != samples.size()) {
                    throw new IllegalArgumentException("attributions of " + a.method() + " have " + a.rows()
                            + " rows but the report has " + samples.size() + " samples");
                }
            }
            quality.forEach((method, figures) -> figures.forEach((name, values) -> {
                if (values.length != samples.size()) {
                    throw new IllegalArgumentException(method + " " + name + " has " + values.length + " values but the report has "
                            + samples.size() + " samples");
                }
            }));
            return new HtmlReport(this);
        }
    }
}
