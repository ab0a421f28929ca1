package io.jenkins.plugins.mysqllifecycle.engine.sql;

import java.time.Duration;

/**
 * How far a dump may hold the server up to take the lock its snapshot needs.
 *
 * @param lockWait        the bound of each lock request, set as the session's {@code lock_wait_timeout}: a writer
 *                        that queues behind a pending request waits no longer than this
 * @param longQueryGuard  how long the dump tries in all to get its lock: it waits first for statements that would
 *                        hold the lock up to end, and asks again after a request ran out
 * @param killLongQueries once the guard has run out, stop the statements that hold the lock up ({@code KILL QUERY})
 *                        instead of failing; a user's statement is never killed without it
 */
public record LockLimits(Duration lockWait, Duration longQueryGuard, boolean killLongQueries) {
    /** The option names messages point at, as the CLI spells them (a Jenkins step's fields read the same). */
    public static final String LOCK_WAIT_OPTION = "lock-wait-timeout";
    public static final String GUARD_OPTION = "long-query-guard";
    public static final String KILL_OPTION = "kill-long-queries";
}
