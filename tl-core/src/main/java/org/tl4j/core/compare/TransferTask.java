package org.tl4j.core.compare;

import java.util.List;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A classification task with a fixed held-out test set and training sets of several sizes, for
 * comparing strategies at each label budget.
 *
 * <p>Implementations must keep the test set apart from every training and validation split, and
 * return the same split for the same budget every time (seeded).
 */
public interface TransferTask {

    /** Short name for reports, e.g. {@code "fashion-mnist -> mnist"}. */
    String name();

    /** Number of classes. */
    int numClasses();

    /** The labelled examples per class to compare at, ascending. */
    List<Integer> labelBudgets();

    /** Training and validation data with {@code labelsPerClass} training examples per class. */
    Split split(int labelsPerClass);

    /** The held-out test set, disjoint from every split. */
    MultiDataSet test();

    /** Training data and the validation data used for early stopping. */
    record Split(MultiDataSet train, MultiDataSet validation) {}
}
