package dev.explain4j.report;

import dev.explain4j.model.LayerInfo;
import dev.explain4j.model.NetworkModel;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the report says about the model at its top; the caller fills it (the report does not load models).
 *
 * @param name       what to call the model, e.g. its file name
 * @param layers     the layers in order
 * @param inputShape one row's shape, without the batch dimension
 * @param outputSize number of outputs (classes); negative when unknown
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

    /**
     * The summary of a DL4J network as explain4j sees it: its layers (the input pseudo-layer included), the input
     * shape it declares, its output size, the ND4J backend in use and its data type.
     */
    public static ModelSummary of(NetworkModel model, String name) {
        List<Layer> layers = model.layers().stream()
                .map((LayerInfo l) -> new Layer(l.index(), l.name(), l.kind())).toList();
        long[] shape = model.inputShape();
        int outputs;
        try {
            outputs = model.outputSize();
        } catch (IllegalStateException undeclared) {
            outputs = -1;       // a network that declares no input shape: the report says "unknown"
        }
        return new ModelSummary(name, layers, shape == null ? List.of() : Arrays.stream(shape).boxed().toList(), outputs,
                Nd4j.getBackend().getClass().getSimpleName(), model.dataType().name());
    }
}
