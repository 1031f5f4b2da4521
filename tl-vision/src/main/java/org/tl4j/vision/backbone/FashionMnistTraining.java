package org.tl4j.vision.backbone;

import java.io.IOException;
import org.tl4j.vision.pretrain.Pretraining;

/**
 * Trains {@link FashionMnistBackbone#architecture(long)} on the full Fashion-MNIST with {@link
 * Pretraining} (its class comment has the command line). Defaults: 3 epochs, seed 12345, batch size
 * 64.
 */
public final class FashionMnistTraining {

    private FashionMnistTraining() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        train(parse(args));
    }

    /** Trains the backbone as {@code s} says and prints its test accuracy. */
    public static Pretraining.Result train(Pretraining.Settings s) throws IOException {
        return Pretraining.run(FashionMnistBackbone.architecture(s.seed()), s);
    }

    /**
     * Parses the command line with this program's defaults.
     *
     * @throws IllegalArgumentException as {@link Pretraining#parse} does
     */
    public static Pretraining.Settings parse(String[] args) {
        return Pretraining.parse(args, 3, 64);
    }
}
