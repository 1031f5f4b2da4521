package org.tl4j.core.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.datasets.iterator.AsyncMultiDataSetIterator;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.testing.TinyNetworks;

/** Candidates whose data fails are recorded as failed, and nothing waits forever. */
@Timeout(240)
class DataFailureTest {

    /** Returns one batch, then throws. */
    private static final class ThrowingIterator implements MultiDataSetIterator {
        private final MultiDataSet first;
        private int calls;

        ThrowingIterator(MultiDataSet first) {
            this.first = first;
        }

        @Override
        public MultiDataSet next(int num) {
            return next();
        }

        @Override
        public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {}

        @Override
        public MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return false;
        }

        @Override
        public boolean asyncSupported() {
            return true;
        }

        @Override
        public void reset() {}

        @Override
        public boolean hasNext() {
            return true;
        }

        @Override
        public MultiDataSet next() {
            if (calls++ > 0) {
                throw new IllegalStateException("disk went away");
            }
            return first;
        }
    }

    /** The same failures for a fine-tuning search on the tiny CNN and a LoRA one on text. */
    enum Problem {
        FINE_TUNING,
        LORA;

        TransferSpace space() {
            return this == FINE_TUNING ? TinySearch.fineTuning() : TinyText.lora(1);
        }

        PretrainedModel base() {
            return this == FINE_TUNING ? TinyNetworks.pretrained(1, false) : TinyText.pretrained(1);
        }

        MultiDataSet train() {
            return this == FINE_TUNING ? TinySearch.train() : TinyText.TRAIN;
        }

        MultiDataSet validation() {
            return this == FINE_TUNING ? TinySearch.validation() : TinyText.VALIDATION;
        }
    }

    private static DataProvider provider(Problem problem, boolean async) {
        return new DataProvider() {
            @Override
            public Object trainData(Map<String, Object> dataParameters) {
                MultiDataSetIterator source = new ThrowingIterator(problem.train());
                return async ? new AsyncMultiDataSetIterator(source, 2) : source;
            }

            @Override
            public Object testData(Map<String, Object> dataParameters) {
                return problem.validation();
            }

            @Override
            public Class<?> getDataType() {
                return MultiDataSetIterator.class;
            }
        };
    }

    private static TuningResults search(Problem problem, boolean async) {
        return TransferSearch.builder(problem.space())
                .maxCandidates(2)
                .dataTimeLimit(Duration.ofSeconds(5))
                .build()
                .run(problem.base(), provider(problem, async));
    }

    @ParameterizedTest
    @EnumSource(Problem.class)
    void run_iteratorThatThrows_failsEachCandidateWithTheReason(Problem problem) {
        TuningResults results = search(problem, false);

        assertEquals(2, results.failed().size(), results.toMarkdown());
        for (CandidateResult c : results.failed()) {
            String failure = c.failure().orElseThrow();
            assertTrue(
                    failure.contains("training data could not be read")
                            && failure.contains("disk went away"),
                    failure);
            assertTrue(c.settings().isPresent(), "the settings are kept");
        }
    }

    @ParameterizedTest
    @EnumSource(Problem.class)
    void run_asyncIteratorWhoseSourceThrows_failsWithinTheDataTimeLimit(Problem problem) {
        long start = System.nanoTime();
        TuningResults results = search(problem, true);
        double seconds = (System.nanoTime() - start) / 1e9;

        assertEquals(2, results.failed().size(), results.toMarkdown());
        assertTrue(
                results.failed().get(0).failure().orElseThrow().contains("training data"),
                results.toMarkdown());
        assertTrue(seconds < 60, "took " + seconds + " s");
    }
}
