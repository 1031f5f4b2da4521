package org.tl4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad command lines: each ends with its exit code (2 bad usage, 1 the work failed) and a message
 * naming the option and the value seen, before any data or model is loaded.
 */
@Tag("bad-input")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CliBadInputTest {

    @TempDir static Path dir;

    private static final int USAGE = 2;

    static Stream<Arguments> badCommandLines() throws IOException {
        Path file = Files.writeString(dir.resolve("results.txt"), "not a folder");
        return Stream.of(
                Arguments.of(
                        "compare --task audio (unknown task)",
                        List.of("compare", "--task", "audio"),
                        USAGE,
                        "Invalid value for option '--task': expected one of [vision, text, all]"
                                + " (case-sensitive) but was 'audio'"),
                Arguments.of(
                        "compare --labels 0",
                        List.of("compare", "--labels", "0"),
                        USAGE,
                        "--labels: every value must be at least 1, got [0]"),
                Arguments.of(
                        "compare --labels ten (not a number)",
                        List.of("compare", "--labels", "ten"),
                        USAGE,
                        "Invalid value for option '--labels'"),
                Arguments.of(
                        "compare --batch-size 0",
                        List.of("compare", "--batch-size", "0"),
                        USAGE,
                        "--batch-size must be at least 1, got 0"),
                Arguments.of(
                        "compare --epochs -3",
                        List.of("compare", "--epochs", "-3"),
                        USAGE,
                        "--epochs must be at least 1, got -3"),
                Arguments.of(
                        "compare --learning-rate (unknown option)",
                        List.of("compare", "--learning-rate", "0.1"),
                        USAGE,
                        "Unknown options: '--learning-rate', '0.1'"),
                Arguments.of(
                        "compare --task vision --strategies distillation (unknown strategy)",
                        List.of("compare", "--task", "vision", "--strategies", "distillation"),
                        USAGE,
                        "--strategies: unknown strategy 'distillation' for this task; known:"
                                + " [from-scratch, feature-extraction, fine-tuning, vit-lora]"),
                Arguments.of(
                        "compare --strategies distillation (unknown to every task)",
                        List.of("compare", "--strategies", "distillation"),
                        USAGE,
                        "--strategies: unknown strategy 'distillation' for any task; known:"
                                + " [from-scratch, feature-extraction, fine-tuning, vit-lora,"
                                + " lora]"),
                Arguments.of(
                        "compare --output that is a file",
                        List.of("compare", "--output", file.toString(), "--no-cache"),
                        USAGE,
                        "--output: cannot use " + file + " as a folder: " + file + " is a file"),
                Arguments.of(
                        "compare --output under a parent that is a file",
                        List.of("compare", "--output", file.resolve("out").toString()),
                        USAGE,
                        "--output: cannot use "
                                + file.resolve("out")
                                + " as a folder: "
                                + file
                                + " is a file"),
                Arguments.of(
                        "compare --cache under a parent that is a file",
                        List.of(
                                "compare",
                                "--output",
                                dir.resolve("ok").toString(),
                                "--cache",
                                file.resolve("cache").toString()),
                        USAGE,
                        "--cache: cannot use " + file.resolve("cache") + " as a folder"),
                Arguments.of(
                        "unknown command",
                        List.of("train"),
                        USAGE,
                        "Unmatched argument at index 0: 'train'"),
                Arguments.of(
                        "tune --search bayes (unknown search method)",
                        List.of("tune", "--search", "bayes"),
                        Tl.FAILED,
                        "tl: search: unknown method 'bayes'; known: random, grid, genetic"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void run_badCommandLine_exitsWithCodeAndMessage(
            String name, List<String> args, int exitCode, String message) throws IOException {
        StringWriter err = new StringWriter();
        int code = Tl.run(new PrintWriter(err, true), args.toArray(String[]::new));
        assertEquals(exitCode, code, err.toString());
        assertTrue(err.toString().contains(message), err.toString());
        assertFalse(
                Files.exists(dir.resolve("ok")), "nothing may be written for a bad command line");
        List<Path> left = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(left::add);
        }
        assertEquals(List.of(dir.resolve("results.txt")), left, "no file written: " + left);
    }
}
