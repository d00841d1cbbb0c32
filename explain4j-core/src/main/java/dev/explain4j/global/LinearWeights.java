package dev.explain4j.global;

import dev.explain4j.model.Inputs;
import dev.explain4j.model.LayerInfo;
import dev.explain4j.model.NetworkModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * Weight analysis of a linear model, or of a network's first dense layer: importance of input j for output k is
 * |w_jk| · std(x_j), the change in that output (or first-layer unit) caused by a one-standard-deviation change of the
 * input. For a network whose only layer is dense with identity activation (checked on the data: the outputs must be
 * x·W + b) this is the model's own sensitivity; otherwise it describes the first layer only, and
 * {@link Result#wholeModel()} says which.
 *
 * @see GlobalImportance for importance of any model from its attributions
 */
public final class LinearWeights {
    /**
     * @param perOutput  [outputs][inputs] |w_jk| · std(x_j)
     * @param overall    per input: the mean over outputs
     * @param std        population standard deviation of each input over the data
     * @param wholeModel whether the layer is the whole model (then the figures are the model's)
     */
    public record Result(String layer, double[][] perOutput, double[] overall, double[] std, boolean wholeModel) {
        public Result {
            perOutput = Copies.of(perOutput);
            overall = overall.clone();
            std = std.clone();
        }

        @Override
        public double[][] perOutput() {
            return Copies.of(perOutput);
        }

        @Override
        public double[] overall() {
            return overall.clone();
        }

        @Override
        public double[] std() {
            return std.clone();
        }
    }

    private final NetworkModel model;

    private LinearWeights(NetworkModel model) {
        this.model = model;
    }

    /**
     * The weights of {@code model}'s first layer, which must be dense (a DenseLayer or an OutputLayer with a weight
     * matrix taking the flat input); {@link #compute} says otherwise.
     */
    public static LinearWeights of(NetworkModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        return new LinearWeights(model);
    }

    /**
     * @param data [rows, inputs], the flattened rows whose spread scales the weights
     * @throws IllegalArgumentException naming the first layer's kind when it is not dense
     */
    public Result compute(INDArray data) {
        List<LayerInfo> layers = model.layers();
        LayerInfo first = layers.stream().filter(l -> l.index() >= 0).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the model has no layers"));
        boolean dense = first.kind().equals("DenseLayer") || first.kind().equals("OutputLayer");
        INDArray w = model.layerParameters(first.name()).get("W");
        if (!dense || w == null || w.rank() != 2) {
            throw new IllegalArgumentException("weight analysis needs a dense first layer; the first layer '" + first.name()
                    + "' is a " + first.kind());
        }
        double[][] weights = Inputs.rowsAsDoubles(w);
        boolean whole = layers.size() == 2 && isAffineOnData(weights, model.layerParameters(first.name()).get("b"), data);
        return scaled(weights, data, first.name(), whole);
    }

    /** @param weights [inputs, outputs] as DL4J stores a dense layer's "W"; @param data [rows, inputs] */
    private static Result scaled(double[][] weights, INDArray data, String layer, boolean wholeModel) {
        int in = weights.length;
        double[][] x = Inputs.rowsAsDoubles(data);
        if (x[0].length != in) {
            throw new IllegalArgumentException("the data has " + x[0].length + " columns, the weights " + in + " inputs");
        }
        double[] std = new double[in];
        for (int j = 0; j < in; j++) {
            double mean = 0;
            for (double[] row : x) {
                mean += row[j] / x.length;
            }
            for (double[] row : x) {
                std[j] += (row[j] - mean) * (row[j] - mean) / x.length;
            }
            std[j] = Math.sqrt(std[j]);
        }
        int out = weights[0].length;
        double[][] perOutput = new double[out][in];
        double[] overall = new double[in];
        for (int k = 0; k < out; k++) {
            for (int j = 0; j < in; j++) {
                perOutput[k][j] = Math.abs(weights[j][k]) * std[j];
                overall[j] += perOutput[k][j] / out;
            }
        }
        return new Result(layer, perOutput, overall, std, wholeModel);
    }

    /**
     * Whether the model's output on the data is x·W + b (within float precision): a one-layer network whose activation
     * is the identity. Checked on the outputs rather than read from the configuration, so a softmax or a sigmoid on
     * top, in whatever form the model declares it, makes it false.
     */
    private boolean isAffineOnData(double[][] weights, INDArray bias, INDArray data) {
        INDArray x = data.castTo(DataType.DOUBLE).reshape('c', data.size(0), -1);
        INDArray expected = x.mmul(org.nd4j.linalg.factory.Nd4j.createFromArray(weights));
        if (bias != null) {
            expected.addiRowVector(bias.castTo(DataType.DOUBLE).reshape(1, -1));
        }
        INDArray actual = model.predict(data.castTo(model.dataType())).castTo(DataType.DOUBLE);
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        double tolerance = (model.dataType() == DataType.DOUBLE ? 1e-9 : 1e-4) * scale;
        return java.util.Arrays.equals(actual.shape(), expected.shape())
                && actual.sub(expected).amaxNumber().doubleValue() <= tolerance;
    }
}
