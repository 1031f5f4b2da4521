package org.tl4j.vision.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.vision.data.VisionDatasets;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FashionMnistBackboneTest {

    /**
     * Accuracy floor on the bundled 2,000 Fashion-MNIST test images. The shipped network measured
     * 0.8900 on them (and 0.8831 on the full 10,000-image test split); an untrained one is near
     * 0.1.
     */
    private static final double ACCURACY_FLOOR = 0.85;

    @Test
    void pretrained_bundledFashionSubset_accuracyAboveFloor() {
        PretrainedModel model = FashionMnistBackbone.pretrained();
        DataSet data = VisionDatasets.fashionMnistSubset();
        Evaluation eval = model.graph().evaluate(new ExistingDataSetIterator(data.batchBy(500)));
        assertTrue(eval.accuracy() > ACCURACY_FLOOR, "accuracy " + eval.accuracy());
    }

    @Test
    void pretrained_describesFeatureAndHeadVertices() {
        PretrainedModel model = FashionMnistBackbone.pretrained();
        assertEquals("pool2", model.featureVertex());
        assertEquals(List.of("features", "output"), model.headVertices());
        assertEquals(4 * 4 * 50, model.featureSize());
        assertTrue(model.normalizer().isEmpty(), "pixels come in 0..1 from the IDX reader");
    }

    @Test
    void architecture_untrained_sameShapeAsPretrainedButDifferentWeights() {
        ComputationGraph fresh = FashionMnistBackbone.architecture(1);
        ComputationGraph shipped = FashionMnistBackbone.pretrained().graph();
        assertEquals(shipped.numParams(), fresh.numParams());
        assertNotEquals(shipped.params(), fresh.params());
    }

    @Test
    void architecture_sameSeed_sameWeights() {
        assertEquals(
                FashionMnistBackbone.architecture(7).params(),
                FashionMnistBackbone.architecture(7).params());
        assertNotEquals(
                FashionMnistBackbone.architecture(7).params(),
                FashionMnistBackbone.architecture(8).params());
    }

    @Test
    void shippedZip_isUnderTwoMegabytes() throws IOException {
        try (InputStream in =
                FashionMnistBackbone.class.getResourceAsStream(FashionMnistBackbone.RESOURCE)) {
            assertTrue(in.readAllBytes().length < 2_000_000);
        }
    }

    @Test
    @Tag("bad-input")
    @DisplayName("unknown option of the backbone trainer")
    void parse_unknownOption_listsKnownOptions() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> FashionMnistTraining.parse(new String[] {"--epoch", "2"}));
        assertEquals(
                "unknown option '--epoch'; known options: [--data, --out, --epochs,"
                        + " --seed, --batch-size, --limit]",
                e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("backbone trainer with 0 epochs")
    void parse_zeroEpochs_throwsWithValue() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                FashionMnistTraining.parse(
                                        new String[] {
                                            "--data", "d", "--out", "o", "--epochs", "0"
                                        }));
        assertEquals("--epochs must be at least 1; got 0", e.getMessage());
    }
}
