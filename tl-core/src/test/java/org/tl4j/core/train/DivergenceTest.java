package org.tl4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.learning.config.Sgd;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.AdaptedModel;
import org.tl4j.core.strategy.FineTuning;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.testing.TinyNetworks;

@Timeout(60)
class DivergenceTest {

    @Test
    @Tag("bad-input")
    @DisplayName("learning rate 1e30 makes the loss NaN")
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

    @Test
    @Tag("bad-input")
    @DisplayName("learning rate raised to 1e30 after two good epochs keeps their checkpoint")
    void fit_divergesAfterCheckpoints_keepsTheLastGoodCheckpointOnDisk(@TempDir Path dir)
            throws Exception {
        AdaptedModel model =
                FineTuning.builder()
                        .learningRate(1e-2)
                        .build()
                        .adapt(TinyNetworks.pretrained(1, false), HeadConfig.of(3), 1);
        DataSet data = TinyNetworks.images(32, 3, 5);
        TrainingConfig config =
                TrainingConfig.builder().maxEpochs(6).patience(10).batchSize(8).seed(4).build();
        TrainingListener blowUpAfterEpoch2 =
                new TrainingListener() {
                    @Override
                    public void onEpoch(EpochResult result) {
                        if (result.epoch() == 2) {
                            model.graph().setLearningRate(1e30);
                        }
                    }
                };
        TrainingDivergedException e =
                assertThrows(
                        TrainingDivergedException.class,
                        () ->
                                new Trainer(config)
                                        .withCheckpoints(dir)
                                        .withListener(blowUpAfterEpoch2)
                                        .fit(model, data, data));
        assertTrue(e.getMessage().contains("in epoch 3"), e.getMessage());

        Path file = Checkpoint.file(dir, model.strategy());
        Checkpoint.Loaded kept =
                Checkpoint.load(
                                file,
                                new Checkpoint.Identity(
                                        model.strategy(), 4, 8, model.graph().numParams()))
                        .orElseThrow();
        assertEquals(2, kept.state().epoch(), "the checkpoint of the last good epoch stays");
        assertFalse(BooleanIndexing.or(kept.params(), Conditions.isNan()));
        assertFalse(BooleanIndexing.or(kept.params(), Conditions.isInfinite()));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no partial checkpoint left beside it");
        }
    }
}
