package org.tl4j.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.tl4j.core.lora.LoraConfig;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.testing.TinyNetworks;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingConfig;

@Timeout(120)
class LoraStrategyTest {

    private static final LoraStrategy STRATEGY =
            new LoraStrategy(
                    LoraConfig.builder().rank(2).alpha(4).targets("features").build(), 1e-2);

    @Test
    void adapt_trainsAdaptersAndHeadOnly_countMatchesFormula() {
        PretrainedModel base = TinyNetworks.pretrained(1, false);
        AdaptedModel model = STRATEGY.adapt(base, HeadConfig.of(3), 3);
        long adapters = 2L * (16 + 8);
        long head = 8L * 3 + 3;
        assertEquals(adapters + head, model.parameterCounts().trainable());
        INDArray input = TinyNetworks.images(4, 3, 1).getFeatures();
        assertEquals(
                base.graph().feedForward(input, false).get("features"),
                model.graph().feedForward(input, false).get("features"),
                "B starts at zero, so features equal the base's");
    }

    @Test
    void fit_leavesBaseWeightsBitIdentical() {
        PretrainedModel base = TinyNetworks.pretrained(2, false);
        AdaptedModel model = STRATEGY.adapt(base, HeadConfig.of(3), 3);
        ComputationGraph g = model.graph();
        INDArray conv = g.getLayer("conv1").params().dup();
        INDArray w = g.getLayer("features").getParam("W").dup();
        INDArray bias = g.getLayer("features").getParam("b").dup();
        INDArray b = g.getLayer("features").getParam("B").dup();
        INDArray head = g.getLayer("head.output").params().dup();
        DataSet data = TinyNetworks.images(48, 3, 5);
        new Trainer(TrainingConfig.builder().maxEpochs(3).batchSize(16).build())
                .fit(model, data, data);
        assertEquals(conv, g.getLayer("conv1").params());
        assertEquals(w, g.getLayer("features").getParam("W"));
        assertEquals(bias, g.getLayer("features").getParam("b"));
        assertNotEquals(b, g.getLayer("features").getParam("B"), "adapter B must train");
        assertNotEquals(head, g.getLayer("head.output").params());
        assertTrue(
                model.parameterCounts().optimizerStateBytes()
                        < 2L * 4 * model.parameterCounts().total());
    }
}
