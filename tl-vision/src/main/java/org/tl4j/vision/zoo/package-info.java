/**
 * A catalog of pretrained CNNs (the DL4J zoo models that ship weights, plus custom entries) and the
 * offline-safe download of their weights: configurable cache and mirror, Adler32 check, atomic
 * download, and user-supplied files that are never deleted.
 */
package org.tl4j.vision.zoo;
