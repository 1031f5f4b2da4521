/**
 * Comparing strategies on equal terms: tasks with label budgets, the comparison runner and its
 * table.
 */
package org.tl4j.core.compare;
