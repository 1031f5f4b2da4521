package org.tl4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tl4j.core.tune.SearchMethod;
import org.tl4j.examples.tune.VisionTuning;

class TuneCommandTest {

    @Test
    void run_loraStrategy_failsSayingItIsNotAvailableYet() {
        assertEquals(Tl.FAILED, Tl.run("tune", "--strategy", "lora"));
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
    void run_unknownStrategy_failsListingTheKnownOnes() {
        assertEquals(Tl.FAILED, Tl.run("tune", "--strategy", "distillation"));
    }
}
