package org.tl4j.core.transformer;

/** How a sequence of token vectors becomes one vector per example. */
public enum Pooling {
    /** The first token's vector ([CLS] in BERT, the class token in ViT). */
    FIRST_TOKEN,
    /** The mean over real tokens (mask 1), as sentence-transformers models use. */
    MASKED_MEAN
}
