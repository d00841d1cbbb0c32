package dev.explain4j.report;

import dev.explain4j.core.Attributions;
import dev.explain4j.global.GlobalImportance;
import dev.explain4j.model.ImageGeometry;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What every {@link Plot} draws from: one {@link Attributions} (rows flattened row-major), optionally the inputs it
 * explained ([rows, features], same order), the features' names and the classes' names. Immutable; the
 * {@code with} calls return new instances.
 */
public final class PlotData {
    private final Attributions attributions;
    private final double[][] values;
    private final double[][] inputs;
    private final List<String> featureNames;
    private final List<String> classNames;
    private final GlobalImportance.Summary importance;
    private final ImageGeometry image;

    private PlotData(Attributions attributions, double[][] values, double[][] inputs, List<String> featureNames,
                     List<String> classNames, GlobalImportance.Summary importance, ImageGeometry image) {
        this.attributions = attributions;
        this.image = image;
        this.importance = importance;
        this.values = values;
        this.inputs = inputs;
        this.featureNames = featureNames;
        this.classNames = classNames;
    }

    /** @throws IllegalArgumentException when a value is not finite: no picture can place it */
    public static PlotData of(Attributions attributions) {
        double[][] values = new double[attributions.rows()][];
        for (int r = 0; r < values.length; r++) {
            values[r] = attributions.row(r);
            for (int f = 0; f < values[r].length; f++) {
                if (!Double.isFinite(values[r][f])) {
                    throw new IllegalArgumentException("attribution of row " + (r + 1) + ", feature " + (f + 1)
                            + " is " + values[r][f] + "; plots need finite values");
                }
            }
        }
        if (values.length == 0) {
            throw new IllegalArgumentException("no rows to plot");
        }
        return new PlotData(attributions, values, null, null, null, GlobalImportance.overall(attributions), null);
    }

    /** @param inputs [rows, features]: the explained rows flattened row-major, one per attribution row */
    public PlotData withInputs(double[][] inputs) {
        if (inputs.length != rows()) {
            throw new IllegalArgumentException("the inputs have " + inputs.length + " rows but the attributions " + rows());
        }
        double[][] copy = new double[inputs.length][];
        for (int r = 0; r < inputs.length; r++) {
            copy[r] = inputs[r].clone();
        }
        return new PlotData(attributions, values, copy, featureNames, classNames, importance, image);
    }

    /** The inputs as an array of any shape whose first dimension is the rows. */
    public PlotData withInputs(INDArray inputs) {
        double[][] rows = new double[(int) inputs.size(0)][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = inputs.slice(r).dup().reshape(-1).toDoubleVector();
        }
        return withInputs(rows);
    }

    /** One name per attribution value of a row; null for none. */
    public PlotData withFeatureNames(List<String> names) {
        if (names != null && names.size() != width()) {
            throw new IllegalArgumentException(names.size() + " feature names for " + width() + " attributions per row");
        }
        return new PlotData(attributions, values, inputs, names == null ? null : List.copyOf(names), classNames, importance,
                image);
    }

    /** Names of the model's outputs by index; null for none. */
    public PlotData withClassNames(List<String> names) {
        return new PlotData(attributions, values, inputs, featureNames, names == null ? null : List.copyOf(names), importance,
                image);
    }

    /**
     * The inputs are images laid out this way (they must be given, {@link #withInputs}, with one image per row): the
     * image plots need it.
     */
    public PlotData withImage(ImageGeometry geometry) {
        if (geometry != null && inputs != null && inputs[0].length != PixelLayout.size(geometry)) {
            throw new IllegalArgumentException("an image of " + geometry.height() + "x" + geometry.width() + "x"
                    + geometry.channels() + " needs " + PixelLayout.size(geometry) + " input values per row, the inputs have "
                    + inputs[0].length);
        }
        return new PlotData(attributions, values, inputs, featureNames, classNames, importance, geometry);
    }

    /** The image geometry, or an IllegalArgumentException saying that {@code picture} needs image inputs. */
    ImageGeometry image(String picture) {
        if (image == null || inputs == null) {
            throw new IllegalArgumentException("a " + picture + " needs image inputs: the explained rows (--input) of a "
                    + "model whose input is an image");
        }
        return image;
    }

