package dev.explain4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A quick A/B check outside JMH for a busy machine: runs the chosen GradientBench cases interleaved, round after
 * round, and prints each case's minimum and median. Minimums are what a shared machine disturbs least.
 * Usage: Probe MODEL ROUNDS CASE... (cases: floorDl4j floorEngine igBatched igNaive saliency smoothGrad, and ig@N for IG at internal batch size N).
 */
public final class Probe {
    private Probe() {
    }

    public static void main(String[] args) {
        GradientBench bench = new GradientBench();
        bench.model = args[0];
        bench.setUp();
        int rounds = Integer.parseInt(args[1]);
        Map<String, List<Double>> times = new LinkedHashMap<>();
        List<String> cases = Arrays.asList(args).subList(2, args.length);
        for (int round = -2; round < rounds; round++) {
            for (String c : cases) {
                long start = System.nanoTime();
                switch (c) {
                    case "floorDl4j" -> bench.floorDl4j();
                    case "floorEngine" -> bench.floorEngine();
                    case "igBatched" -> bench.igBatched();
                    case "igNaive" -> bench.igNaive();
                    case "saliency" -> bench.saliency();
                    case "smoothGrad" -> bench.smoothGrad();
                    default -> {
                        if (!c.startsWith("ig@")) {
                            throw new IllegalArgumentException(c);
                        }
                        dev.explain4j.gradient.IntegratedGradients.of(bench.explained).withSteps(GradientBench.STEPS)
                                .withBatchSize(Integer.parseInt(c.substring(3)))
                                .attribute(bench.x, dev.explain4j.model.Target.perRow(bench.targets));
                    }
                }
                double ms = (System.nanoTime() - start) / 1e6;
                if (round >= 0) {
                    times.computeIfAbsent(c, k -> new ArrayList<>()).add(ms);
                }
            }
        }
        times.forEach((c, t) -> {
            double[] s = t.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "%-12s %-7s min %8.1f ms  median %8.1f ms%n", c, args[0], s[0], s[s.length / 2]);
        });
    }
}
