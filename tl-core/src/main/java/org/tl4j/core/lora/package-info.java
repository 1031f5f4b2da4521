/**
 * Low-Rank Adaptation (LoRA) for Deeplearning4j graphs.
 *
 * <p>LoRA (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models", arXiv 2106.09685)
 * freezes a pretrained dense projection {@code W} and learns a low-rank update {@code s·A·B} beside
 * it. What lives here:
 *
 * <ul>
 *   <li>{@link org.tl4j.core.lora.LoraDenseLayer}: the DL4J layer configuration (JSON and
 *       ModelSerializer round-trip), with {@link org.tl4j.core.lora.LoraDenseLayerImpl} and {@link
 *       org.tl4j.core.lora.LoraParamInitializer};
 *   <li>{@link org.tl4j.core.lora.LoraConfig}: the immutable adapter configuration (rank, alpha,
 *       targets, kept modules, ...);
 *   <li>{@link org.tl4j.core.lora.Lora}: apply adapters to a graph, merge, unmerge, disable,
 *       report;
 *   <li>{@link org.tl4j.core.lora.LoraAdapters}: adapter-only save and load with a base-model
 *       fingerprint.
 * </ul>
 */
package org.tl4j.core.lora;
