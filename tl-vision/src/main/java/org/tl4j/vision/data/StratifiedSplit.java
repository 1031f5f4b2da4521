package org.tl4j.vision.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.SpecifiedIndex;

/**
 * A seeded, stratified split of a labelled data set into a held-out test set, a validation slice,
 * and training budgets of {@code k} examples per class.
 *
 * <p>The order of drawing is what keeps the sets apart: for each class, the examples are shuffled
 * once with the seed; the first {@link #testPerClass()} go to the test set, the next {@link
 * #validationPerClass()} to validation, and the rest form the training pool. A training budget of
 * {@code k} per class is the first {@code k} of each class's pool, so budgets are nested (the
 * 10-per-class set is inside the 100-per-class set) and never touch the test or validation
 * examples. The same seed and data give the same split.
 *
 * <pre>{@code
 * StratifiedSplit.Parts parts = StratifiedSplit.builder()
 *         .testPerClass(200).validationPerClass(50).seed(42).build()
 *         .split(VisionDatasets.mnistDigits());
 * DataSet train = parts.train(100);   // 100 per class
 * DataSet test = parts.test();        // 2,000 images, never in any training budget
 * }</pre>
 */
public final class StratifiedSplit {

    private final int testPerClass;
    private final int validationPerClass;
    private final long seed;

    private StratifiedSplit(Builder b) {
        this.testPerClass = b.testPerClass;
        this.validationPerClass = b.validationPerClass;
        this.seed = b.seed;
    }

    /** Starts a split with defaults: 200 test and 50 validation examples per class, seed 42. */
    public static Builder builder() {
        return new Builder();
    }

    /** Test examples per class, drawn first. */
    public int testPerClass() {
        return testPerClass;
    }

    /** Validation examples per class, drawn after the test examples. */
    public int validationPerClass() {
        return validationPerClass;
    }

    /** Seed of the per-class shuffles. */
    public long seed() {
        return seed;
    }

    /**
     * Splits a data set with one-hot labels.
     *
     * @throws IllegalArgumentException if some class has fewer examples than {@code testPerClass +
     *     validationPerClass}; the message names the class and its count
     */
    public Parts split(DataSet data) {
        int numClasses = (int) data.getLabels().size(1);
        List<List<Integer>> byClass = indicesByClass(data.getLabels(), numClasses);
        Random rng = new Random(seed);
        List<List<Integer>> pools = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            List<Integer> idx = byClass.get(c);
            int needed = testPerClass + validationPerClass;
            if (idx.size() < needed) {
                throw new IllegalArgumentException(
                        "class "
                                + c
                                + " has "
                                + idx.size()
                                + " examples, fewer than testPerClass + validationPerClass = "
                                + needed
                                + "; lower testPerClass or validationPerClass");
            }
            Collections.shuffle(idx, rng);
            test.addAll(idx.subList(0, testPerClass));
            validation.addAll(idx.subList(testPerClass, needed));
            pools.add(List.copyOf(idx.subList(needed, idx.size())));
        }
        return new Parts(data, pools, test, validation, seed);
    }

    private static List<List<Integer>> indicesByClass(INDArray labels, int numClasses) {
        INDArray argMax = labels.argMax(1);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < argMax.length(); i++) {
            byClass.get(argMax.getInt(i)).add(i);
        }
        return byClass;
    }

    /** The result of {@link #split(DataSet)}; each accessor returns a new {@link DataSet}. */
    public static final class Parts {
        private final DataSet data;
        private final List<List<Integer>> pools;
        private final List<Integer> test;
        private final List<Integer> validation;
        private final long seed;

        private Parts(
                DataSet data,
                List<List<Integer>> pools,
                List<Integer> test,
                List<Integer> validation,
                long seed) {
            this.data = data;
            this.pools = pools;
            this.test = List.copyOf(test);
            this.validation = List.copyOf(validation);
            this.seed = seed;
        }

        /** The held-out test set, shuffled. */
        public DataSet test() {
            return select(test, 1);
        }

        /** The validation slice, shuffled; disjoint from test and from every training budget. */
        public DataSet validation() {
            return select(validation, 2);
        }

        /**
         * The first {@code perClass} examples of each class's training pool, shuffled.
         *
         * @throws IllegalArgumentException if {@code perClass} is below 1 or above {@link
         *     #maxTrainPerClass()}
         */
        public DataSet train(int perClass) {
            return select(trainIndices(perClass), 3);
        }

        /** Row indices into the original data set of {@link #train(int)}, in class order. */
        public List<Integer> trainIndices(int perClass) {
            if (perClass < 1 || perClass > maxTrainPerClass()) {
                throw new IllegalArgumentException(
                        "perClass must be in 1.."
                                + maxTrainPerClass()
                                + " (the smallest class's training pool);"
                                + " got "
                                + perClass);
            }
            List<Integer> rows = new ArrayList<>();
            for (List<Integer> pool : pools) {
                rows.addAll(pool.subList(0, perClass));
            }
            return rows;
        }

        /** Row indices of the test set into the original data set. */
        public List<Integer> testIndices() {
            return test;
        }

        /** Row indices of the validation slice into the original data set. */
        public List<Integer> validationIndices() {
            return validation;
        }

        /** The largest training budget every class can fill. */
        public int maxTrainPerClass() {
            return pools.stream().mapToInt(List::size).min().orElse(0);
        }

        private DataSet select(List<Integer> rows, int salt) {
            List<Integer> order = new ArrayList<>(rows);
            Collections.shuffle(order, new Random(seed * 31 + salt));
            long[] idx = order.stream().mapToLong(i -> i).toArray();
            return new DataSet(rows(data.getFeatures(), idx), rows(data.getLabels(), idx));
        }
    }

    /** Copies the given rows (first dimension) of an array of any rank. */
    static INDArray rows(INDArray array, long[] rows) {
        INDArrayIndex[] index = new INDArrayIndex[array.rank()];
        index[0] = new SpecifiedIndex(rows);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        return array.get(index).dup();
    }

    /** Builder for {@link StratifiedSplit}; {@link #build()} validates. */
    public static final class Builder {
        private int testPerClass = 200;
        private int validationPerClass = 50;
        private long seed = 42;

        private Builder() {}

        /** Test examples per class, at least 1; default 200 (2,000 for ten classes). */
        public Builder testPerClass(int testPerClass) {
            this.testPerClass = testPerClass;
            return this;
        }

        /** Validation examples per class, 0 or more; default 50. */
        public Builder validationPerClass(int validationPerClass) {
            this.validationPerClass = validationPerClass;
            return this;
        }

        /** Seed of the shuffles; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Validates and builds. */
        public StratifiedSplit build() {
            if (testPerClass < 1) {
                throw new IllegalArgumentException(
                        "testPerClass must be at least 1; got " + testPerClass);
            }
            if (validationPerClass < 0) {
                throw new IllegalArgumentException(
                        "validationPerClass must be 0 or more; got " + validationPerClass);
            }
            return new StratifiedSplit(this);
        }
    }
}
