/**
 * Image data sets as DL4J {@code DataSet}s: the IDX format of the MNIST family (with small bundled
 * subsets of MNIST and Fashion-MNIST), image folders with one sub-folder per class, and seeded
 * stratified splits.
 */
package org.tl4j.vision.data;
