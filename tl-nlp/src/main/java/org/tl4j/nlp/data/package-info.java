/**
 * Labelled text data sets: readers (folders, CSV/TSV, JSON lines), splits, the bundled e-mail
 * subset.
 */
package org.tl4j.nlp.data;
