package dev.explain4j.cli;

import dev.explain4j.core.Attributions;
import dev.explain4j.core.Reference;
import dev.explain4j.gradient.IntegratedGradients;
import dev.explain4j.gradient.TokenAttribution;
import dev.explain4j.model.NetworkModel;
import dev.explain4j.model.Target;
import dev.explain4j.testing.TokenNetworks;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** explain and info on a small token model (the toy task: label = "token 7 occurs") saved to a temporary zip. */
class TokenModelCliTest {
    @TempDir
    static Path dir;
    private static MultiLayerNetwork net;
    private static Path model;
    private static Path ids;
    private static INDArray rows;

    @BeforeAll
    static void saveModelAndIds() throws Exception {
        net = TokenNetworks.trainedToyModel();
        model = dir.resolve("toy-tokens.zip");
        ModelSerializer.writeModel(net, model.toFile(), false);
        INDArray all = TokenNetworks.sequences(8, 21);
        rows = all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2, 8), org.nd4j.linalg.indexing.NDArrayIndex.all());
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < rows.size(0); r++) {
            csv.append(String.join(",", Arrays.stream(rows.getRow(r).toIntVector()).mapToObj(Integer::toString).toList()))
                    .append('\n');
        }
        ids = Files.writeString(dir.resolve("ids.csv"), csv);
    }

    private static double[][] readCsv(Path file) throws Exception {
        List<double[]> values = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            values.add(Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray());
        }
        return values.toArray(double[][]::new);
    }

    @Test
    void infoReportsTokenIdsOfTheSequenceLength() {
        CliRun run = CliRun.of("info", "--model", model.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("input:        [rows, 12] token ids in [0, 50), embedded into 8 values per token")
                .doesNotContain("NCHW");
    }

    @Test
    void infoReportsASequenceOfVectorsInItsLayoutAndNoImageFormat() throws Exception {
        for (org.deeplearning4j.nn.conf.RNNFormat format : org.deeplearning4j.nn.conf.RNNFormat.values()) {
            MultiLayerNetwork conv = new MultiLayerNetwork(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                    .seed(3).list()
                    .layer(new org.deeplearning4j.nn.conf.layers.Convolution1DLayer.Builder().nIn(3).nOut(4).kernelSize(2)
                            .rnnDataFormat(format).build())
                    .layer(new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.Builder(
                            org.deeplearning4j.nn.conf.layers.PoolingType.AVG).build())
                    .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(4).nOut(2).build())
                    .build());
            conv.init();
            Path file = dir.resolve("conv1d-" + format + ".zip");
            ModelSerializer.writeModel(conv, file.toFile(), false);
            CliRun run = CliRun.of("info", "--model", file.toString());
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains(format == org.deeplearning4j.nn.conf.RNNFormat.NCW
                    ? "input:        [rows, 3, any] sequences [features, time] (NCW)"
                    : "input:        [rows, any, 3] sequences [time, features] (NWC)").doesNotContain("NCHW");
        }
    }

    @Test
    void integratedGradientsPerTokenAreTheLibrarysWithTheReferenceTokenGiven() throws Exception {
        Path out = dir.resolve("ig.csv");
        CliRun run = CliRun.of("explain", "--model", model.toString(), "--input", ids.toString(), "--method",
                "integrated-gradients", "--target", "1", "--reference-token", "3", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        double[][] written = readCsv(out);
        try (NetworkModel network = NetworkModel.of(net)) {
            Attributions expected = TokenAttribution.of(network, (after, b) -> IntegratedGradients.of(after).withReference(b))
                    .withReference(Reference.constant(3)).attribute(rows, Target.index(1));
            assertThat(written).hasNumberOfRows(4);
            for (int r = 0; r < 4; r++) {
                assertThat(written[r]).hasSize(TokenNetworks.LENGTH);
                for (int t = 0; t < TokenNetworks.LENGTH; t++) {
                    assertThat(written[r][t]).isCloseTo(expected.values().getDouble(r, t), within(1e-6));
                }
            }
        }
        Path byDefault = dir.resolve("ig-default.csv");
        assertThat(CliRun.of("explain", "--model", model.toString(), "--input", ids.toString(), "--method",
                "integrated-gradients", "--target", "1", "--out", byDefault.toString()).exit()).isZero();
        assertThat(readCsv(byDefault)[0]).isNotEqualTo(written[0]);
    }

    @Test
    void featureAblationWithTheReferenceTokenFindsTokenSeven() throws Exception {
        Path out = dir.resolve("ablation.csv");
        CliRun run = CliRun.of("explain", "--model", model.toString(), "--input", ids.toString(), "--method",
                "feature-ablation", "--target", "1", "--reference-token", "0", "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        double[][] written = readCsv(out);
        for (int r = 0; r < written.length; r++) {
            int top = Nd4j.createFromArray(written[r]).argMax().getInt(0);
            assertThat(rows.getInt(r, top)).as("row %d", r).isEqualTo(TokenNetworks.KEY_TOKEN);
        }
    }

    @Test
    void withAPadIdPaddedPositionsGetZeroFromEveryKindOfMethodAndRealTokensTheLibrarysValues() throws Exception {
        INDArray padded = rows.dup();
        padded.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(8, 12)).assign(0);
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < padded.size(0); r++) {
            csv.append(String.join(",", Arrays.stream(padded.getRow(r).toIntVector()).mapToObj(Integer::toString).toList()))
                    .append('\n');
        }
        Path paddedIds = Files.writeString(dir.resolve("padded-ids.csv"), csv);
        for (String method : List.of("integrated-gradients", "kernel-shap", "lime")) {
            Path out = dir.resolve("padded-" + method + ".csv");
            List<String> args = new ArrayList<>(List.of("explain", "--model", model.toString(), "--input",
                    paddedIds.toString(), "--method", method, "--target", "1", "--pad-id", "0", "--reference-token", "3",
                    "--out", out.toString()));
            if (!method.equals("integrated-gradients")) {
                args.addAll(List.of("--samples", "300"));
            }
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exit()).as(run.err()).isZero();
            double[][] written = readCsv(out);
            try (NetworkModel network = NetworkModel.of(net).withPadId(0)) {
                Attributions expected = dev.explain4j.core.MethodRegistry.create(method, network,
                        new dev.explain4j.core.MethodSettings(Reference.constant(3), null, null, null, null, null, null,
                                300, 0L, 4096), padded).attribute(padded, Target.index(1));
                for (int r = 0; r < written.length; r++) {
                    for (int t = 0; t < TokenNetworks.LENGTH; t++) {
                        if (t >= 8) {
                            assertThat(written[r][t]).as("%s row %d position %d", method, r, t).isZero();
                        } else {
                            assertThat(written[r][t]).isCloseTo(expected.values().getDouble(r, t), within(1e-6));
                        }
                    }
                }
            }
        }
        Path out = dir.resolve("never-padded.csv");
        CliRun outside = CliRun.of("explain", "--model", model.toString(), "--input", paddedIds.toString(), "--method",
                "occlusion", "--pad-id", "50", "--out", out.toString());
        assertThat(outside.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(outside.err()).contains("--pad-id 50: padding id 50 is not a token id of the network's vocabulary (0..49)");
        CliRun notTokens = CliRun.of("explain", "--model", "models/iris-mlp.zip", "--input", "models/iris-samples.csv",
                "--method", "occlusion", "--pad-id", "0", "--out", out.toString());
        assertThat(notTokens.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(notTokens.err()).contains("--pad-id 0: a padding id masks sequences of token ids; this network takes no token ids");
        assertThat(out).doesNotExist();
    }

    @Test
    void wordGroupsFromACsvMakeAWordsPositionsOnePlayerAndBadGroupsExitWithTwo() throws Exception {
        int[] words = {0, 0, 1, 1, 1, 2, 3, 4, 5, 5, 6, 7};
        String row = String.join(",", Arrays.stream(words).mapToObj(Integer::toString).toList());
        Path groups = Files.writeString(dir.resolve("words.csv"), String.join("\n", row, row, row, row) + "\n");
        Path out = dir.resolve("grouped.csv");
        CliRun run = CliRun.of("explain", "--model", model.toString(), "--input", ids.toString(), "--method",
                "exact-shapley", "--target", "1", "--reference-token", "0", "--groups", groups.toString(), "--out", out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        double[][] written = readCsv(out);
        try (NetworkModel network = NetworkModel.of(net)) {
            Attributions expected = dev.explain4j.perturbation.TokenPerturbation.of(network,
                    (view, reference, real) -> dev.explain4j.perturbation.ExactShapley.of(view).withReference(reference))
                    .withWordGroups(new int[][]{words}).attribute(rows, Target.index(1));
            for (int r = 0; r < written.length; r++) {
                assertThat(written[r][0]).isEqualTo(written[r][1]);
                assertThat(written[r][2]).isEqualTo(written[r][4]);
                for (int t = 0; t < TokenNetworks.LENGTH; t++) {
                    assertThat(written[r][t]).isCloseTo(expected.values().getDouble(r, t), within(1e-6));
                }
            }
        }
        Path bad = Files.writeString(dir.resolve("bad-words.csv"), "0,0,1,1,1,2,3,4,5,5,6,7\n0,0,1,-1,1,2,3,4,5,5,6,7\n");
        Path never = dir.resolve("never-grouped.csv");
        CliRun negative = CliRun.of("explain", "--model", model.toString(), "--input", ids.toString(), "--method",
                "kernel-shap", "--groups", bad.toString(), "--out", never.toString());
        assertThat(negative.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(negative.err()).contains("--groups " + bad + ": line 2, column 4: -1.0 is not a group id");
        CliRun gradient = CliRun.of("explain", "--model", model.toString(), "--input", ids.toString(), "--method",
                "saliency", "--groups", groups.toString(), "--out", never.toString());
        assertThat(gradient.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(gradient.err()).contains("feature groups apply to perturbation methods, not to saliency");
        assertThat(never).doesNotExist();
    }

    @Test
    void idsThatAreNotTokensAndReferenceTokensOutsideTheVocabularyExitWithTwo() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad-ids.csv"), "1,2,3,4,5,6,7,8,9,10,11,12\n1,2,3.5,4,5,6,7,8,9,10,11,12\n");
        Path out = dir.resolve("never.csv");
        CliRun fractional = CliRun.of("explain", "--model", model.toString(), "--input", bad.toString(), "--method",
                "saliency", "--out", out.toString());
        assertThat(fractional.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(fractional.err()).contains(bad.toString()).contains("line 2, column 3")
                .contains("3.5 is not a token id: the model takes integer ids in [0, 50)");
        CliRun outside = CliRun.of("explain", "--model", model.toString(), "--input", ids.toString(), "--method",
                "integrated-gradients", "--reference-token", "50", "--out", out.toString());
        assertThat(outside.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(outside.err()).contains("--reference-token 50: the model's token ids are 0 to 49");
        CliRun notTokens = CliRun.of("explain", "--model", "models/iris-mlp.zip", "--input", "models/iris-samples.csv",
                "--method", "integrated-gradients", "--reference-token", "0", "--out", out.toString());
        assertThat(notTokens.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(notTokens.err()).contains("--reference-token applies to models that take token ids");
        assertThat(out).doesNotExist();
    }
}
