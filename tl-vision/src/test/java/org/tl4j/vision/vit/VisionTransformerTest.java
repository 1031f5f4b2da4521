package org.tl4j.vision.vit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.vision.data.VisionDatasets;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VisionTransformerTest {

    /**
     * The shipped ViT's accuracy on the bundled 2,000 Fashion-MNIST test images, measured when it
     * was made (see the README beside the resource); the evaluation is deterministic, so the
     * measured value must come out again.
     */
    private static final double BUNDLED_SUBSET_ACCURACY = 0.8525;

    @Test
    void pretrained_bundledFashionSubset_accuracyAsDocumented() {
        PretrainedModel model = VisionTransformer.pretrained();
        DataSet data = VisionDatasets.fashionMnistSubset();
        Evaluation eval = model.graph().evaluate(new ExistingDataSetIterator(data.batchBy(500)));
        assertEquals(BUNDLED_SUBSET_ACCURACY, eval.accuracy(), 1e-9);
    }

    @Test
    void pretrained_describesFeatureAndHeadVerticesAndShape() {
        PretrainedModel model = VisionTransformer.pretrained();
        assertEquals("pooled", model.featureVertex());
        assertEquals(List.of("output"), model.headVertices());
        assertEquals(64, model.featureSize());
        assertEquals(
                VisionTransformer.architecture(VitConfig.fashionMnist(), 1).numParams(),
                model.graph().numParams());
        assertEquals(105_546, model.graph().numParams());
    }

    @Test
    void architecture_loraTargets_matchQueryAndValueOfEveryBlock() {
        VitConfig c = VitConfig.builder().depth(2).build();
        ComputationGraph graph = VisionTransformer.architecture(c, 1);
        Pattern targets = Pattern.compile(VisionTransformer.LORA_TARGETS);
        List<String> matched =
                graph.getConfiguration().getVertices().keySet().stream()
                        .filter(n -> targets.matcher(n).matches())
                        .sorted()
                        .toList();
        assertEquals(
                List.of(
                        "encoder.0.attention.query",
                        "encoder.0.attention.value",
                        "encoder.1.attention.query",
                        "encoder.1.attention.value"),
                matched);
        for (String name : matched) {
            assertTrue(graph.getLayer(name).conf().getLayer() instanceof DenseLayer, name);
        }
    }

    /** Parameters counted by hand for the shipped shape. */
    @Test
    void architecture_fashionMnistShape_parameterCountByFormula() {
        int h = 64;
        int mlp = 128;
        long embeddings = (49L * h + h) + h + 17L * h;
        long block = 2 * (2L * h) + 4 * ((long) h * h + h) + ((long) h * mlp + mlp) + (mlp * h + h);
        long head = 2L * h + (h * 10L + 10);
        assertEquals(
                embeddings + 3 * block + head,
                VisionTransformer.architecture(VitConfig.fashionMnist(), 1).numParams());
    }

    @Test
    void architecture_sameSeed_sameWeights() {
        VitConfig c = VitConfig.builder().hidden(8).heads(2).mlpSize(8).depth(1).build();
        assertEquals(
                VisionTransformer.architecture(c, 7).params(),
                VisionTransformer.architecture(c, 7).params());
        assertNotEquals(
                VisionTransformer.architecture(c, 7).params(),
                VisionTransformer.architecture(c, 8).params());
    }

    @Test
    void shippedZip_isUnderOneMegabyte() throws IOException {
        try (InputStream in =
                VisionTransformer.class.getResourceAsStream(VisionTransformer.RESOURCE)) {
            assertTrue(in.readAllBytes().length < 1_000_000);
        }
    }

    @Test
    void config_patchNotDividingImage_namesBothFields() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> VitConfig.builder().patchSize(5).build());
        assertEquals(
                "patchSize (5) must divide imageSize (28); choose a divisor of the image size",
                e.getMessage());
    }

    @Test
    void config_headsNotDividingHidden_namesBothFields() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> VitConfig.builder().heads(3).build());
        assertEquals(
                "hidden (64) must be divisible by heads (3); choose heads among the divisors of"
                        + " hidden",
                e.getMessage());
    }

    @Test
    void config_zeroDepth_throwsWithValue() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> VitConfig.builder().depth(0).build());
        assertEquals("depth must be > 0, got 0", e.getMessage());
    }

    @Test
    void parse_unknownOption_listsKnownOptions() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> VitTraining.parse(new String[] {"--epoch", "2"}));
        assertEquals(
                "unknown option '--epoch'; known options: [--data, --out, --epochs, --seed,"
                        + " --batch-size, --limit]",
                e.getMessage());
    }

    @Test
    void parse_negativeLimit_throwsWithValue() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                VitTraining.parse(
                                        new String[] {
                                            "--data", "d", "--out", "o", "--limit", "-1"
                                        }));
        assertEquals("--limit must be at least 0; got -1", e.getMessage());
    }
}
