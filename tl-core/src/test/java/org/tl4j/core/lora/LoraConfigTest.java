package org.tl4j.core.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoraConfigTest {

    @Test
    void toJson_everyFieldSet_roundTripsExactly() {
        LoraConfig config =
                LoraConfig.builder()
                        .rank(16)
                        .alpha(32.5)
                        .dropout(0.1)
                        .targets(".*_q", ".*_v")
                        .exclusions("layer0_q")
                        .modulesToSave("head")
                        .bias(LoraBias.LORA_ONLY)
                        .init(LoraInit.GAUSSIAN)
                        .useRsLora(true)
                        .rankOverride(".*_v", 4)
                        .rankOverride(".*", 2)
                        .alphaOverride(".*_q", 0.1 + 0.2)
                        .seed(-7L)
                        .build();
        String json = config.toJson();
        LoraConfig back = LoraConfig.fromJson(json);
        assertEquals(config, back);
        assertEquals(json, back.toJson());
        assertEquals(0.1 + 0.2, back.alphaFor("x_q"));
        assertEquals(4, back.rankFor("x_v"));
        assertEquals(2, back.rankFor("x_k"));
    }

    @Test
    void toBuilder_variant_leavesOriginalUnchanged() {
        LoraConfig a = LoraConfig.builder().targets("q").build();
        LoraConfig b = a.toBuilder().rank(4).build();
        assertEquals(8, a.rank());
        assertEquals(4, b.rank());
        assertEquals(a.targets(), b.targets());
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of(
                        "rank zero",
                        (Supplier<LoraConfig>)
                                () -> LoraConfig.builder().rank(0).targets("q").build(),
                        "rank must be > 0"),
                Arguments.of(
                        "rank negative",
                        (Supplier<LoraConfig>)
                                () -> LoraConfig.builder().rank(-3).targets("q").build(),
                        "got -3"),
                Arguments.of(
                        "alpha zero",
                        (Supplier<LoraConfig>)
                                () -> LoraConfig.builder().alpha(0).targets("q").build(),
                        "alpha must be"),
                Arguments.of(
                        "alpha NaN",
                        (Supplier<LoraConfig>)
                                () -> LoraConfig.builder().alpha(Double.NaN).targets("q").build(),
                        "got NaN"),
                Arguments.of(
                        "dropout one",
                        (Supplier<LoraConfig>)
                                () -> LoraConfig.builder().dropout(1.0).targets("q").build(),
                        "dropout must be in [0, 1)"),
                Arguments.of(
                        "dropout negative",
                        (Supplier<LoraConfig>)
                                () -> LoraConfig.builder().dropout(-0.1).targets("q").build(),
                        "got -0.1"),
                Arguments.of(
                        "no targets",
                        (Supplier<LoraConfig>) () -> LoraConfig.builder().build(),
                        "targets must name"),
                Arguments.of(
                        "bad regex",
                        (Supplier<LoraConfig>) () -> LoraConfig.builder().targets("q(").build(),
                        "invalid regular expression"),
                Arguments.of(
                        "target kept",
                        (Supplier<LoraConfig>)
                                () -> LoraConfig.builder().targets("q").modulesToSave("q").build(),
                        "both targets and modulesToSave"),
                Arguments.of(
                        "rank override",
                        (Supplier<LoraConfig>)
                                () ->
                                        LoraConfig.builder()
                                                .targets("q")
                                                .rankOverride("q", 0)
                                                .build(),
                        "rankOverrides[q] must be > 0"),
                Arguments.of(
                        "layer dropout",
                        (Supplier<Object>)
                                () ->
                                        new LoraDenseLayer.Builder()
                                                .nIn(4)
                                                .nOut(4)
                                                .rank(2)
                                                .loraDropout(1.5)
                                                .build(),
                        "loraDropout must be in [0, 1)"),
                Arguments.of(
                        "layer rank",
                        (Supplier<Object>)
                                () -> new LoraDenseLayer.Builder().nIn(4).nOut(3).rank(4).build(),
                        "rank must be <= min(nIn, nOut) = 3"));
    }

    @ParameterizedTest(name = "LoRA configuration: {0}")
    @MethodSource("badConfigs")
    @Tag("bad-input")
    void build_badValue_throwsNamingFieldAndValue(String name, Supplier<?> build, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("LoRA configuration JSON with rank -1")
    void fromJson_invalidValue_throwsWithFieldName() {
        String json =
                LoraConfig.builder()
                        .targets("q")
                        .build()
                        .toJson()
                        .replace("\"rank\" : 8", "\"rank\" : -1");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LoraConfig.fromJson(json));
        assertTrue(e.getMessage().contains("rank must be > 0"), e.getMessage());
        assertTrue(e.getMessage().contains("got -1"), e.getMessage());
    }
}
