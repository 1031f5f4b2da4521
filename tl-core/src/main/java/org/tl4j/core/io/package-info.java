/** Safe file IO: atomic writes and checked loading of model files. */
package org.tl4j.core.io;
