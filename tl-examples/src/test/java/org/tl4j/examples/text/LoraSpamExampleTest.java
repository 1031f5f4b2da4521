package org.tl4j.examples.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.core.lora.LoraAdapters;

/** The LoRA example on a tiny budget: the adapter round trip must reproduce the predictions. */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class LoraSpamExampleTest {

    @TempDir Path dir;

    @Test
    void run_tinyBudget_reloadedAdapterPredictsExactlyAsTrainedModel() throws Exception {
        Path file = dir.resolve("adapter.zip");
        LoraSpamExample.Result r =
                LoraSpamExample.run(new LoraSpamExample.Settings(4, 2, 1, 16, file, 7));

        assertEquals(1, r.training().epochs());
        assertEquals(0.0, r.trained().sub(r.reloaded()).amaxNumber().doubleValue(), 1e-6);
        // Training moved the adapters (B starts at zero) and the reload grafts a head with another
        // seed: equal outputs need both loaded.
        INDArray b = r.model().graph().getLayer("encoder.5.attention.value").getParam("B");
        assertTrue(b.norm2Number().doubleValue() > 0, "B of encoder.5.attention.value is zero");
        // Adapters (12 x 8 x (384 + 384)) and the head only: far below the 90 MB encoder.
        assertTrue(r.adapterBytes() < 1_000_000, "adapter file has " + r.adapterBytes() + " B");
        assertEquals(LoraSpamExample.NEW_EMAILS.size(), r.predictions().size());
        for (LoraSpamExample.Prediction p : r.predictions()) {
            assertTrue(p.probability() >= 0.5 && p.probability() <= 1.0, p.toString());
            assertTrue(p.label().equals("ham") || p.label().equals("spam"), p.label());
        }
        assertTrue(LoraAdapters.readConfig(file).targets().size() > 0);
    }
}
