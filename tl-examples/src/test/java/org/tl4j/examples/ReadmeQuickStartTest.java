package org.tl4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's "Use tl4j from Maven" example must be the consumer project's code, which CI compiles
 * and runs against the installed tl4j artifacts: both mark the region with {@code quickstart:begin}
 * / {@code quickstart:end}, and this test fails when the regions differ.
 */
class ReadmeQuickStartTest {

    /** Surefire runs in the module's folder; the repository root is its parent. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static final Path README = ROOT.resolve("README.md");

    private static final Path QUICK_START =
            ROOT.resolve("examples/consumer/src/main/java/org/tl4j/example/QuickStart.java");

    @Test
    void readmeQuickStart_equalsConsumerCode() throws IOException {
        List<String> readme =
                region(
                        Files.readAllLines(README),
                        "<!-- quickstart:begin -->",
                        "<!-- quickstart:end -->",
                        README);
        List<String> java =
                region(
                        Files.readAllLines(QUICK_START),
                        "// quickstart:begin",
                        "// quickstart:end",
                        QUICK_START);

        // The README wraps the code in a ```java fence; the Java file indents it inside a method.
        assertTrue(
                readme.size() >= 2
                        && readme.get(0).equals("```java")
                        && readme.get(readme.size() - 1).equals("```"),
                "README's quickstart region must be one ```java block; found " + readme);
        List<String> readmeCode = readme.subList(1, readme.size() - 1);
        assertEquals(
                String.join("\n", dedent(java)),
                String.join("\n", readmeCode),
                "README.md's quickstart differs from "
                        + ROOT.relativize(QUICK_START)
                        + ": edit both together");
    }

    @Test
    void region_missingEndMarker_namesFileAndMarker() {
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                region(
                                        List.of("a", "// begin", "b"),
                                        "// begin",
                                        "// end",
                                        Path.of("F")));
        assertEquals(
                "F must contain exactly one line '// begin' followed by one line '// end';"
                        + " found 1 and 0",
                e.getMessage());
    }

    @Test
    void dedent_commonIndentation_isRemovedAndInnerIndentationKept() {
        assertEquals(
                List.of("a", "    b", "", "c"), dedent(List.of("    a", "        b", "", "    c")));
    }

    /** The lines strictly between the only {@code begin} and {@code end} marker lines. */
    static List<String> region(List<String> lines, String begin, String end, Path source) {
        List<Integer> begins = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.equals(begin)) {
                begins.add(i);
            } else if (line.equals(end)) {
                ends.add(i);
            }
        }
        if (begins.size() != 1 || ends.size() != 1 || ends.get(0) < begins.get(0)) {
            throw new IllegalStateException(
                    source
                            + " must contain exactly one line '"
                            + begin
                            + "' followed by one line '"
                            + end
                            + "'; found "
                            + begins.size()
                            + " and "
                            + ends.size());
        }
        return lines.subList(begins.get(0) + 1, ends.get(0)).stream()
                .map(String::stripTrailing)
                .toList();
    }

    /** Removes the indentation that every non-blank line shares. */
    static List<String> dedent(List<String> lines) {
        int indent =
                lines.stream()
                        .filter(line -> !line.isBlank())
                        .mapToInt(line -> line.length() - line.stripLeading().length())
                        .min()
                        .orElse(0);
        return lines.stream().map(line -> line.isBlank() ? "" : line.substring(indent)).toList();
    }
}
