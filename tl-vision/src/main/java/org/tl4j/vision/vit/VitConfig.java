package org.tl4j.vision.vit;

/**
 * Shape of a vision transformer (Dosovitskiy et al., "An Image is Worth 16x16 Words",
 * arXiv:2010.11929): square images cut into square patches, a class token, learned position
 * embeddings, {@code depth} pre-LayerNorm encoder blocks and a softmax head on the class token.
 * Build one with {@link #builder()}; {@link #fashionMnist()} is the shape of tl4j's shipped model.
 *
 * @param imageSize side of the square input images in pixels, &gt; 0 and divisible by {@code
 *     patchSize} (Fashion-MNIST: 28)
 * @param channels image channels, &gt; 0 (grey: 1, colour: 3)
 * @param patchSize side of a square patch in pixels, &gt; 0 (default 7: 16 patches of 28x28)
 * @param hidden hidden size, &gt; 0 and divisible by {@code heads} (default 64)
 * @param depth encoder blocks, &gt; 0 (default 3)
 * @param heads attention heads, &gt; 0 (default 4)
 * @param mlpSize inner size of each block's feed-forward network, &gt; 0 (default 128)
 * @param classes classes of the softmax head, &gt; 1 (default 10)
 */
public record VitConfig(
        int imageSize,
        int channels,
        int patchSize,
        int hidden,
        int depth,
        int heads,
        int mlpSize,
        int classes) {

    /** Validates every field; see the component descriptions for the rules. */
    public VitConfig {
        positive("imageSize", imageSize);
        positive("channels", channels);
        positive("patchSize", patchSize);
        positive("hidden", hidden);
        positive("depth", depth);
        positive("heads", heads);
        positive("mlpSize", mlpSize);
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2, got " + classes);
        }
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException(
                    "patchSize ("
                            + patchSize
                            + ") must divide imageSize ("
                            + imageSize
                            + "); choose a divisor of the image size");
        }
        if (hidden % heads != 0) {
            throw new IllegalArgumentException(
                    "hidden ("
                            + hidden
                            + ") must be divisible by heads ("
                            + heads
                            + "); choose heads among the divisors of hidden");
        }
    }

    /** The shape of tl4j's shipped Fashion-MNIST ViT: 28x28 grey, patch 7, hidden 64, 3 blocks. */
    public static VitConfig fashionMnist() {
        return builder().build();
    }

    /**
     * @return a builder with the defaults of {@link #fashionMnist()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return a builder holding this configuration's values
     */
    public Builder toBuilder() {
        return new Builder()
                .imageSize(imageSize)
                .channels(channels)
                .patchSize(patchSize)
                .hidden(hidden)
                .depth(depth)
                .heads(heads)
                .mlpSize(mlpSize)
                .classes(classes);
    }

    /** Patches per image: {@code (imageSize / patchSize)^2}. */
    public int patches() {
        return (imageSize / patchSize) * (imageSize / patchSize);
    }

    /** Tokens per image: the patches and the class token. */
    public int tokens() {
        return patches() + 1;
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0, got " + value);
        }
    }

    /** Builder of {@link VitConfig}; {@link #build()} validates and never mutates it. */
    public static final class Builder {
        private int imageSize = 28;
        private int channels = 1;
        private int patchSize = 7;
        private int hidden = 64;
        private int depth = 3;
        private int heads = 4;
        private int mlpSize = 128;
        private int classes = 10;

        private Builder() {}

        /** See {@link VitConfig#imageSize()}. */
        public Builder imageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /** See {@link VitConfig#channels()}. */
        public Builder channels(int channels) {
            this.channels = channels;
            return this;
        }

        /** See {@link VitConfig#patchSize()}. */
        public Builder patchSize(int patchSize) {
            this.patchSize = patchSize;
            return this;
        }

        /** See {@link VitConfig#hidden()}. */
        public Builder hidden(int hidden) {
            this.hidden = hidden;
            return this;
        }

        /** See {@link VitConfig#depth()}. */
        public Builder depth(int depth) {
            this.depth = depth;
            return this;
        }

        /** See {@link VitConfig#heads()}. */
        public Builder heads(int heads) {
            this.heads = heads;
            return this;
        }

        /** See {@link VitConfig#mlpSize()}. */
        public Builder mlpSize(int mlpSize) {
            this.mlpSize = mlpSize;
            return this;
        }

        /** See {@link VitConfig#classes()}. */
        public Builder classes(int classes) {
            this.classes = classes;
            return this;
        }

        /**
         * @return the validated configuration
         * @throws IllegalArgumentException naming the first invalid field and its value
         */
        public VitConfig build() {
            return new VitConfig(
                    imageSize, channels, patchSize, hidden, depth, heads, mlpSize, classes);
        }
    }
}
