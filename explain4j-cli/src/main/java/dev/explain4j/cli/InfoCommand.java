package dev.explain4j.cli;

import dev.explain4j.model.ComputeBackend;
import dev.explain4j.model.LayerInfo;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.TokenInput;
import org.deeplearning4j.nn.conf.RNNFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Shows a model's layers (the names --layer takes), input shape and layout, output size, and the compute backend.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Override
    public Integer call() {
        NetworkModel model = modelOptions.open();
        PrintWriter out = spec.commandLine().getOut();
        out.println("model:        " + modelOptions.model + " (" + model.networkKind() + ")");
        long[] shape = model.inputShape();
        out.println("input:        " + (shape == null ? "not declared by the network" : "[rows, " + describe(shape) + "]")
                + layout(model) + "; CSV rows are flattened row-major in this layout");
        out.println("output size:  " + outputSize(model) + " (" + model.outputSpace().name().toLowerCase(Locale.ROOT) + ")");
        java.util.List<String> classes = modelOptions.classNames(model);
        if (!classes.isEmpty()) {
            out.println("classes:      " + String.join(", ", classes) + " (--target takes these names)");
        }
        out.println("data type:    " + model.dataType().name().toLowerCase(Locale.ROOT));
        out.println("backend:      " + backend());
        out.println("layers (--layer takes the name or the index):");
        for (LayerInfo layer : model.layers()) {
            out.printf(Locale.ROOT, "  %5s  %-28s %s%s%n", layer.index() < 0 ? "" : Integer.toString(layer.index()), layer.name(), layer.kind(),
                    layer.format() == null ? "" : " [" + layer.format() + "]");
        }
        return 0;
    }

    /** What the input's dimensions are, for token and sequence models. */
    private static String layout(NetworkModel model) {
        Optional<TokenInput> tokens = model.tokenInput();
        if (tokens.isPresent()) {
            TokenInput t = tokens.get();
            return " token ids in [0, " + t.vocabulary() + ")" + (t.length() < 0 ? " (any length)" : "") + ", embedded into "
                    + t.dimension() + " values per token";
        }
        return model.sequenceFormat().map(f -> f == RNNFormat.NWC ? " sequences [time, features] (NWC)"
                : " sequences [features, time] (NCW)").orElse("");
    }

    private static String describe(long[] shape) {
        return String.join(", ", Arrays.stream(shape).mapToObj(d -> d < 0 ? "any" : Long.toString(d)).toList());
    }

    private static String outputSize(NetworkModel model) {
        try {
            return Integer.toString(model.outputSize());
        } catch (IllegalStateException e) {
            return "depends on the input";
        }
    }

    static String backend() {
        return ComputeBackend.describe();
    }
}
