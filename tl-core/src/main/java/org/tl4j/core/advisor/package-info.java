/** The strategy advisor: a recommendation with its reasons, from measured task properties. */
package org.tl4j.core.advisor;
