package org.tl4j.core.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;

/**
 * Samples JVM heap and ND4J off-heap memory on a background thread and keeps the peaks.
 *
 * <p>Use with try-with-resources around the work to measure. Sampling every few milliseconds can
 * miss a spike shorter than the interval; the peak is a lower bound.
 */
public final class MemoryMonitor implements AutoCloseable {

    private static final long INTERVAL_MS = 10;

    private final AtomicLong peakHeap = new AtomicLong();
    private final AtomicLong peakOffHeap = new AtomicLong();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread sampler;
    private volatile boolean running = true;

    private MemoryMonitor() {
        sample();
        sampler = new Thread(this::run, "tl4j-memory-monitor");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts sampling. */
    public static MemoryMonitor start() {
        return new MemoryMonitor();
    }

    private void run() {
        while (running) {
            sample();
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        peakOffHeap.accumulateAndGet(Pointer.totalBytes(), Math::max);
    }

    /** The peaks so far. */
    public MemoryUsage peak() {
        sample();
        return new MemoryUsage(peakHeap.get(), peakOffHeap.get());
    }

    /** Stops sampling. */
    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