    /** The row's attributions at the image's resolution (summed over channels), or why there is none. */
    double[] imageMap(int row, String picture) {
        ImageGeometry g = image(picture);
        long[] shape = attributions.shape();
        long[] rowShape = Arrays.copyOfRange(shape, 1, shape.length);
        return ImageMaps.toInputResolution(rowShape, values[row], g).orElseThrow(() -> new IllegalArgumentException(
                "the " + attributions.method() + " attributions are shaped " + Arrays.toString(rowShape)
                        + " per row, which has no place on a " + g.height() + "x" + g.width() + " image (a layer's units?)"));
    }

    public Attributions attributions() {
        return attributions;
    }

    public int rows() {
        return values.length;
    }

    /** Attribution values per row. */
    public int width() {
        return values[0].length;
    }

    double value(int row, int feature) {
        return values[row][feature];
    }

    double[] row(int row) {
        return values[row].clone();
    }

    /** Values per input row; 0 without inputs. */
    public int inputWidth() {
        return inputs == null ? 0 : inputs[0].length;
    }

    boolean hasInputs() {
        return inputs != null;
    }

    /** The inputs of one row (null without inputs). */
    double[] inputRow(int row) {
        return inputs == null ? null : inputs[row].clone();
    }

    /** The input feature's value, only when the inputs are given and have one value per attribution. */
    Optional<Double> input(int row, int feature) {
        return hasTabularInputs() ? Optional.of(inputs[row][feature]) : Optional.empty();
    }

    /** One feature's input value over the rows; only with tabular inputs. */
    double[] inputColumn(int feature) {
        double[] out = new double[rows()];
        for (int r = 0; r < out.length; r++) {
            out[r] = input(r, feature).orElseThrow();
        }
        return out;
    }

    /** One feature's attribution over the rows. */
    double[] valueColumn(int feature) {
        double[] out = new double[rows()];
        for (int r = 0; r < out.length; r++) {
            out[r] = values[r][feature];
        }
        return out;
    }

    boolean hasTabularInputs() {
        return inputs != null && inputs[0].length == width();
    }

    public String featureName(int feature) {
        return featureNames == null ? "x" + feature : featureNames.get(feature);
    }

    public String className(int index) {
        return classNames != null && index >= 0 && index < classNames.size() ? classNames.get(index) : "class " + index;
    }

    /** The row's checked index, or an IllegalArgumentException naming the valid range (1-based, as people count rows). */
    int checkRow(int row) {
        if (row < 0 || row >= rows()) {
            throw new IllegalArgumentException("row " + (row + 1) + " does not exist; the attributions have rows 1.." + rows());
        }
        return row;
    }

    /**
     * A feature by its name or, failing that, by its 0-based index (as in the default names x0, x1, …).
     *
     * @throws IllegalArgumentException naming the valid names and indices
     */
    public int feature(String nameOrIndex) {
        for (int f = 0; f < width(); f++) {
            if (featureName(f).equals(nameOrIndex)) {
                return f;
            }
        }
        try {
            return checkFeature(Integer.parseInt(nameOrIndex.trim()));
        } catch (NumberFormatException e) {
            List<String> names = java.util.stream.IntStream.range(0, Math.min(width(), 8)).mapToObj(this::featureName).toList();
            throw new IllegalArgumentException("no feature '" + nameOrIndex + "'; expected a name (" + String.join(", ", names)
                    + (width() > 8 ? ", …" : "") + ") or an index 0.." + (width() - 1));
        }
    }

    int checkFeature(int feature) {
        if (feature < 0 || feature >= width()) {
            throw new IllegalArgumentException("feature " + feature + " does not exist; the attributions have features 0.."
                    + (width() - 1));
        }
        return feature;
    }

    /** Mean |attribution| of each feature over the rows. */
    double[] meanAbsolute() {
        return importance.meanAbsolute();
    }

    /** Features by decreasing mean |attribution|, ties by index. */
    int[] importanceOrder() {
        return importance.ranking();
    }

    /** The targets explained, when the rows do not all explain the same one: then plots split by class. */
    Optional<int[]> differingTargets() {
        Optional<int[]> targets = attributions.targets();
        return targets.filter(t -> Arrays.stream(t).distinct().count() > 1);
    }

    /** The name of the class one row explains; empty when the attributions carry no targets. */
    Optional<String> rowTarget(int row) {
        return attributions.targets().map(t -> className(t[row]));
    }

    /** "class virginica" when every row explains the same output, else "each row's target". */
    String targetDescription() {
        Optional<int[]> targets = attributions.targets();
        if (targets.isEmpty()) {
            return "the explained output";
        }
        return differingTargets().isPresent() ? "each row's target" : className(targets.get()[0]);
    }
}
