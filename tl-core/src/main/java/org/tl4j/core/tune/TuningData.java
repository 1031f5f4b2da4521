package org.tl4j.core.tune;

import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.tl4j.core.compare.TransferTask;

/**
 * An Arbiter {@link DataProvider} over in-memory training and validation data: every candidate
 * trains on the same training set and is scored on the same validation set. Arbiter calls the
 * validation set "test data".
 *
 * <p>Not meant to be serialised (Arbiter's interface demands {@code Serializable} for distributed
 * runners; tl4j runs candidates locally).
 */
public final class TuningData implements DataProvider {

    private static final long serialVersionUID = 1L;

    private final transient MultiDataSet train;
    private final transient MultiDataSet validation;

    private TuningData(MultiDataSet train, MultiDataSet validation) {
        this.train = Objects.requireNonNull(train, "train");
        this.validation = Objects.requireNonNull(validation, "validation");
    }

    /** Training and validation data. */
    public static TuningData of(MultiDataSet train, MultiDataSet validation) {
        return new TuningData(train, validation);
    }

    /** A task's split at one label budget. */
    public static TuningData of(TransferTask.Split split) {
        return new TuningData(split.train(), split.validation());
    }

    @Override
    public Object trainData(Map<String, Object> dataParameters) {
        return train;
    }

    @Override
    public Object testData(Map<String, Object> dataParameters) {
        return validation;
    }

    @Override
    public Class<?> getDataType() {
        return MultiDataSet.class;
    }
}
