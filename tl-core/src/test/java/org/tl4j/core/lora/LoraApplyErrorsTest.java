package org.tl4j.core.lora;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad inputs that only the graph can reveal; each asserts the message. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Tag("bad-input")
class LoraApplyErrorsTest {

    static Stream<Arguments> badApplications() {
        return Stream.of(
                Arguments.of(
                        "rank above min(in, out)",
                        (Supplier<ComputationGraph>) () -> LoraTestNets.mlp(1),
                        LoraConfig.builder().rank(7).targets("v").build(),
                        "rank must be <= min(nIn, nOut) = 5 for layer 'v'"),
                Arguments.of(
                        "rank override above min",
                        (Supplier<ComputationGraph>) () -> LoraTestNets.mlp(1),
                        LoraConfig.builder().rank(2).targets("fc1").rankOverride("fc1", 9).build(),
                        "got 9"),
                Arguments.of(
                        "pattern matching nothing",
                        (Supplier<ComputationGraph>) () -> LoraTestNets.mlp(1),
                        LoraConfig.builder().targets("query").build(),
                        "targets pattern \"query\" matches no layer (patterns must match the "
                                + "whole name); the layers are: [fc1, q, v, out]"),
                Arguments.of(
                        "kept pattern matching nothing",
                        (Supplier<ComputationGraph>) () -> LoraTestNets.mlp(1),
                        LoraConfig.builder().targets("q").modulesToSave("head").build(),
                        "modulesToSave pattern \"head\" matches no layer"),
                Arguments.of(
                        "all targets excluded",
                        (Supplier<ComputationGraph>) () -> LoraTestNets.mlp(1),
                        LoraConfig.builder().targets("q").exclusions("q").build(),
                        "is excluded by [q]"),
                Arguments.of(
                        "convolution target",
                        (Supplier<ComputationGraph>) () -> LoraTestNets.cnn(1),
                        LoraConfig.builder().rank(1).targets("conv").build(),
                        "target layer 'conv' is a ConvolutionLayer; LoRA targets must be dense"),
                Arguments.of(
                        "output layer target",
                        (Supplier<ComputationGraph>) () -> LoraTestNets.mlp(1),
                        LoraConfig.builder().rank(1).targets("out").build(),
                        "target layer 'out' is a OutputLayer"),
                Arguments.of(
                        "target and kept",
                        (Supplier<ComputationGraph>) () -> LoraTestNets.mlp(1),
                        LoraConfig.builder().rank(1).targets("q|out").modulesToSave("out").build(),
                        "layer 'out' matches both targets"),
                Arguments.of(
                        "already adapted",
                        (Supplier<ComputationGraph>)
                                () -> Lora.apply(LoraTestNets.mlp(1), LoraTestNets.config()),
                        LoraConfig.builder().rank(1).targets("q").build(),
                        "already carries a LoRA adapter"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badApplications")
    void apply_badTarget_throwsWithMessage(
            String name, Supplier<ComputationGraph> graph, LoraConfig config, String expected) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Lora.apply(graph.get(), config));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
