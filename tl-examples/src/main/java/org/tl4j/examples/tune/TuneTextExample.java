package org.tl4j.examples.tune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tl4j.core.compare.TransferTask;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.LoraStrategy;
import org.tl4j.examples.tasks.SpamTask;
import org.tl4j.nlp.bert.PretrainedBert;

/**
 * Tunes LoRA rank and learning rate of all-MiniLM-L6-v2 on ham-vs-spam e-mails with a random search
 * ({@link TextTuning#lora}: rank 4, 8 or 16, learning rate 1e-3 to 1e-2), then trains tl4j's
 * default LoRA configuration (rank 8, alpha 16, query and value, 3e-3) and the best candidate once
 * more and compares both on the validation and the held-out test e-mails.
 *
 * <p>Arguments (all optional): {@code CANDIDATES MAX_MINUTES LABELS_PER_CLASS EPOCHS MAX_TOKENS
 * OUTPUT_DIR}; defaults 8, 10, 32, 3, 48, {@code tl-out/tune-text-example}.
 */
public final class TuneTextExample {

    private static final long SEED = 42;

    private TuneTextExample() {}

    /** Runs the search and the comparison; see the class documentation for the arguments. */
    public static void main(String[] args) throws IOException {
        int candidates = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int labels = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int maxTokens = args.length > 4 ? Integer.parseInt(args[4]) : 48;
        Path output = Path.of(args.length > 5 ? args[5] : "tl-out/tune-text-example");

        // The task at the label budget and the pretrained encoder, loaded once.
        PretrainedBert bert = PretrainedBert.allMiniLmL6V2();
        SpamTask task = new SpamTask(List.of(labels), bert.tokenizer(), maxTokens);
        TransferTask.Split split = task.split(labels);
        PretrainedModel base = bert.pretrainedModel("all-MiniLM-L6-v2");

        // The search over LoRA rank and learning rate, then tl4j's default LoRA against the best.
        SearchAgainstDefault.run(
                TextTuning.lora(task.numClasses(), epochs, SEED),
                candidates,
                minutes,
                SEED,
                base,
                task,
                split,
                TextTuning.defaults(LoraStrategy.NAME, task.numClasses(), epochs, SEED),
                output);
    }
}
