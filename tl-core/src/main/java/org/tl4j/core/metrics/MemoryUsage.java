package org.tl4j.core.metrics;

/**
 * Peak memory seen during a piece of work.
 *
 * @param peakHeapBytes largest JVM heap in use
 * @param peakOffHeapBytes largest ND4J/JavaCPP native memory in use (array data lives there)
 */
public record MemoryUsage(long peakHeapBytes, long peakOffHeapBytes) {

    /** Heap and off-heap together. */
    public long peakTotalBytes() {
        return peakHeapBytes + peakOffHeapBytes;
    }

    /** Megabytes (2^20 bytes) of {@link #peakTotalBytes()}. */
    public double peakTotalMegabytes() {
        return peakTotalBytes() / (1024.0 * 1024.0);
    }
}
