package dev.explain4j.cli;

import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.OutputSpace;
import picocli.CommandLine.Option;

import java.nio.file.Path;

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

    NetworkModel open() {
        return ModelLoader.load(model, graphOutput).withOutputSpace(OutputSpace.parse(outputSpace));
    }
}
