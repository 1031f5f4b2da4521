package org.tl4j.core.strategy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.testing.TinyNetworks;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingConfig;

/** Each bad input ends in an exception whose message names the problem and the value seen. */
@Timeout(60)
@Tag("bad-input")
class BadInputTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "unknown feature vertex lists the vertices",
                        (Executable)
                                () ->
                                        PretrainedModel.builder(TinyNetworks.cnn(1, false))
                                                .inputType(InputType.convolutional(6, 6, 1))
                                                .featureVertex("fc7")
                                                .build(),
                        "no vertex named 'fc7'",
                        "[conv1, features, output, pool]"),
                Arguments.of(
                        "unknown head vertex",
                        (Executable)
                                () ->
                                        PretrainedModel.builder(TinyNetworks.cnn(1, false))
                                                .inputType(InputType.convolutional(6, 6, 1))
                                                .featureVertex("features")
                                                .headVertices("logits")
                                                .build(),
                        "headVertices: no vertex named 'logits'",
                        "vertices are"),
                Arguments.of(
                        "freezing every pretrained layer in fine-tuning",
                        (Executable) () -> Unfreeze.topLayers(0),
                        "at least 1, got 0",
                        "FeatureExtraction"),
                Arguments.of(
                        "unknown unfreeze vertex",
                        (Executable)
                                () ->
                                        FineTuning.builder()
                                                .unfreeze(Unfreeze.after("conv9"))
                                                .build()
                                                .adapt(
                                                        TinyNetworks.pretrained(1, false),
                                                        HeadConfig.of(3),
                                                        1),
                        "no vertex named 'conv9'",
                        "conv1"),
                Arguments.of(
                        "learning rate out of range",
                        (Executable) () -> FineTuning.builder().learningRate(0).build(),
                        "learningRate must be in (0, 1]",
                        "got 0.0"),
                Arguments.of(
                        "ratio out of range",
                        (Executable)
                                () -> FineTuning.builder().pretrainedLearningRateRatio(2).build(),
                        "pretrainedLearningRateRatio",
                        "got 2.0"),
                Arguments.of(
                        "one class",
                        (Executable) () -> HeadConfig.of(1),
                        "numClasses must be at least 2",
                        "got 1"),
                Arguments.of(
                        "dropout of one",
                        (Executable) () -> HeadConfig.builder(3).dropout(1).build(),
                        "dropout must be in [0, 1)",
                        "got 1.0"),
                Arguments.of(
                        "hidden width zero",
                        (Executable) () -> HeadConfig.builder(3).hiddenSizes(List.of(0)).build(),
                        "hiddenSizes",
                        "[0]"),
                Arguments.of(
                        "labels with other class count than the head",
                        (Executable) () -> fit(HeadConfig.of(4), TinyNetworks.images(8, 3, 1)),
                        "labels have 3 classes",
                        "built for 4"),
                Arguments.of(
                        "NaN in features",
                        (Executable) () -> fit(HeadConfig.of(3), withNaN()),
                        "NaN or infinite",
                        "example 2"),
                Arguments.of(
                        "batch size zero",
                        (Executable) () -> TrainingConfig.builder().batchSize(0).build(),
                        "batchSize must be at least 1",
                        "got 0"));
    }

    private static void fit(HeadConfig head, DataSet data) {
        AdaptedModel model =
                FeatureExtraction.defaults().adapt(TinyNetworks.pretrained(1, false), head, 1);
        new Trainer(TrainingConfig.builder().maxEpochs(1).build()).fit(model, data, data);
    }

    private static DataSet withNaN() {
        DataSet data = TinyNetworks.images(6, 3, 1);
        data.getFeatures().putScalar(new int[] {2, 0, 1, 1}, Double.NaN);
        return data;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInput_failsWithMessageNamingTheValue(
            String name, Executable call, String part1, String part2) {
        RuntimeException e = assertThrows(RuntimeException.class, call);
        assertTrue(
                e instanceof IllegalArgumentException || e instanceof IllegalStateException,
                "unexpected type " + e);
        assertTrue(
                e.getMessage().contains(part1) && e.getMessage().contains(part2),
                "message was: " + e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("empty training data (0 examples)")
    void fit_emptyTrainingData_isRejected() {
        DataSet empty = new DataSet(Nd4j.zeros(0, 1, 6, 6), Nd4j.zeros(0, 3));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> fit(HeadConfig.of(3), empty));
        assertTrue(e.getMessage().contains("training data is empty"), e.getMessage());
    }
}
