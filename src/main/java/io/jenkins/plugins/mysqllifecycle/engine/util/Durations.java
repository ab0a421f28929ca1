package io.jenkins.plugins.mysqllifecycle.engine.util;

import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import java.time.Duration;
import java.util.Locale;

/** How durations read in log lines and messages. */
public final class Durations {
    private Durations() {
    }

    public static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 120_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        if (millis < 2 * 3_600_000) {
            return String.format(Locale.ROOT, "%.1f min", millis / 60_000.0).replace(".0 min", " min");
        }
        return String.format(Locale.ROOT, "%.1f h", millis / 3_600_000.0).replace(".0 h", " h");
    }

    /** The shorter of the two, never below one millisecond: a wait for "no time at all" would not wait. */
    public static Duration min(Duration a, Duration b) {
        Duration shorter = a.compareTo(b) <= 0 ? a : b;
        return shorter.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : shorter;
    }

    /** The longest timeout taken: a year is far beyond any wait, and far below what a clock can count. */
    public static final long MAX_SECONDS = 366L * 24 * 3600;

    /** Parses a whole, positive number of seconds given for {@code option}, at most {@link #MAX_SECONDS}. */
    public static Duration positiveSeconds(String option, long seconds) throws InvalidSpecException {
        if (seconds <= 0 || seconds > MAX_SECONDS) {
            throw new InvalidSpecException(option + " must be a whole number of seconds from 1 to " + MAX_SECONDS
                    + " (a year), not " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }
}
