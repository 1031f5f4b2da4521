/** The comparison report: a self-contained HTML page with XChart plots, and run metadata. */
package org.tl4j.core.report;
