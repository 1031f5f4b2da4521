package org.tl4j.vision.vit;

import java.io.IOException;
import org.tl4j.vision.pretrain.Pretraining;

/**
 * Trains {@link VisionTransformer#architecture} of shape {@link VitConfig#fashionMnist()} on
 * Fashion-MNIST with {@link Pretraining} (its class comment has the command line). Defaults: 2
 * epochs, seed 12345, batch size 128. The shipped model was made with (the data from Debian's
 * {@code dataset-fashion-mnist}):
 *
 * <pre>
 * TL_MAIN=org.tl4j.vision.vit.VitTraining ./tl --data /usr/share/datasets/fashion-mnist \
 *     --out tl-vision/src/main/resources/org/tl4j/vision/vit/fashion-mnist-vit.zip \
 *     --epochs 2 --seed 12345 --batch-size 128
 * </pre>
 *
 * It reached test accuracy 0.8450 (0.8193 after epoch 1) in 816 s of training on a shared 2-core
 * CPU; see the README beside the resource.
 */
public final class VitTraining {

    private VitTraining() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        train(parse(args));
    }

    /** Trains the Fashion-MNIST ViT as {@code s} says and prints its test accuracy. */
    public static Pretraining.Result train(Pretraining.Settings s) throws IOException {
        return Pretraining.run(
                VisionTransformer.architecture(VitConfig.fashionMnist(), s.seed()), s);
    }

    /**
     * Parses the command line with this program's defaults.
     *
     * @throws IllegalArgumentException as {@link Pretraining#parse} does
     */
    public static Pretraining.Settings parse(String[] args) {
        return Pretraining.parse(args, 2, 128);
    }
}
