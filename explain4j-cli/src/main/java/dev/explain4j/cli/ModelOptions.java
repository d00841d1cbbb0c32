package dev.explain4j.cli;

import dev.explain4j.io.ClassNames;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.OutputSpace;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** How a command names and opens its model. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "a DL4J model zip or a Keras .h5 file (recognised by content)")
    Path model;

    @Option(names = "--graph-output", paramLabel = "NAME",
            description = "for a graph with several outputs, the output to explain")
    String graphOutput;

    @Option(names = "--output-space", paramLabel = "SPACE", defaultValue = "probability",
            description = "probability (what the network outputs; default) or logit (the last layer before its activation)")
    String outputSpace;

    @Option(names = "--precision", paramLabel = "TYPE", defaultValue = "float",
            description = "float (float32, default) or double (float64): the type the network and the attributions are computed in")
    String precision;

    @Option(names = "--class-names", paramLabel = "a,b,c|@FILE",
            description = "names of the model's outputs by index, or @FILE with one name per line (default: MODEL.classes"
                    + " beside the model when there is one); --target then takes a name too")
    String classNames;

    /**
     * The model's class names: --class-names, else the sidecar MODEL.classes, else none (empty); one per output.
     *
     * @throws IllegalArgumentException naming the option or file when the names are malformed or of the wrong count
     */
    List<String> classNames(NetworkModel opened) {
        String source = classNames != null ? "--class-names" : ClassNames.sidecarOf(model).toString();
        List<String> names = classNames != null ? ClassNames.parse(classNames, "--class-names")
                : ClassNames.sidecar(model).orElse(List.of());
        if (names.isEmpty()) {
            return names;
        }
        int outputs;
        try {
            outputs = opened.outputSize();
        } catch (IllegalStateException dependsOnTheInput) {
            return names;
        }
        return ClassNames.checkCount(names, outputs, source);
    }


    NetworkModel open() {
        DataType type = switch (precision.trim().toLowerCase(Locale.ROOT)) {
            case "float", "float32" -> DataType.FLOAT;
            case "double", "float64" -> DataType.DOUBLE;
            default -> throw new IllegalArgumentException("--precision must be float or double, got '" + precision + "'");
        };
        return ModelLoader.load(model, graphOutput).withOutputSpace(OutputSpace.parse(outputSpace)).withDataType(type);
    }
}
