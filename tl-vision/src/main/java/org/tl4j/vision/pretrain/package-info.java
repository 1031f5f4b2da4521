/**
 * The command line and training loop shared by the programs that re-create tl4j's shipped
 * Fashion-MNIST models ({@code FashionMnistTraining} for the CNN backbone, {@code VitTraining} for
 * the ViT).
 */
package org.tl4j.vision.pretrain;
