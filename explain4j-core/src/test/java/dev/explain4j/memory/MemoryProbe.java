package dev.explain4j.memory;

import dev.explain4j.core.Attributions;
import dev.explain4j.gradient.ExpectedGradients;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.IntegrationRule;
import dev.explain4j.gradient.NoiseTunnel;
import dev.explain4j.gradient.Saliency;
import dev.explain4j.io.CsvInputReader;
import dev.explain4j.model.ModelLoader;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.core.Reference;
import dev.explain4j.perturbation.KernelShap;
import dev.explain4j.perturbation.Lime;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one large request on a shipped model in a JVM of its own, so that {@link MemoryBudgetTest} can give it a small
 * heap and off-heap limit: {@code MemoryProbe SCENARIO digits|iris ROWS COUNT} (COUNT: steps, samples or coalitions)
 * prints "DONE" with the time and figures of the result, then "PEAK" with the peak resident size (Linux) and
 * JavaCPP's off-heap limit, in bytes.
 */
public final class MemoryProbe {
    private MemoryProbe() {
    }

    public static void main(String[] args) throws IOException {
        String scenario = args[0];
        boolean digits = args[1].equals("digits");
        int rows = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        NetworkModel model = ModelLoader.load(Path.of(digits ? "models/digits-cnn.zip" : "models/iris-mlp.zip"), null);
        INDArray samples = CsvInputReader.ofWidth(digits ? 64 : 4, args[1])
                .read(Path.of(digits ? "models/digits-samples.csv" : "models/iris-samples.csv")).toArray(model.dataType());
        INDArray x = samples.repeat(0, (rows + samples.size(0) - 1) / samples.size(0))
                .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows)).dup();
        long start = System.nanoTime();
        Attributions a = switch (scenario) {
            case "ig" -> IntegratedGradients.of(model).withSteps(count).attribute(x, Target.predicted());
            case "ig-riemann" -> IntegratedGradients.of(model).withRule(IntegrationRule.RIEMANN_MIDDLE).withSteps(count)
                    .attribute(x, Target.predicted());
            case "smoothgrad" -> NoiseTunnel.of(model, Saliency.of(model)).withSamples(count).attribute(x, Target.predicted());
            case "expected-gradients" -> ExpectedGradients.of(model, Reference.distribution(samples)).withSamples(count).attribute(x, Target.predicted());
            case "lime" -> Lime.of(model, Reference.distribution(samples)).withSamples(count).attribute(x, Target.predicted());
            case "kernel-shap" -> KernelShap.of(model).withReference(Reference.rows(samples.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)))).withSamples(count)
                    .attribute(x, Target.predicted());
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
        double seconds = (System.nanoTime() - start) / 1e9;
        double delta = a.completenessDelta().map(d -> java.util.Arrays.stream(d).map(Math::abs).max().orElse(0)).orElse(Double.NaN);
        System.out.printf("DONE\t%s\t%.1f s\tmax |delta| %.3g\tsum %.6g%n", scenario, seconds, delta, a.values().sumNumber().doubleValue());
        System.out.printf("PEAK\t%d\t%d%n", peakResidentBytes(), Pointer.maxBytes());
    }

    /** VmHWM of /proc/self/status, or -1 where there is none. */
    private static long peakResidentBytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("VmHWM:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024).findFirst().orElse(-1);
    }
}
