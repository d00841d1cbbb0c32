package dev.explain4j.report;

import java.util.List;
import java.util.Objects;

/**
 * What the report says about the model at its top; the caller fills it (the report does not load models).
 *
 * @param name       what to call the model, e.g. its file name
 * @param layers     the layers in order
 * @param inputShape one row's shape, without the batch dimension
 * @param outputSize number of outputs (classes)
 * @param backend    the ND4J backend that ran it, e.g. {@code CpuBackend}
 * @param dataType   the network's data type, e.g. {@code FLOAT}
 */
public record ModelSummary(String name, List<Layer> layers, List<Long> inputShape, int outputSize, String backend,
                           String dataType) {

    /** One layer: position, name, and kind (the layer's class). */
    public record Layer(int index, String name, String kind) {
        public Layer {
            name = Objects.requireNonNullElse(name, "");
            kind = Objects.requireNonNullElse(kind, "");
        }
    }

    public ModelSummary {
        name = Objects.requireNonNullElse(name, "model");
        layers = List.copyOf(Objects.requireNonNullElse(layers, List.of()));
        inputShape = List.copyOf(Objects.requireNonNullElse(inputShape, List.of()));
        backend = Objects.requireNonNullElse(backend, "");
        dataType = Objects.requireNonNullElse(dataType, "");
    }
}
