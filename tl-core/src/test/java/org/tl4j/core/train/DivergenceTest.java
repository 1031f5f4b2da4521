package org.tl4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.learning.config.Sgd;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.AdaptedModel;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.testing.TinyNetworks;

@Timeout(60)
class DivergenceTest {

    @Test
    void fit_learningRateThatBlowsUp_stopsWithMessageAndKeepsFiniteParameters() {
        PretrainedModel base = TinyNetworks.pretrained(1, false);
        ComputationGraph graph =
                new TransferLearning.GraphBuilder(base.graph())
                        .fineTuneConfiguration(
                                new FineTuneConfiguration.Builder().updater(new Sgd(1e30)).build())
                        .build();
        AdaptedModel model =
                AdaptedModel.of("sgd-1e30", base, HeadConfig.of(3), graph, List.of("output"));
        DataSet data = TinyNetworks.images(32, 3, 5);
        INDArray initial = model.graph().params().dup();
        TrainingDivergedException e =
                assertThrows(
                        TrainingDivergedException.class,
                        () ->
                                new Trainer(
                                                TrainingConfig.builder()
                                                        .maxEpochs(20)
                                                        .batchSize(8)
                                                        .build())
                                        .fit(model, data, data));
        assertTrue(
                e.getMessage().contains("loss became") && e.getMessage().contains("epoch "),
                e.getMessage());
        INDArray kept = model.graph().params();
        assertFalse(BooleanIndexing.or(kept, Conditions.isNan()), "NaN parameters kept");
        if (e.getMessage().contains("the starting parameters")) {
            assertEquals(initial, kept);
        }
    }
}
