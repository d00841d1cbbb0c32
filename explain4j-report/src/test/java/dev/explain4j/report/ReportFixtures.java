package dev.explain4j.report;

import dev.explain4j.core.Attributions;
import dev.explain4j.model.ImageGeometry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic but realistic report inputs: digit-like images, attributions of ten methods, and a tabular case. */
final class ReportFixtures {
    static final ImageGeometry MNIST = new ImageGeometry(28, 28, 1, null, true);
    static final List<String> IMAGE_METHODS = List.of("integrated-gradients", "saliency", "gradient-x-input",
            "smoothgrad", "expected-gradients", "grad-cam", "occlusion", "feature-ablation", "kernel-shap", "lime");

    private ReportFixtures() {
    }

    /** A ring of radius depending on the row, bright on black, flat c,h,w rows in [0, 1]. */
    static double[][] digits(int rows) {
        double[][] x = new double[rows][28 * 28];
        for (int r = 0; r < rows; r++) {
            double radius = 6 + r % 5;
            for (int y = 0; y < 28; y++) {
                for (int c = 0; c < 28; c++) {
                    double d = Math.hypot(y - 14, c - 14 + (r % 3) - 1);
                    x[r][y * 28 + c] = Math.max(0, 1 - Math.abs(d - radius) / 2.0);
                }
            }
        }
        return x;
    }

