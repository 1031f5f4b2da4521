/**
 * Transformer building blocks as native DL4J layers and graph vertices, shared by BERT (tl-nlp) and
 * ViT (tl-vision).
 *
 * <p>Activations inside an encoder stay flat as {@code [batch * time, features]} (row {@code b *
 * time + t}), so that the query/key/value/output and feed-forward projections are ordinary DL4J
 * {@code DenseLayer}s with stable names (for example {@code encoder.3.attention.query}) that LoRA
 * can replace by name pattern. Only attention, pooling and the final reshape read the padding mask,
 * which enters the graph as an ordinary input of shape {@code [batch, time]} (1 for a real token, 0
 * for padding); DL4J's own mask propagation is not used. ViT's embeddings ({@code
 * PatchExtractionVertex} before a DenseLayer projection, {@code ClassTokenLayer}, {@code
 * PositionEmbeddingLayer}) produce the same flat layout, and {@code UnpaddedMaskVertex} gives
 * sequences without padding their all-ones mask.
 *
 * <p>All layers and vertices here compute their backward pass natively (no SameDiff), so the
 * SameDiff layer/vertex bugs of DL4J 1.0.0-M2.1 (doubled gradients, stale input gradients, stale
 * masks) do not apply. {@link org.tl4j.core.transformer.TransformerBlocks} assembles them.
 */
package org.tl4j.core.transformer;
