package org.tl4j.examples.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tl4j.core.train.EpochResult;
import org.tl4j.core.train.TrainingListener;
import org.tl4j.core.train.TrainingResult;

/** Shows one progress bar per training run on the terminal (standard error). */
final class ProgressListener implements TrainingListener {

    private String label = "";
    private ProgressBar bar;
    private int batchesPerEpoch;

    /** Sets the label of the next run's bar, e.g. "fine-tuning @ 10/class". */
    void label(String label) {
        this.label = label;
    }

    @Override
    public void onStart(String run, int maxEpochs, int batchesPerEpoch) {
        closeBar();
        this.batchesPerEpoch = batchesPerEpoch;
        bar =
                new ProgressBarBuilder()
                        .setTaskName(label.isEmpty() ? run : label)
                        .setInitialMax((long) maxEpochs * batchesPerEpoch)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(250)
                        .setConsumer(
                                new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                        .build();
    }

    @Override
    public void onBatch(int epoch, int batch, double loss) {
        if (bar != null) {
            bar.stepTo((long) (epoch - 1) * batchesPerEpoch + batch + 1);
        }
    }

    @Override
    public void onEpoch(EpochResult result) {
        if (bar != null) {
            bar.setExtraMessage(
                    String.format(
                            " epoch %d val loss %.3f acc %.3f",
                            result.epoch(), result.validationLoss(), result.validationAccuracy()));
        }
    }

    @Override
    public void onEnd(TrainingResult result) {
        if (bar != null) {
            bar.maxHint(bar.getCurrent());
        }
        closeBar();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
