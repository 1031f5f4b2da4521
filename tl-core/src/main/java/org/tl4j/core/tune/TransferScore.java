package org.tl4j.core.tune;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.tl4j.core.train.Trainer;

/**
 * What a search optimises, measured on the validation data (Arbiter's "test data"): an Arbiter
 * {@link ScoreFunction} for tl4j's classification heads.
 */
public enum TransferScore implements ScoreFunction {

    /** Fraction of examples classified correctly, in [0, 1]; higher is better. */
    ACCURACY("accuracy", false),
    /** Unweighted mean of the per-class F1 scores, in [0, 1]; higher is better. */
    MACRO_F1("macro-f1", false),
    /** Mean cross-entropy of the softmax output, at least 0; lower is better. */
    LOSS("loss", true);

    private static final int BATCH = 256;
    private static final Duration DATA_LIMIT = Duration.ofMinutes(5);

    private final String label;
    private final boolean minimize;

    TransferScore(String label, boolean minimize) {
        this.label = label;
        this.minimize = minimize;
    }

    /** The name used in tables and on the command line, e.g. {@code "macro-f1"}. */
    public String label() {
        return label;
    }

    /**
     * The score named {@code label} ({@code accuracy}, {@code macro-f1} or {@code loss}).
     *
     * @throws IllegalArgumentException listing the known names if there is none such
     */
    public static TransferScore of(String label) {
        for (TransferScore s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "score: unknown '" + label + "'; known: accuracy, macro-f1, loss");
    }

    /** Scores a trained graph on labelled data. */
    public double score(ComputationGraph graph, MultiDataSet data) {
        return switch (this) {
            case ACCURACY -> Trainer.evaluate(graph, data, BATCH).accuracy();
            case MACRO_F1 -> Trainer.evaluate(graph, data, BATCH).macroF1();
            case LOSS -> Trainer.crossEntropy(graph, data, BATCH);
        };
    }

    @Override
    public double score(
            Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
        MultiDataSet data =
                DataLoading.load(
                        () -> dataProvider.testData(dataParameters), "validation", DATA_LIMIT);
        return score(graph(model), data);
    }

    @Override
    public double score(
            Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        DataSource source = DataSources.create(dataSource, dataSourceProperties);
        MultiDataSet data = DataLoading.load(source::testData, "validation", DATA_LIMIT);
        return score(graph(model), data);
    }

    private static ComputationGraph graph(Object model) {
        if (model instanceof ComputationGraph graph) {
            return graph;
        }
        throw new IllegalArgumentException(
                "TransferScore scores a ComputationGraph, got "
                        + (model == null ? "null" : model.getClass().getName()));
    }

    @Override
    public boolean minimize() {
        return minimize;
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(ComputationGraph.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of(
                MultiDataSet.class,
                MultiDataSetIterator.class,
                DataSet.class,
                DataSetIterator.class);
    }
}
