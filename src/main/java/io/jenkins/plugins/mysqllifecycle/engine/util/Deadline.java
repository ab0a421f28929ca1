package io.jenkins.plugins.mysqllifecycle.engine.util;

import java.time.Duration;

/** A point on the monotonic clock; every wait in the engine is bounded by one. */
public final class Deadline {
    private final long startNanos;
    private final long endNanos;

    /**
     * Longer budgets wait this long: Duration.toNanos overflows past 292 years, and the clock's differences must
     * stay within a long.
     */
    private static final Duration LONGEST = Duration.ofDays(100L * 365);

    private Deadline(long startNanos, Duration budget) {
        this.startNanos = startNanos;
        this.endNanos = startNanos + (budget.compareTo(LONGEST) > 0 ? LONGEST : budget).toNanos();
    }

    public static Deadline after(Duration budget) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("a wait cannot last " + budget);
        }
        return new Deadline(System.nanoTime(), budget);
    }

    public Duration remaining() {
        long left = endNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    public boolean hasExpired() {
        return endNanos - System.nanoTime() <= 0;
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The smaller of {@code cap} and the time left, never below one millisecond (0 means "forever" to JDBC). */
    public int remainingMillisCappedAt(Duration cap) {
        long millis = Math.min(cap.toMillis(), remaining().toMillis());
        return (int) Math.max(1, millis);
    }
}
