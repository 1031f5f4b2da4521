package org.tl4j.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ClassificationMetricsTest {

    /** 3 classes; hand-computed: see each assertion. */
    private static final long[][] CONFUSION = {
        {5, 1, 0}, // actual 0: 5 right, 1 predicted as 1
        {2, 3, 1}, // actual 1
        {0, 0, 0}, // class 2 never occurs
    };

    @Test
    void accuracy_handComputed() {
        assertEquals(8.0 / 12, new ClassificationMetrics(CONFUSION).accuracy(), 1e-12);
    }

    @Test
    void precisionRecallF1_handComputed() {
        ClassificationMetrics m = new ClassificationMetrics(CONFUSION);
        assertEquals(5.0 / 7, m.precision(0), 1e-12);
        assertEquals(5.0 / 6, m.recall(0), 1e-12);
        assertEquals(3.0 / 4, m.precision(1), 1e-12);
        assertEquals(3.0 / 6, m.recall(1), 1e-12);
        assertEquals(0, m.precision(2), 1e-12);
        double f0 = 2 * (5.0 / 7) * (5.0 / 6) / (5.0 / 7 + 5.0 / 6);
        double f1 = 2 * 0.75 * 0.5 / 1.25;
        assertEquals((f0 + f1) / 2, m.macroF1(), 1e-12, "absent class 2 is not averaged");
    }

    @Test
    void of_predictionsAndLabels_buildsConfusion() {
        var labels = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}, {0, 1}});
        var predictions =
                Nd4j.createFromArray(new float[][] {{0.9f, 0.1f}, {0.6f, 0.4f}, {0.2f, 0.8f}});
        ClassificationMetrics m = ClassificationMetrics.of(labels, predictions);
        assertEquals(new ClassificationMetrics(new long[][] {{1, 0}, {1, 1}}), m);
        assertEquals(2.0 / 3, m.accuracy(), 1e-12);
    }
}
