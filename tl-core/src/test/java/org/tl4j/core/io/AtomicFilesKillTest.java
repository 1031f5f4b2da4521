package org.tl4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A process killed while saving leaves the previous file intact. */
@Timeout(120)
class AtomicFilesKillTest {

    /** Child process: starts overwriting the file slowly, says so, and never finishes. */
    public static final class SlowWriter {
        public static void main(String[] args) throws Exception {
            Path target = Path.of(args[0]);
            AtomicFiles.write(
                    target,
                    out -> {
                        byte[] chunk = new byte[1 << 16];
                        Arrays.fill(chunk, (byte) 2);
                        out.write(chunk);
                        out.flush();
                        System.out.println("writing");
                        System.out.flush();
                        while (true) {
                            out.write(chunk);
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
        }
    }

    @Test
    void write_processKilledMidWrite_leavesPreviousFileIntact(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("model.zip");
        byte[] previous = new byte[1 << 20];
        Arrays.fill(previous, (byte) 1);
        AtomicFiles.write(target, out -> out.write(previous));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child =
                new ProcessBuilder(
                                List.of(
                                        java,
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        SlowWriter.class.getName(),
                                        target.toString()))
                        .redirectErrorStream(true)
                        .start();
        try (BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.equals("writing")) {
                // skip anything else the child prints
            }
            assertEquals("writing", line, "child never started writing");
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertArrayEquals(previous, Files.readAllBytes(target));
    }
}
