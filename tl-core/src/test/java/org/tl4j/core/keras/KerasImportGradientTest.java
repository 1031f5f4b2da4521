package org.tl4j.core.keras;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Finite-difference check of the imported graph's backward pass, including attention with a value
 * size (5) that differs from the key size (3), the sequence flattening and the key mask.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KerasImportGradientTest {

    private static int threads;
    private static int masterThreads;
    private static DataType dataType;
    private static DataType floatType;

    /** Double precision (GradientCheckUtil requires it) and one ND4J thread for the tiny ops. */
    @BeforeAll
    static void setUp() {
        dataType = Nd4j.dataType();
        floatType = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        threads = Nd4j.getEnvironment().maxThreads();
        masterThreads = Nd4j.getEnvironment().maxMasterThreads();
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(dataType, floatType);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(masterThreads);
    }

    @Test
    void gradients_importedEncoderWithPaddingAndHead_matchFiniteDifferences() {
        String fixture = "encoder-block-bias";
        ImportedKerasModel m = KerasModelImporter.importModel(KerasFixtures.path(fixture + ".h5"));
        ComputationGraph graph = KerasFixtures.withHead(m.graph(), new NoOp());
        graph = graph.convertDataType(DataType.DOUBLE);
        INDArray x = KerasFixtures.npy(fixture + "-x.npy").castTo(DataType.DOUBLE);
        INDArray mask = KerasFixtures.npy(fixture + "-mask.npy").castTo(DataType.DOUBLE);
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {1, 0}});
        assertTrue(
                GradientCheckUtil.checkGradients(
                        new GradientCheckUtil.GraphConfig()
                                .net(graph)
                                .inputs(new INDArray[] {x, mask})
                                .labels(new INDArray[] {labels})
                                .epsilon(1e-6)
                                .maxRelError(1e-4)
                                .minAbsoluteError(1e-8)));
    }
}
