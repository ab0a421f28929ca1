package io.jenkins.plugins.mysqllifecycle.engine.verify;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work on tables spread over several connections, one thread each. Counting and checksumming a table is a scan the
 * server runs on one core: after a dump or a restore, with nothing else running, one connection left the other
 * cores idle, and the checksums of the bench's 1.3 GB took about 6 s on each side of a verify (measured).
 */
final class SpreadOverConnections {
    /** What is done with one item on one connection. */
    @FunctionalInterface
    interface Work<T, R> {
        R apply(Connection connection, T item) throws SQLException;
    }

    private SpreadOverConnections() {
    }

    /**
     * {@code work} for every item, each connection taking the next item when it is free; the results in the items'
     * order. The first failure is thrown once every connection has stopped.
     */
    static <T, R> List<R> apply(List<Connection> connections, List<T> items, Work<T, R> work)
            throws SQLException, InterruptedException {
        if (connections.size() == 1 || items.size() <= 1) {
            List<R> results = new ArrayList<>();
            for (T item : items) {
                results.add(work.apply(connections.get(0), item));
            }
            return results;
        }
        List<R> results = new ArrayList<>(java.util.Collections.nCopies(items.size(), null));
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections.size(), runnable -> {
            Thread thread = new Thread(runnable, "mysql-lifecycle verify checksums");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (Connection connection : connections) {
                running.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < items.size()) {
                        R result = work.apply(connection, items.get(i));
                        synchronized (results) {
                            results.set(i, result);
                        }
                    }
                    return null;
                }));
            }
            SQLException failure = null;
            for (Future<Void> worker : running) {
                try {
                    worker.get();
                } catch (ExecutionException e) {
                    // the others stop at their next item
                    next.set(items.size());
                    if (failure == null) {
                        failure = e.getCause() instanceof SQLException sql ? sql
                                : new SQLException("a checksum worker failed: " + e.getCause(), e.getCause());
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            synchronized (results) {
                return new ArrayList<>(results);
            }
        } finally {
            // not waited for: after an interrupt a worker may be in a long scan, which ends when its connection
            // is closed by the caller
            pool.shutdownNow();
        }
    }
}
