package org.tl4j.examples.tasks;

import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.tl4j.core.compare.TransferTask;
import org.tl4j.nlp.data.LabelledText;
import org.tl4j.nlp.data.TextDatasets;
import org.tl4j.nlp.data.TextEncoding;
import org.tl4j.nlp.data.TextSplits;
import org.tl4j.nlp.tokenize.WordPieceTokenizer;

/**
 * The default text task: ham vs spam e-mails (tl4j's bundled SpamAssassin subset) learnt from a few
 * labelled e-mails per class, starting from a sentence encoder.
 *
 * <p>The test set (300 ham, 100 of them "hard ham", and 300 spam) and the validation set (64 per
 * class) are fixed; a budget of k labels per class takes the first k training e-mails of each
 * class. A test stride of 2 (what {@code tl compare --quick} uses) keeps every second test e-mail:
 * 150 ham, 50 of them hard ham, and 150 spam, in the same proportions of groups; test evaluation is
 * half of a text comparison's time, and the quick mode trades this resolution (about ±2.5 accuracy
 * points of standard error instead of ±1.7) for its time.
 */
public final class SpamTask implements TransferTask {

    private final List<Integer> budgets;
    private final WordPieceTokenizer tokenizer;
    private final int maxLength;
    private final TextSplits splits;
    private final MultiDataSet validation;
    private final MultiDataSet test;

    /**
     * @param budgets labelled training e-mails per class to compare at, ascending, each in [1, 256]
     * @param tokenizer the encoder's tokenizer
     * @param maxLength cap on tokens per e-mail
     */
    public SpamTask(List<Integer> budgets, WordPieceTokenizer tokenizer, int maxLength) {
        this(budgets, tokenizer, maxLength, 1);
    }

    /**
     * @param budgets labelled training e-mails per class to compare at, ascending, each in [1, 256]
     * @param tokenizer the encoder's tokenizer
     * @param maxLength cap on tokens per e-mail
     * @param testStride keep every n-th test e-mail (1: all 600; 2: 300), in [1, 10]
     */
    public SpamTask(
            List<Integer> budgets, WordPieceTokenizer tokenizer, int maxLength, int testStride) {
        if (testStride < 1 || testStride > 10) {
            throw new IllegalArgumentException("testStride must be in [1, 10], got " + testStride);
        }
        this.budgets = List.copyOf(budgets);
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.splits = TextDatasets.spamAssassinSubset();
        budgets.forEach(splits::trainPerClass);
        this.validation = encode(splits.validation());
        List<LabelledText> all = splits.test();
        this.test =
                encode(
                        IntStream.range(0, all.size())
                                .filter(i -> i % testStride == 0)
                                .mapToObj(all::get)
                                .toList());
    }

    private MultiDataSet encode(List<LabelledText> texts) {
        return TextEncoding.encode(tokenizer, texts, splits.labels(), maxLength);
    }

    @Override
    public String name() {
        return "minilm->spam";
    }

    @Override
    public int numClasses() {
        return splits.labels().size();
    }

    @Override
    public List<Integer> labelBudgets() {
        return budgets;
    }

    @Override
    public Split split(int labelsPerClass) {
        return new Split(encode(splits.trainPerClass(labelsPerClass)), validation);
    }

    @Override
    public MultiDataSet test() {
        return test;
    }
}
