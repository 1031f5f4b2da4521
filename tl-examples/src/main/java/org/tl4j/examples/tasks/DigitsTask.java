package org.tl4j.examples.tasks;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.tl4j.core.compare.TransferTask;
import org.tl4j.core.train.Batches;
import org.tl4j.vision.data.StratifiedSplit;
import org.tl4j.vision.data.VisionDatasets;

/**
 * The default vision task: MNIST digits (the 10,000 bundled with tl4j) learnt from a few labelled
 * examples per class, starting from a network pretrained on Fashion-MNIST.
 *
 * <p>A seeded stratified split keeps 200 test images per class (2,000 in all) and 50 validation
 * images per class apart from every training budget.
 */
public final class DigitsTask implements TransferTask {

    /** Test images per class. */
    public static final int TEST_PER_CLASS = 200;

    /** Validation images per class, for early stopping. */
    public static final int VALIDATION_PER_CLASS = 50;

    private final List<Integer> budgets;
    private final StratifiedSplit.Parts parts;
    private final MultiDataSet test;

    /**
     * @param budgets labelled training images per class to compare at, ascending
     * @param seed seeds the split
     */
    public DigitsTask(List<Integer> budgets, long seed) {
        this.budgets = List.copyOf(budgets);
        DataSet digits = VisionDatasets.mnistDigits();
        this.parts =
                StratifiedSplit.builder()
                        .testPerClass(TEST_PER_CLASS)
                        .validationPerClass(VALIDATION_PER_CLASS)
                        .seed(seed)
                        .build()
                        .split(digits);
        int max = parts.maxTrainPerClass();
        for (int b : budgets) {
            if (b < 1 || b > max) {
                throw new IllegalArgumentException(
                        "labels per class must be in [1, "
                                + max
                                + "] for the bundled MNIST digits, got "
                                + b);
            }
        }
        this.test = Batches.toMulti(parts.test());
    }

    @Override
    public String name() {
        return "fashion-mnist->mnist";
    }

    @Override
    public int numClasses() {
        return 10;
    }

    @Override
    public List<Integer> labelBudgets() {
        return budgets;
    }

    @Override
    public Split split(int labelsPerClass) {
        return new Split(
                Batches.toMulti(parts.train(labelsPerClass)), Batches.toMulti(parts.validation()));
    }

    @Override
    public MultiDataSet test() {
        return test;
    }
}
