/**
 * Vision transformers built from tl-core's transformer blocks, the small ViT that tl4j pretrains on
 * Fashion-MNIST and ships, and the program that re-creates it.
 */
package org.tl4j.vision.vit;
