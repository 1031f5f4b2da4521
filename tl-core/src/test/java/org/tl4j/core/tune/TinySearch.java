package org.tl4j.core.tune;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.tl4j.core.testing.TinyNetworks;
import org.tl4j.core.train.Batches;

/** A tiny search problem: the 6x6 CNN, 3 classes, 36 training and 15 validation images. */
final class TinySearch {

    static final MultiDataSet ALL = Batches.toMulti(TinyNetworks.images(60, 3, 1));

    private TinySearch() {}

    static MultiDataSet train() {
        return Batches.select(ALL, range(0, 36));
    }

    static MultiDataSet validation() {
        return Batches.select(ALL, range(45, 60));
    }

    static int[] range(int from, int to) {
        int[] rows = new int[to - from];
        Arrays.setAll(rows, i -> from + i);
        return rows;
    }

    /** Head width, dropout and batch size searched; 3 epochs at most. */
    static CommonSpace common() {
        return CommonSpace.builder(3)
                .hiddenSizes(new DiscreteParameterSpace<>(List.of(), List.of(8)))
                .dropout(new ContinuousParameterSpace(0, 0.3))
                .batchSize(new DiscreteParameterSpace<>(8, 16))
                .maxEpochs(new FixedValue<>(3))
                .build();
    }

    /** Learning rate, ratio and unfrozen layers (1 or 2 of the tiny CNN's 2) searched. */
    static FineTuningSpace fineTuning() {
        return FineTuningSpace.builder(common())
                .learningRate(new LogUniformSpace(1e-3, 1e-1))
                .pretrainedLearningRateRatio(new ContinuousParameterSpace(0.05, 1))
                .unfrozenLayers(new IntegerParameterSpace(1, 2))
                .build();
    }
}
