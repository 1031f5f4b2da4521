/**
 * The pretrained-model abstraction: a DL4J graph plus its input type, normalisation, feature vertex
 * and head.
 */
package org.tl4j.core.model;
