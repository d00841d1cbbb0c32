package dev.explain4j.models;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Samples with a class label each, as read from a shipped data file, and the fixed split into training and held-out
 * rows. Rows are kept in double as read; {@link #toDataSet} converts to the network's type.
 */
public final class LabelledData {
    private final List<String> featureNames;
    private final double[][] features;
    private final int[] labels;
    private final int classes;

    LabelledData(List<String> featureNames, double[][] features, int[] labels, int classes) {
        this.featureNames = List.copyOf(featureNames);
        this.features = features;
        this.labels = labels;
        this.classes = classes;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public int size() {
        return labels.length;
    }

    public int classes() {
        return classes;
    }

    public double[] features(int row) {
        return features[row].clone();
    }

    public int label(int row) {
        return labels[row];
    }

    /** The rows at {@code indices} as features [n, width] and one-hot labels [n, classes] of the given type. */
    public DataSet toDataSet(int[] indices, DataType type) {
        double[][] x = new double[indices.length][];
        double[][] y = new double[indices.length][classes];
        for (int i = 0; i < indices.length; i++) {
            x[i] = features[indices[i]];
            y[i][labels[indices[i]]] = 1;
        }
        return new DataSet(Nd4j.createFromArray(x).castTo(type), Nd4j.createFromArray(y).castTo(type));
    }
}
