/**
 * The trainer shared by every strategy: minibatches, early stopping, feature caching, listeners.
 */
package org.tl4j.core.train;
