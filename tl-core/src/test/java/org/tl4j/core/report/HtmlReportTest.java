package org.tl4j.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tl4j.core.compare.ComparisonRow;
import org.tl4j.core.compare.ComparisonTable;
import org.tl4j.core.train.EpochResult;

@Timeout(60)
class HtmlReportTest {

    private static ComparisonTable table() {
        List<ComparisonRow> rows = new ArrayList<>();
        String[] strategies = {"from-scratch", "feature-extraction", "fine-tuning"};
        int[] budgets = {10, 100};
        for (int b : budgets) {
            for (int s = 0; s < strategies.length; s++) {
                List<EpochResult> history =
                        List.of(
                                new EpochResult(1, 2.0 - s, 1.9 - s, 0.3, 1),
                                new EpochResult(2, 1.5 - s * 0.3, 1.4, 0.5 + s * 0.1, 1));
                rows.add(
                        new ComparisonRow(
                                "task",
                                strategies[s],
                                b,
                                0.5 + 0.1 * s + b / 1000.0,
                                0.45 + 0.1 * s,
                                1000L * (s + 1),
                                5000L * s,
                                8000L * (s + 1),
                                1.5 * (s + 1),
                                100_000_000L,
                                50_000_000L * (s + 1),
                                2,
                                2,
                                history));
            }
        }
        return new ComparisonTable(rows);
    }

    @Test
    void writeTo_embedsEveryPlotAndEveryNumberOfTheTable(@TempDir Path dir) throws Exception {
        ComparisonTable table = table();
        Path html =
                new HtmlReport(
                                "Comparison",
                                table,
                                RunInfo.current(Map.of("seed", "42")),
                                List.of("a note"))
                        .writeTo(dir);
        String page = Files.readString(html);
        for (ComparisonRow row : table.rows()) {
            for (String cell : ComparisonTable.cells(row)) {
                assertTrue(page.contains("<td>" + cell + "</td>"), "missing cell " + cell);
            }
        }
        Matcher images = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)").matcher(page);
        int embedded = 0;
        while (images.find()) {
            assertNotBlank(
                    ImageIO.read(
                            new ByteArrayInputStream(Base64.getDecoder().decode(images.group(1)))));
            embedded++;
        }
        assertEquals(7, embedded, "accuracy, F1, parameters, time, memory, 2 learning curves");
        assertTrue(page.contains("seed") && page.contains("backend"), "run info missing");
    }

    @Test
    void writeTo_savesPngsOfTheExpectedSizeBesideTheReport(@TempDir Path dir) throws Exception {
        new HtmlReport("Comparison", table(), RunInfo.current(Map.of()), List.of()).writeTo(dir);
        for (String name :
                List.of(
                        "accuracy.png",
                        "macro-f1.png",
                        "trainable-parameters.png",
                        "training-time.png",
                        "peak-memory.png",
                        "learning-curves-10.png")) {
            BufferedImage image = ImageIO.read(dir.resolve(name).toFile());
            assertEquals(Charts.WIDTH, image.getWidth(), name);
            assertEquals(Charts.HEIGHT, image.getHeight(), name);
            assertNotBlank(image);
        }
    }

    private static void assertNotBlank(BufferedImage image) {
        int first = image.getRGB(0, 0);
        long differing = 0;
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                if (image.getRGB(x, y) != first) {
                    differing++;
                }
            }
        }
        assertTrue(differing > 1000, "image looks blank: " + differing + " differing pixels");
    }
}
