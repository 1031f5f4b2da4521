package org.tl4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tl4j.core.strategy.LoraStrategy;
import org.tl4j.core.tune.LoraSpace;
import org.tl4j.core.tune.SearchMethod;
import org.tl4j.core.tune.TransferCandidate;
import org.tl4j.examples.tune.TextTuning;
import org.tl4j.examples.tune.VisionTuning;

@Timeout(120)
class TuneCommandTest {

    /** Exit code of a command-line usage error. */
    private static final int USAGE = 2;

    @Test
    @Tag("bad-input")
    @DisplayName("tune --strategy lora on the vision task (LoRA tunes the text task)")
    void run_loraOnTheVisionTask_failsSayingWhyAndWhereItWorks() {
        StringWriter err = new StringWriter();
        assertEquals(Tl.FAILED, Tl.run(new PrintWriter(err, true), "tune", "--strategy", "lora"));
        assertTrue(err.toString().contains("--task text"), err.toString());
        UnsupportedOperationException e =
                assertThrows(
                        UnsupportedOperationException.class,
                        () -> VisionTuning.requireAvailable("lora"));
        assertTrue(e.getMessage().contains("--task text"), e.getMessage());
    }

    @Test
    void run_unknownSearchMethod_failsListingTheKnownOnes() {
        assertEquals(Tl.FAILED, Tl.run("tune", "--search", "bayes"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SearchMethod.of("bayes"));
        assertEquals(
                "search: unknown method 'bayes'; known: random, grid, genetic", e.getMessage());
    }

    @ParameterizedTest
    @Tag("bad-input")
    @ValueSource(strings = {"vision", "text"})
    void run_unknownStrategy_failsListingTheKnownOnes(String task) {
        StringWriter err = new StringWriter();
        assertEquals(
                Tl.FAILED,
                Tl.run(
                        new PrintWriter(err, true),
                        "tune",
                        "--task",
                        task,
                        "--strategy",
                        "distillation"));
        assertTrue(
                err.toString().startsWith("tl: ") && err.toString().contains("'distillation'"),
                err.toString());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TextTuning.requireKnown("distillation"));
        assertTrue(e.getMessage().contains("lora"), e.getMessage());
    }

    @Test
    @Tag("bad-input")
    void run_badOptionValues_areUsageErrors() {
        assertEquals(USAGE, Tl.run("tune", "--task", "text", "--labels", "0"));
        assertEquals(USAGE, Tl.run("tune", "--task", "text", "--epochs", "0"));
        assertEquals(USAGE, Tl.run("tune", "--max-minutes", "0"));
        assertEquals(USAGE, Tl.run("tune", "--epochs", "3"), "--epochs is for text only");
        assertEquals(USAGE, Tl.run("tune", "--task", "audio"));
    }

    @Test
    void textTuning_loraDefaults_areTheComparisonsAndLieInsideTheSearchedRanges() {
        TransferCandidate defaults = TextTuning.defaults(LoraStrategy.NAME, 2, 3, 42);
        LoraStrategy lora = (LoraStrategy) defaults.strategy();
        LoraSpace space = TextTuning.lora(2, 3, 42);

        assertEquals(CompareTasks.TEXT_LORA, lora.lora());
        assertEquals(8, lora.lora().rank());
        assertEquals(16.0, lora.lora().alpha());
        assertEquals(List.of("encoder\\.\\d+\\.attention\\.(query|value)"), lora.lora().targets());
        assertEquals(3e-3, lora.learningRate());
        assertEquals(3, defaults.training().maxEpochs());
        assertEquals(TextTuning.BATCH_SIZE, defaults.training().batchSize());
        assertTrue(
                space.toString().contains("rank=DiscreteParameterSpace(4,8,16)"), space.toString());
        assertTrue(space.toString().contains("LogUniform(0.001, 0.01)"), space.toString());
    }
}
