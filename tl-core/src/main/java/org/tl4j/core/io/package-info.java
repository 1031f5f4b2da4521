/**
 * Safe file IO: atomic writes, checked loading of model files, and size checks of ND4J array
 * headers before anything is allocated.
 */
package org.tl4j.core.io;
