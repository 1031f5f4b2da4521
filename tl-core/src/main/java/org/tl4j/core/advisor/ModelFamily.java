package org.tl4j.core.advisor;

/** The kind of pretrained model, which decides which strategies are practical. */
public enum ModelFamily {
    /** Convolutional networks: a few million parameters, fine-tuned layer by layer. */
    CNN,
    /** Transformers (BERT, ViT): large dense projections where low-rank adapters pay off. */
    TRANSFORMER
}
