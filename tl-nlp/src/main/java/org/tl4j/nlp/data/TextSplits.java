package org.tl4j.nlp.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Labelled texts split into training, validation and test sets, and the sorted label set that fixes
 * each label's class index.
 *
 * @param train training texts
 * @param validation texts for early stopping
 * @param test held-out texts for the final evaluation
 * @param labels the class labels, sorted; a label's index is its class
 */
public record TextSplits(
        List<LabelledText> train,
        List<LabelledText> validation,
        List<LabelledText> test,
        List<String> labels) {

    /**
     * Copies the lists and checks that every text's label is one of {@code labels}.
     *
     * @throws IllegalArgumentException naming the split, the text's index and its label, when a
     *     label is not in {@code labels} (such as a test label never seen in training)
     */
    public TextSplits {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
        labels = List.copyOf(labels);
        checkLabels("train", train, labels);
        checkLabels("validation", validation, labels);
        checkLabels("test", test, labels);
    }

    private static void checkLabels(String split, List<LabelledText> texts, List<String> labels) {
        for (int i = 0; i < texts.size(); i++) {
            if (!labels.contains(texts.get(i).label())) {
                throw new IllegalArgumentException(
                        split
                                + " text "
                                + i
                                + " has label '"
                                + texts.get(i).label()
                                + "', which is not one of the labels "
                                + labels
                                + "; a model cannot predict a class it has no output for");
            }
        }
    }

    /**
     * Splits {@code texts} per class (stratified) with a seeded shuffle.
     *
     * @param validationFraction share of each class for validation, in [0, 1)
     * @param testFraction share of each class for the test set, in [0, 1); the two together below 1
     * @throws IllegalArgumentException if there are no texts, fewer than two labels, or bad
     *     fractions
     */
    public static TextSplits stratified(
            List<LabelledText> texts, double validationFraction, double testFraction, long seed) {
        if (!(validationFraction >= 0
                && testFraction >= 0
                && validationFraction + testFraction < 1)) {
            throw new IllegalArgumentException(
                    "validationFraction and testFraction must be"
                            + " non-negative and sum below 1, got "
                            + validationFraction
                            + " and "
                            + testFraction);
        }
        Map<String, List<LabelledText>> byLabel = byLabel(texts);
        Random random = new Random(seed);
        List<LabelledText> train = new ArrayList<>();
        List<LabelledText> validation = new ArrayList<>();
        List<LabelledText> test = new ArrayList<>();
        for (List<LabelledText> group : byLabel.values()) {
            List<LabelledText> shuffled = new ArrayList<>(group);
            Collections.shuffle(shuffled, random);
            int nTest = (int) Math.round(shuffled.size() * testFraction);
            int nValidation = (int) Math.round(shuffled.size() * validationFraction);
            test.addAll(shuffled.subList(0, nTest));
            validation.addAll(shuffled.subList(nTest, nTest + nValidation));
            train.addAll(shuffled.subList(nTest + nValidation, shuffled.size()));
        }
        return new TextSplits(train, validation, test, List.copyOf(byLabel.keySet()));
    }

    /** The texts grouped by label, labels sorted; at least two labels required. */
    static Map<String, List<LabelledText>> byLabel(List<LabelledText> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no labelled texts");
        }
        Map<String, List<LabelledText>> byLabel = new LinkedHashMap<>();
        for (String label : new TreeSet<>(texts.stream().map(LabelledText::label).toList())) {
            byLabel.put(label, new ArrayList<>());
        }
        texts.forEach(t -> byLabel.get(t.label()).add(t));
        if (byLabel.size() < 2) {
            throw new IllegalArgumentException(
                    "need at least two labels, found " + byLabel.keySet());
        }
        return byLabel;
    }

    /**
     * The first {@code perClass} training texts of each label, in order.
     *
     * @throws IllegalArgumentException if a label has fewer training texts
     */
    public List<LabelledText> trainPerClass(int perClass) {
        List<LabelledText> picked = new ArrayList<>();
        for (String label : labels) {
            List<LabelledText> ofLabel =
                    train.stream().filter(t -> t.label().equals(label)).toList();
            if (perClass < 1 || perClass > ofLabel.size()) {
                throw new IllegalArgumentException(
                        "labels per class must be in [1, "
                                + ofLabel.size()
                                + "] for label '"
                                + label
                                + "', got "
                                + perClass);
            }
            picked.addAll(ofLabel.subList(0, perClass));
        }
        return picked;
    }

    /** The class index of {@code label}. */
    public int classOf(String label) {
        int index = labels.indexOf(label);
        if (index < 0) {
            throw new IllegalArgumentException(
                    "unknown label '" + label + "'; labels are " + labels);
        }
        return index;
    }
}
