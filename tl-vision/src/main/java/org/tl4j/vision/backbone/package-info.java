/**
 * The small CNN that tl4j pretrains on Fashion-MNIST and ships as its offline default backbone,
 * with the program that re-creates it.
 */
package org.tl4j.vision.backbone;
