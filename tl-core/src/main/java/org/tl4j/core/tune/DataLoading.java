package org.tl4j.core.tune;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.tl4j.core.train.Batches;

/**
 * Turns what an Arbiter data provider returns into one in-memory {@link MultiDataSet}, within a
 * time limit.
 *
 * <p>Iterators are read to the end on a separate daemon thread, never through DL4J's async
 * prefetching: when the source of an {@code AsyncDataSetIterator} throws, {@code fit} and {@code
 * next} wait forever. An iterator that throws fails at once with its message; one that blocks fails
 * when the limit is reached (its thread is interrupted and abandoned).
 */
final class DataLoading {

    private DataLoading() {}

    /**
     * Reads the data {@code source} returns.
     *
     * @param split "training" or "validation", for messages
     * @throws IllegalStateException if the source or its iterator throws, or does not finish in
     *     {@code limit}
     * @throws IllegalArgumentException if the source returns an unsupported type
     */
    static MultiDataSet load(Supplier<Object> source, String split, Duration limit) {
        ExecutorService reader =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "tl4j-tune-data-" + split);
                            t.setDaemon(true);
                            return t;
                        });
        try {
            Future<MultiDataSet> future = reader.submit(() -> materialize(source.get(), split));
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    split
                            + " data did not arrive within "
                            + limit
                            + ": a slow source, or an async iterator whose source failed",
                    e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException bad) {
                throw bad;
            }
            throw new IllegalStateException(split + " data could not be read: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + split + " data", e);
        } finally {
            reader.shutdownNow();
        }
    }

    static MultiDataSet materialize(Object data, String split) {
        if (data instanceof MultiDataSet multi) {
            return multi;
        }
        if (data instanceof DataSet single) {
            return Batches.toMulti(single);
        }
        List<MultiDataSet> parts = new ArrayList<>();
        if (data instanceof MultiDataSetIterator it) {
            if (it.resetSupported()) {
                it.reset();
            }
            it.forEachRemaining(parts::add);
        } else if (data instanceof DataSetIterator it) {
            if (it.resetSupported()) {
                it.reset();
            }
            it.forEachRemaining(d -> parts.add(Batches.toMulti((DataSet) d)));
        } else {
            throw new IllegalArgumentException(
                    split
                            + " data: unsupported type "
                            + (data == null ? "null" : data.getClass().getName())
                            + "; expected a"
                            + " MultiDataSet, DataSet, MultiDataSetIterator or DataSetIterator");
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException(split + " data: the iterator returned nothing");
        }
        return Batches.concat(parts);
    }
}
