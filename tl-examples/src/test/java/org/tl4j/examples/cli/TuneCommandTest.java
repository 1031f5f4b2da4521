package org.tl4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tl4j.core.tune.SearchMethod;
import org.tl4j.examples.tune.VisionTuning;

@Timeout(120)
class TuneCommandTest {

    @Test
    @Tag("bad-input")
    @DisplayName("tune --strategy lora (not available for tuning)")
    void run_loraStrategy_failsSayingItIsNotAvailableYet() {
        StringWriter err = new StringWriter();
        assertEquals(Tl.FAILED, Tl.run(new PrintWriter(err, true), "tune", "--strategy", "lora"));
        assertTrue(err.toString().contains("lora"), err.toString());
        UnsupportedOperationException e =
                assertThrows(
                        UnsupportedOperationException.class,
                        () -> VisionTuning.requireAvailable("lora"));
        assertTrue(e.getMessage().contains("not available yet"), e.getMessage());
    }

    @Test
    void run_unknownSearchMethod_failsListingTheKnownOnes() {
        assertEquals(Tl.FAILED, Tl.run("tune", "--search", "bayes"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SearchMethod.of("bayes"));
        assertEquals(
                "search: unknown method 'bayes'; known: random, grid, genetic", e.getMessage());
    }

    @Test
    @Tag("bad-input")
    @DisplayName("tune --strategy distillation (unknown strategy)")
    void run_unknownStrategy_failsListingTheKnownOnes() {
        StringWriter err = new StringWriter();
        assertEquals(
                Tl.FAILED,
                Tl.run(new PrintWriter(err, true), "tune", "--strategy", "distillation"));
        assertTrue(
                err.toString().startsWith("tl: ") && err.toString().contains("'distillation'"),
                err.toString());
    }
}
