package io.jenkins.plugins.mysqllifecycle.engine.util;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * The one shape of every wait in the engine: a monotonic deadline, the time left recomputed each round, a capped
 * backoff, a liveness check each round, the last failure kept as the cause, and errors that retrying cannot fix
 * thrown at once.
 */
public final class WaitLoop {

    /** One try. Empty means "not yet"; {@link NotYet} says why not; any {@link EngineException} ends the wait. */
    @FunctionalInterface
    public interface Attempt<T> {
        Optional<T> attempt() throws NotYet, EngineException, InterruptedException;
    }

    /** Run before each try; throws when waiting longer cannot help (the process died, say). */
    @FunctionalInterface
    public interface Liveness {
        void check() throws EngineException, InterruptedException;

        Liveness ALWAYS = () -> { };
    }

    /** A failed try worth repeating; its cause becomes the timeout's cause if the deadline passes. */
    public static final class NotYet extends Exception {
        private static final long serialVersionUID = 1L;

        public NotYet(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    private final Duration firstPause;
    private final Duration longestPause;

    public WaitLoop(Duration firstPause, Duration longestPause) {
        this.firstPause = firstPause;
        this.longestPause = longestPause;
    }

    /**
     * Repeats {@code attempt} until it yields a value.
     *
     * @param awaited what the caller waits for, as it should read in "timed out after 5 s waiting for ..."
     */
    public <T> T await(String awaited, Deadline deadline, Liveness liveness, Attempt<T> attempt)
            throws EngineException, InterruptedException {
        long pauseNanos = firstPause.toNanos();
        NotYet lastFailure = null;
        while (true) {
            liveness.check();
            try {
                Optional<T> result = attempt.attempt();
                if (result.isPresent()) {
                    return result.get();
                }
            } catch (NotYet notYet) {
                lastFailure = notYet;
            }
            Duration left = deadline.remaining();
            if (left.isZero()) {
                throw new OperationTimeoutException("Timed out after " + Durations.describe(deadline.elapsed())
                        + " waiting for " + awaited
                        + (lastFailure == null ? "" : "; last seen: " + lastFailure.getMessage()), lastFailure);
            }
            long sleepNanos = Math.min(pauseNanos, left.toNanos());
            Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
            pauseNanos = Math.min(pauseNanos * 2, longestPause.toNanos());
        }
    }
}
