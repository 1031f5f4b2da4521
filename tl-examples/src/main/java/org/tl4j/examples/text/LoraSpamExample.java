package org.tl4j.examples.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.strategy.AdaptedModel;
import org.tl4j.core.strategy.HeadConfig;
import org.tl4j.core.strategy.LoraStrategy;
import org.tl4j.core.train.Trainer;
import org.tl4j.core.train.TrainingConfig;
import org.tl4j.core.train.TrainingResult;
import org.tl4j.examples.tasks.TextStrategies;
import org.tl4j.nlp.bert.PretrainedBert;
import org.tl4j.nlp.data.LabelledText;
import org.tl4j.nlp.data.TextDatasets;
import org.tl4j.nlp.data.TextEncoding;
import org.tl4j.nlp.data.TextSplits;
import org.tl4j.nlp.tokenize.WordPieceTokenizer;

/**
 * Fine-tunes all-MiniLM-L6-v2 with LoRA (rank 8 on every block's query and value, new head) on the
 * bundled spam e-mails, saves only the adapter and the head, reloads them onto a freshly imported
 * encoder, checks that the reloaded model predicts exactly what the trained one does, and
 * classifies a few new e-mails.
 *
 * <p>Run: {@code TL_MAIN=org.tl4j.examples.text.LoraSpamExample ./tl [labels-per-class] [epochs]
 * [adapter-file]} (defaults 64, 3, {@code tl-out/spam-lora-adapter.zip}).
 */
public final class LoraSpamExample {

    /** New e-mails, written for this example: two spam, two ham. */
    public static final List<String> NEW_EMAILS =
            List.of(
                    "Congratulations! You have been selected to receive a FREE vacation. Click"
                            + " here now to claim your prize before the offer expires!!!",
                    "Hi Tom, the build on the release branch fails since yesterday's merge; could"
                            + " you look at the failing test before our meeting on Thursday?",
                    "Lowest prices on meds, no prescription needed. Order today and save 80%,"
                            + " discreet shipping worldwide. Unsubscribe at any time.",
                    "Thanks for the notes from the workshop. I attached the slides and the list of"
                            + " open questions; let me know if I missed anything.");

    /**
     * What to run.
     *
     * @param labelsPerClass labelled training e-mails per class, in [1, 256]
     * @param validationPerClass validation e-mails per class for early stopping, in [1, 64]
     * @param epochs maximum training epochs, at least 1
     * @param maxTokens tokens per e-mail, in [3, 512]
     * @param adapterFile where the adapter is written
     * @param seed seed of the head, adapters and batch order
     */
    public record Settings(
            int labelsPerClass,
            int validationPerClass,
            int epochs,
            int maxTokens,
            Path adapterFile,
            long seed) {}

    /** One new e-mail's prediction. */
    public record Prediction(String email, String label, double probability) {}

    /**
     * What the run did.
     *
     * @param model the trained model
     * @param training the training run
     * @param adapterBytes size of the adapter file
     * @param trained the trained model's class probabilities for {@link #NEW_EMAILS}
     * @param reloaded the reloaded model's probabilities for the same e-mails
     * @param predictions label and probability of each new e-mail
     */
    public record Result(
            AdaptedModel model,
            TrainingResult training,
            long adapterBytes,
            INDArray trained,
            INDArray reloaded,
            List<Prediction> predictions) {}

    private LoraSpamExample() {}

    /** Runs the example and prints its steps. */
    public static void main(String[] args) throws IOException {
        Settings settings =
                new Settings(
                        args.length > 0 ? Integer.parseInt(args[0]) : 64,
                        32,
                        args.length > 1 ? Integer.parseInt(args[1]) : 3,
                        64,
                        Path.of(args.length > 2 ? args[2] : "tl-out/spam-lora-adapter.zip"),
                        42);
        Result r = run(settings);
        System.out.printf(
                "trained %d epochs; adapter file %s: %,d bytes%n",
                r.training().epochs(), settings.adapterFile(), r.adapterBytes());
        System.out.printf(
                "largest difference between the trained and the reloaded model's probabilities:"
                        + " %.3g%n",
                r.trained().sub(r.reloaded()).amaxNumber().doubleValue());
        for (Prediction p : r.predictions()) {
            System.out.printf(
                    "%-4s %.3f  %s...%n", p.label(), p.probability(), p.email().substring(0, 60));
        }
    }

    /**
     * Trains, saves the adapter, reloads it onto a fresh encoder and classifies {@link #NEW_EMAILS}
     * with both models.
     */
    public static Result run(Settings s) throws IOException {
        PretrainedBert bert = PretrainedBert.allMiniLmL6V2();
        TextSplits splits = TextDatasets.spamAssassinSubset();
        HeadConfig head = HeadConfig.of(splits.labels().size());
        LoraStrategy lora = TextStrategies.lora();

        // Train adapters and head on a few labelled e-mails.
        AdaptedModel model = lora.adapt(base(bert), head, s.seed());
        MultiDataSet train = encode(bert, splits.trainPerClass(s.labelsPerClass()), splits, s);
        MultiDataSet validation = encode(bert, validation(splits, s), splits, s);
        TrainingConfig config =
                TrainingConfig.builder()
                        .maxEpochs(s.epochs())
                        .patience(2)
                        .batchSize(16)
                        .seed(s.seed())
                        .build();
        TrainingResult training = new Trainer(config).fit(model, train, validation);

        // Save only the adapter and the head, then reload them onto a freshly imported encoder.
        Files.createDirectories(s.adapterFile().toAbsolutePath().getParent());
        lora.saveAdapter(model, s.adapterFile());
        AdaptedModel reloaded =
                lora.loadAdapter(base(PretrainedBert.allMiniLmL6V2()), head, s.adapterFile());

        // Classify new e-mails with both.
        INDArray[] inputs = tokenizer(bert, s).encode(NEW_EMAILS).toGraphInputs();
        INDArray before = model.graph().output(false, inputs, null, null)[0];
        INDArray after = reloaded.graph().output(false, inputs, null, null)[0];
        List<Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < NEW_EMAILS.size(); i++) {
            int c = after.getRow(i).argMax().getInt(0);
            predictions.add(
                    new Prediction(
                            NEW_EMAILS.get(i), splits.labels().get(c), after.getDouble(i, c)));
        }
        return new Result(model, training, Files.size(s.adapterFile()), before, after, predictions);
    }

    private static PretrainedModel base(PretrainedBert bert) {
        return bert.pretrainedModel("all-MiniLM-L6-v2");
    }

    private static List<LabelledText> validation(TextSplits splits, Settings s) {
        List<LabelledText> picked = new ArrayList<>();
        for (String label : splits.labels()) {
            splits.validation().stream()
                    .filter(t -> t.label().equals(label))
                    .limit(s.validationPerClass())
                    .forEach(picked::add);
        }
        return picked;
    }

    private static MultiDataSet encode(
            PretrainedBert bert, List<LabelledText> texts, TextSplits splits, Settings s) {
        return TextEncoding.encode(bert.tokenizer(), texts, splits.labels(), s.maxTokens());
    }

    private static WordPieceTokenizer tokenizer(PretrainedBert bert, Settings s) {
        WordPieceTokenizer t = bert.tokenizer();
        return t.withSettings(t.settings().toBuilder().maxLength(s.maxTokens()).build());
    }
}