    static double[][] probabilities(int rows, int classes, long seed) {
        Random random = new Random(seed);
        double[][] p = new double[rows][classes];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                p[r][c] = Math.exp(random.nextGaussian() + (c == r % classes ? 4 : 0));   // the class r mod 10 wins
                sum += p[r][c];
            }
            for (int c = 0; c < classes; c++) {
                p[r][c] /= sum;
            }
        }
        return p;
    }

    /**
     * Attributions of one method over the images: the input times a signed bump plus noise, or a 7×7 Grad-CAM map.
     * Noise makes the PNGs compress badly, so size bounds measured on these hold for real maps.
     */
    static Attributions imageAttributions(String method, double[][] inputs, long seed) {
        Random random = new Random(seed);
        int rows = inputs.length;
        boolean cam = method.equals("grad-cam");
        int side = cam ? 7 : 28;
        double[] flat = new double[rows * side * side];
        for (int r = 0; r < rows; r++) {
            for (int y = 0; y < side; y++) {
                for (int c = 0; c < side; c++) {
                    double v;
                    if (cam) {
                        v = Math.max(0, Math.exp(-(Math.pow(y - 3, 2) + Math.pow(c - 2 - r % 3, 2)) / 4.0) + 0.1 * random.nextGaussian());
                    } else {
                        double bump = c < 14 ? 1 : -0.6;
                        v = inputs[r][y * 28 + c] * bump * 0.01 + 0.002 * random.nextGaussian();
                    }
                    // saliency is a gradient's magnitude: never negative
                    flat[(r * side + y) * side + c] = method.equals("saliency") ? Math.abs(v) : v;
                }
            }
        }
        Attributions.Builder b = Attributions.builder(method,
                cam ? Nd4j.create(flat, new long[] {rows, side, side}, DataType.DOUBLE)
                        : Nd4j.create(flat, new long[] {rows, 28 * 28}, DataType.DOUBLE));
        int[] targets = new int[rows];
        double[] outputs = new double[rows];
        for (int r = 0; r < rows; r++) {
            targets[r] = r % 10;
            outputs[r] = 0.5 + 0.05 * r;
        }
        b.targets(targets).targetOutputs(outputs);
        if (method.equals("integrated-gradients")) {
            double[] delta = new double[rows];
            int[] steps = new int[rows];
            double[] base = new double[rows];
            for (int r = 0; r < rows; r++) {
                delta[r] = 1e-4 * (r + 1) * (r % 2 == 0 ? 1 : -1);
                steps[r] = 16 << (r % 3);
                base[r] = 0.1;
            }
            b.completenessDelta(delta).stepsUsed(steps).referenceOutputs(base)
                    .parameter("steps", 64).parameter("integration", "gausslegendre").parameter("tolerance", 0.001);
        }
        if (cam) {
            b.parameter("layer", "conv2").parameter("relu", true).parameter("upsampling", "none");
        }
        return b.build();
    }

    static List<Attributions> allImageMethods(double[][] inputs) {
        List<Attributions> out = new ArrayList<>();
        for (int m = 0; m < IMAGE_METHODS.size(); m++) {
            out.add(imageAttributions(IMAGE_METHODS.get(m), inputs, 1000 + m));
        }
        return out;
    }

    static ModelSummary mnistModel() {
        return new ModelSummary("mnist-cnn.zip", List.of(
                new ModelSummary.Layer(0, "conv1", "ConvolutionLayer"),
                new ModelSummary.Layer(1, "pool1", "SubsamplingLayer"),
                new ModelSummary.Layer(2, "conv2", "ConvolutionLayer"),
                new ModelSummary.Layer(3, "dense", "DenseLayer"),
                new ModelSummary.Layer(4, "output", "OutputLayer")),
                List.of(784L), 10, "CpuBackend", "FLOAT");
    }

    /** A full image report: samples with probabilities and all ten methods. */
    static HtmlReport.Builder imageReport(int samples) {
        double[][] x = digits(samples);
        double[][] p = probabilities(samples, 10, 7);
        HtmlReport.Builder b = HtmlReport.builder(mnistModel()).title("explain4j report: synthetic digits")
                .source("digits.csv").image(MNIST)
                .classNames(List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"));
        for (int r = 0; r < samples; r++) {
            b.addSample(Sample.of("digits.csv row " + (r + 1), x[r]).withProbabilities(p[r]));
        }
        allImageMethods(x).forEach(b::addAttributions);
        return b;
    }

    /** A tabular report: 6 features, 3 samples, 3 methods that roughly agree. */
    static HtmlReport.Builder tabularReport(List<String> featureNames, List<String> classNames) {
        int rows = 3;
        int features = featureNames.size();
        Random random = new Random(3);
        double[][] x = new double[rows][features];
        HtmlReport.Builder b = HtmlReport.builder(new ModelSummary("credit.h5", List.of(
                        new ModelSummary.Layer(0, "dense_1", "DenseLayer"), new ModelSummary.Layer(1, "out", "OutputLayer")),
                List.of((long) features), classNames.size(), "CpuBackend", "FLOAT"))
                .source("applicants.csv").featureNames(featureNames).classNames(classNames);
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                x[r][f] = Math.round(random.nextGaussian() * 100) / 10.0;
            }
            double[] p = probabilities(1, classNames.size(), r)[0];
            b.addSample(Sample.of("applicants.csv row " + (r + 1), x[r]).withProbabilities(p));
        }
        for (String method : List.of("integrated-gradients", "kernel-shap", "lime")) {
            double[] flat = new double[rows * features];
            for (int r = 0; r < rows; r++) {
                for (int f = 0; f < features; f++) {
                    flat[r * features + f] = x[r][f] * (f % 2 == 0 ? 0.3 : -0.2) + 0.05 * random.nextGaussian();
                }
            }
            Attributions.Builder a = Attributions.builder(method, Nd4j.create(flat, new long[] {rows, features}, DataType.DOUBLE))
                    .targets(new int[] {0, 1 % classNames.size(), 0});
            if (method.equals("integrated-gradients")) {
                a.completenessDelta(new double[] {1e-5, -2e-5, 3e-6}).targetOutputs(new double[] {0.9, 0.2, 0.55});
            }
            if (method.equals("lime")) {
                // LIME's surrogate figures, unrounded as a fit gives them
                a.intercepts(new double[] {0.12345678901234567, -0.0987654321012345, 0.5555555555555556})
                        .fitScores(new double[] {0.9876543210987654, 0.7142857142857143, 0.3333333333333333})
                        .localPredictions(new double[] {0.6180339887498949, 0.41421356237309515, 0.7071067811865476})
                        .targetOutputs(new double[] {0.6213203435596424, 0.4, 0.7320508075688772})
                        .parameter("kernel-width", 0.75 * Math.sqrt(6));
            }
            b.addAttributions(a.build());
        }
        return b;
    }
}
