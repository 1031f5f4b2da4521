package org.tl4j.core.lora;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** DL4J's numerical gradient check on the adapter parameters, in double precision. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoraGradientCheckTest {

    private DataType savedType;
    private DataType savedFloatType;

    @BeforeEach
    void doublePrecision() {
        savedType = Nd4j.dataType();
        savedFloatType = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void restorePrecision() {
        Nd4j.setDefaultDataTypes(savedType, savedFloatType);
    }

    @ParameterizedTest
    // LoraBias.ALL freezes v's weights by a zero learning rate, which GradientCheckUtil rejects;
    // its LoRA-layer bias path is the one LORA_ONLY checks.
    @EnumSource(
            value = LoraBias.class,
            names = {"NONE", "LORA_ONLY"})
    void checkGradients_adapterParams_matchNumericalGradients(LoraBias bias) {
        ComputationGraph base = LoraTestNets.mlp(DataType.DOUBLE, 7, new NoOp());
        ComputationGraph adapted =
                Lora.apply(
                        base,
                        LoraTestNets.config().toBuilder()
                                .bias(bias)
                                .useRsLora(bias == LoraBias.LORA_ONLY)
                                .build());
        // B = 0 makes dL/dA vanish: give B values so that both gradients are exercised.
        Nd4j.getRandom().setSeed(11);
        for (String name : new String[] {"fc1", "q"}) {
            INDArray b = adapted.getLayer(name).getParam("B");
            b.assign(Nd4j.rand(DataType.DOUBLE, b.shape()).subi(0.5));
        }
        DataSet ds = LoraTestNets.data(5, 9, DataType.DOUBLE);
        // Base weights have no analytic gradient by design (they are frozen): exclude them, and
        // the biases that do not train under this bias mode.
        Set<String> excluded =
                bias == LoraBias.NONE
                        ? Set.of("fc1_W", "fc1_b", "q_W", "q_b", "v_W", "v_b")
                        : Set.of("fc1_W", "q_W", "v_W", "v_b");
        boolean ok =
                GradientCheckUtil.checkGradients(
                        new GradientCheckUtil.GraphConfig()
                                .net(adapted)
                                .inputs(new INDArray[] {ds.getFeatures()})
                                .labels(new INDArray[] {ds.getLabels()})
                                .epsilon(1e-6)
                                .maxRelError(1e-3)
                                .minAbsoluteError(1e-8)
                                .excludeParams(excluded));
        assertTrue(ok, "gradient check failed for bias mode " + bias);
    }
}
