/** Classification metrics and resource accounting (memory). */
package org.tl4j.core.metrics;
