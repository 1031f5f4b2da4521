package org.tl4j.core.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Forward behaviour of the blocks: padding invariance, names, save/load, exact GELU. */
class TransformerBlocksTest {

    static {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @TempDir Path dir;

    @Test
    void output_extraPadding_leavesPooledOutputUnchanged() {
        ComputationGraph graph = TinyEncoder.build(3, new Adam(1e-3), Pooling.MASKED_MEAN);
        MultiDataSet padded = TinyEncoder.batch(9, 6, 3, 6);
        INDArray[] f = padded.getFeatures();
        INDArray[] firstOnly = new INDArray[3];
        for (int i = 0; i < 3; i++) {
            firstOnly[i] = f[i].get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(0, 3));
        }
        INDArray batched = graph.output(f)[0].getRow(0);
        INDArray alone = graph.output(firstOnly)[0].getRow(0);
        assertEquals(0.0, Transforms.abs(batched.sub(alone)).maxNumber().doubleValue(), 1e-12);
    }

    @Test
    void addEncoderBlock_projections_areNamedDenseLayers() {
        ComputationGraph graph = TinyEncoder.build(3, new Adam(1e-3), Pooling.FIRST_TOKEN);
        for (String p :
                new String[] {
                    "attention.query",
                    "attention.key",
                    "attention.value",
                    "attention.output",
                    "ffn.intermediate",
                    "ffn.output"
                }) {
            assertTrue(graph.getLayer("encoder.1." + p).conf().getLayer() instanceof DenseLayer, p);
        }
    }

    @Test
    void writeModel_thenRestore_givesSameOutputAndConfig() throws IOException {
        ComputationGraph graph = TinyEncoder.build(5, new Adam(1e-3), Pooling.FIRST_TOKEN);
        graph.fit(TinyEncoder.batch(1, 5, 5, 2));
        File file = dir.resolve("tiny.zip").toFile();
        ModelSerializer.writeModel(graph, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        assertEquals(graph.getConfiguration().toJson(), restored.getConfiguration().toJson());
        INDArray[] in = TinyEncoder.batch(2, 5, 4, 5).getFeatures();
        assertEquals(graph.output(in)[0], restored.output(in)[0]);
    }

    @Test
    void erfGelu_knownValues_matchExactFormula() {
        INDArray x = Nd4j.createFromArray(-3.0, -1.0, 0.0, 0.5, 2.0);
        INDArray y = new ErfGeluActivation().getActivation(x.dup(), false);
        // x * Phi(x), Phi from tables of the standard normal distribution
        double[] expected = {
            -3 * 0.0013498980316301,
            -0.15865525393145707,
            0.0,
            0.5 * 0.6914624612740131,
            2 * 0.9772498680518208
        };
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], y.getDouble(i), 1e-12);
        }
    }

    @Test
    @Tag("bad-input")
    @DisplayName("encoder block with 3 heads for hidden size 10")
    void encoderBlockConfig_headsNotDividingHidden_namesBothFields() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new EncoderBlockConfig(10, 3, 16, 1e-12, new ErfGeluActivation()));
        assertEquals(
                "hidden (10) must be divisible by heads (3); choose heads among the divisors"
                        + " of hidden",
                e.getMessage());
    }
}
