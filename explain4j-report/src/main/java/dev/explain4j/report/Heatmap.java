package dev.explain4j.report;

import dev.explain4j.io.AtomicFiles;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A heatmap of one map of attributions at the input's resolution, normalised as Captum does
 * ({@link Normalization}), optionally blended over the input image, enlarged by nearest neighbour so that small
 * inputs (8×8, 28×28) are visible, with a {@link ColorLegend} underneath.
 *
 * <p>Blending follows Captum's {@code blended_heat_map} (the scale's colour laid over the input's grey version by
 * default, or over its colours) with one change: the opacity at a pixel is {@link #DEFAULT_ALPHA} (or the chosen
 * alpha) times its normalised |attribution|, as Captum's {@code alpha_scaling} does for the image itself. A pixel the
 * method gives nothing therefore shows the input untouched instead of half-whitened, so the picture stays readable
 * where nothing happens and the colour reads as strength where something does.
 */
public final class Heatmap {

    /**
     * Opacity of the heatmap where |attribution| reaches the scale (normalised 1); less in proportion below it.
     * Higher than Captum's constant 0.5 because weak pixels fade on their own.
     */
    public static final double DEFAULT_ALPHA = 0.8;
    /** Small inputs are enlarged until their longer side reaches this many pixels. */
    public static final int DEFAULT_MIN_SIDE = 160;

    /** What the heatmap is drawn over. */
    public enum Background { NONE, GRAYSCALE, RGB }

    private final double[] map;
    private final int height;
    private final int width;
    private final SignMode sign;
    private final double outlierPercent;
    private final InputImage input;
    private final Background background;
    private final double alpha;
    private final int minSide;
    private final Normalization.NormalizedMap normalized;

    private Heatmap(Builder b) {
        this.map = b.map;
        this.height = b.height;
        this.width = b.width;
        this.sign = b.sign;
        this.outlierPercent = b.outlierPercent;
        this.input = b.input;
        this.background = b.input == null ? Background.NONE : b.background;
        this.alpha = b.alpha;
        this.minSide = b.minSide;
        this.normalized = Normalization.normalize(map, sign, outlierPercent);
    }

    /** @param map row-major [height, width] attributions, already summed over channels */
    public static Builder builder(double[] map, int height, int width) {
        return new Builder(map, height, width);
    }

    /** The normalised values and the scale the legend shows. */
    public Normalization.NormalizedMap normalized() {
        return normalized;
    }

    public BufferedImage render() {
        int k = upscaleFactor(height, width, minSide);
        int mapWidth = width * k;
        int mapHeight = height * k;
        int pictureWidth = Math.max(mapWidth, minSide);
        BufferedImage image = new BufferedImage(pictureWidth, mapHeight + ColorLegend.HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            int left = (pictureWidth - mapWidth) / 2;
            Colormap colormap = Colormap.forSign(sign);
            int[] line = new int[mapWidth];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int rgb = pixel(colormap, y, x);
                    for (int i = 0; i < k; i++) {
                        line[x * k + i] = rgb;
                    }
                }
                for (int i = 0; i < k; i++) {
                    image.setRGB(left, y * k + i, mapWidth, 1, line, 0, mapWidth);
                }
            }
            ColorLegend.draw(g, 0, mapHeight, pictureWidth, normalized);
        } finally {
            g.dispose();
        }
        return image;
    }

    private int pixel(Colormap colormap, int y, int x) {
        double value = normalized.values()[y * width + x];
        int heat = colormap.rgb(value);
        double opacity = opacity(y, x);
        return switch (background) {
            case NONE -> heat;
            case GRAYSCALE -> {
                int v = InputImage.to255(input.gray(y, x));
                yield Colormap.mix((v << 16) | (v << 8) | v, heat, opacity);
            }
            case RGB -> Colormap.mix(input.rgb(y, x), heat, opacity);
        };
    }

    /** 0xRRGGBB of one map pixel as drawn (before enlarging). */
    int rgb(int y, int x) {
        return pixel(Colormap.forSign(sign), y, x);
    }

    /** The heatmap's opacity over the input at a pixel: alpha × normalised |attribution|; 1 without a background. */
    double opacity(int y, int x) {
        return background == Background.NONE ? 1.0 : alpha * Math.abs(normalized.values()[y * width + x]);
    }

    public SignMode sign() {
        return sign;
    }

    public byte[] png() {
        return Png.encode(render());
    }

    /** Writes the PNG through a temporary file, so {@code target} is either complete or untouched. */
    public void writePng(Path target) {
        byte[] bytes = png();
        AtomicFiles.writeBytes(target, out -> out.write(bytes));
    }

    /** Nearest-neighbour factor that brings the longer side to at least {@code minSide} pixels (1 for large inputs). */
    static int upscaleFactor(int height, int width, int minSide) {
        int longer = Math.max(1, Math.max(height, width));
        return Math.max(1, (minSide + longer - 1) / longer);
    }

    /** Options of one heatmap; defaults are Captum's (sign all, 2% outliers, over greyscale) but for the opacity. */
    public static final class Builder {
        private final double[] map;
        private final int height;
        private final int width;
        private SignMode sign = SignMode.ALL;
        private double outlierPercent = Normalization.DEFAULT_OUTLIER_PERCENT;
        private InputImage input;
        private Background background = Background.GRAYSCALE;
        private double alpha = DEFAULT_ALPHA;
        private int minSide = DEFAULT_MIN_SIDE;

        private Builder(double[] map, int height, int width) {
            if (height <= 0 || width <= 0 || map.length != height * width) {
                throw new IllegalArgumentException("a heatmap of " + height + "x" + width + " needs " + height * width
                        + " values, got " + map.length);
            }
            this.map = map.clone();
            this.height = height;
            this.width = width;
        }

        public Builder sign(SignMode sign) {
            this.sign = Objects.requireNonNull(sign);
            return this;
        }

        public Builder outlierPercent(double percent) {
            this.outlierPercent = Normalization.checkOutlierPercent(percent);
            return this;
        }

        /** Blend over this input (its height and width must be the map's). */
        public Builder over(InputImage input, Background background) {
            if (input != null && (input.height() != height || input.width() != width)) {
                throw new IllegalArgumentException("input image is " + input.height() + "x" + input.width()
                        + " but the map is " + height + "x" + width + "; bring the map to the input's resolution first (ImageMaps)");
            }
            this.input = input;
            this.background = Objects.requireNonNull(background);
            return this;
        }

        /** Opacity of the heatmap over the input where |attribution| reaches the scale, in [0, 1]. */
        public Builder alpha(double alpha) {
            if (alpha < 0 || alpha > 1) {
                throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
            }
            this.alpha = alpha;
            return this;
        }

        public Builder minSide(int pixels) {
            this.minSide = Math.max(1, pixels);
            return this;
        }

        public Heatmap build() {
            return new Heatmap(this);
        }
    }
}
