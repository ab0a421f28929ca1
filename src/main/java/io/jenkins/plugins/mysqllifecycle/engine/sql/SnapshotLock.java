package io.jenkins.plugins.mysqllifecycle.engine.sql;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.DataConnections;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lock under which several connections start one snapshot: while it is held no transaction commits, so every
 * {@code START TRANSACTION WITH CONSISTENT SNAPSHOT} begun under it sees the same data, and the binary log stands
 * still. It is taken so that it cannot hold the server up for long:
 * <ul>
 *   <li>the lightest lock that stops commits, by server: MariaDB 10.4 and later {@code BACKUP STAGE START} and
 *   {@code BACKUP STAGE BLOCK_COMMIT}, which wait only for commits under way (not for running statements nor DDL);
 *   otherwise {@code FLUSH TABLES WITH READ LOCK}, which waits for every running statement, so the
 *   {@link LongQueryGuard} first waits for long ones to end;</li>
 *   <li>each request waits at most {@link LockLimits#lockWait()} (the session's {@code lock_wait_timeout}), so a
 *   writer queues behind it no longer than that; a request that ran out is made again after a pause that lets the
 *   queued writers through, until {@link LockLimits#longQueryGuard()} or the dump's deadline runs out;</li>
 *   <li>a request the dump gives up on while it waits (an interrupt: an abort, a signal to the CLI; or the dump's
 *   deadline) is withdrawn on the server with {@code KILL QUERY} from a second connection: MySQL keeps a pending
 *   {@code FLUSH TABLES WITH READ LOCK} queued after its client has gone, with every writer behind it.</li>
 * </ul>
 * {@link #keepDdlOut()} adds MySQL's {@code LOCK INSTANCE FOR BACKUP}, which keeps DDL out until {@link #close()}
 * without stopping any write. Commits are blocked from the moment {@link #take} returns until
 * {@link #releaseCommits()}: a caller holds them only to start its transactions and read where the log stands.
 */
public final class SnapshotLock implements AutoCloseable {
    private static final int LOCK_WAIT_TIMEOUT = 1205;
    private static final int ACCESS_DENIED = 1227;
    /** How long the server may take to answer anything but a lock request's wait. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    /** Between requests that ran out: the writers that queued behind one get through before the next. */
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** How often a waiting request checks whether its caller gave up. */
    private static final long WATCH_MILLIS = 10;
    /**
     * How often a withdrawal is repeated while the request still runs: a KILL QUERY that reached the server just
     * before the request did would leave it waiting.
     */
    private static final long WITHDRAW_AGAIN_MILLIS = 200;

    /** The statements that stop commits, and the one that lets them go. */
    enum Kind {
        BACKUP_STAGE(List.of("BACKUP STAGE START", "BACKUP STAGE BLOCK_COMMIT"), "BACKUP STAGE END",
                "BACKUP STAGE BLOCK_COMMIT", false),
        GLOBAL_READ_LOCK(List.of("FLUSH TABLES WITH READ LOCK"), "UNLOCK TABLES", "FLUSH TABLES WITH READ LOCK", true);

        final List<String> take;
        final String release;
        final String describe;
        /** Whether a request waits for the statements that run when it is made (and writers queue behind it). */
        final boolean waitsForRunningStatements;

        Kind(List<String> take, String release, String describe, boolean waitsForRunningStatements) {
            this.take = take;
            this.release = release;
            this.describe = describe;
            this.waitsForRunningStatements = waitsForRunningStatements;
        }

        static Kind of(ServerVersion server) {
            return server.flavor() == Flavor.MARIADB && server.atLeast(10, 4) ? BACKUP_STAGE : GLOBAL_READ_LOCK;
        }
    }

    /** The account may not take a lock a dump needs; the message names the privilege and the alternative. */
    public static final class NotPermittedException extends EngineException {
        private static final long serialVersionUID = 1L;

        public NotPermittedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Connection lock;
    private final Connection control;
    private final ServerVersion server;
    private final Kind kind;
    private final Log log;
    private long lockId;
    private boolean commitsBlocked;
    private boolean ddlKeptOut;
    private long blockedAtNanos;

    private SnapshotLock(Connection lock, Connection control, ServerVersion server, Log log) {
        this.lock = lock;
        this.control = control;
        this.server = server;
        this.kind = Kind.of(server);
        this.log = log;
    }

    /** What blocks commits on {@code server}, as messages name it. */
    public static String describe(ServerVersion server) {
        return Kind.of(server).describe;
    }

    /**
     * Blocks commits on the server through {@code lock} (a connection the caller owns and keeps using), bounded as
     * the class says. A second connection from {@code server} watches the request and is closed with this lock.
     *
     * @param alternative what the account can do instead when it may not lock, ending a sentence ("use method
     *                    mysqldump")
     */
    public static SnapshotLock take(Connection lock, DataConnections server, ServerVersion version, LockLimits limits,
                                    Deadline overall, Log log, String alternative)
            throws EngineException, InterruptedException, SQLException {
        Connection control = server.open();
        SnapshotLock taken = new SnapshotLock(lock, control, version, log);
        int lockReadTimeout = lock.getNetworkTimeout();
        try {
            // a connection cut without a word (an SSH tunnel gone) must not hold a request, or its withdrawal, for
            // ever: the server answers each within lock_wait_timeout
            control.setNetworkTimeout(Runnable::run, (int) ANSWER_TIMEOUT.toMillis());
            lock.setNetworkTimeout(Runnable::run, (int) limits.lockWait().plus(ANSWER_TIMEOUT).toMillis());
            taken.acquire(limits, overall, alternative);
            return taken;
        } catch (EngineException | InterruptedException | SQLException | RuntimeException e) {
            taken.close();
            throw e;
        } finally {
            try {
                lock.setNetworkTimeout(Runnable::run, lockReadTimeout);
            } catch (SQLException closed) {
                // the connection is gone, and its timeout with it
            }
        }
    }

    private void acquire(LockLimits limits, Deadline overall, String alternative) throws EngineException,
            InterruptedException, SQLException {
        lockId = Long.parseLong(query(lock, "SELECT CONNECTION_ID()"));
        Deadline guard = Deadline.after(limits.longQueryGuard());
        for (int attempt = 1; ; attempt++) {
            if (kind.waitsForRunningStatements) {
                LongQueryGuard.awaitNone(control, kind.describe, limits, guard, overall, log);
            }
            // whole seconds, at least one: what both servers take; the watch below ends a request at the deadline
            long seconds = Math.max(1, (Durations.min(limits.lockWait(), overall.remaining()).toMillis() + 999) / 1000);
            try (Statement statement = lock.createStatement()) {
                statement.execute("SET SESSION lock_wait_timeout = " + seconds);
            }
            long askedAt = System.nanoTime();
            try {
                for (String statement : kind.take) {
                    executeWithdrawable(statement, overall);
                }
                commitsBlocked = true;
                blockedAtNanos = System.nanoTime();
                log.info(kind.describe + " granted after " + (blockedAtNanos - askedAt) / 1_000_000 + " ms"
                        + (attempt > 1 ? " (request " + attempt + ")" : ""));
                return;
            } catch (SQLException e) {
                releaseQuietly();
                if (e.getErrorCode() == ACCESS_DENIED) {
                    throw new NotPermittedException("The dump's account may not take " + kind.describe + ", the lock under"
                            + " which all its connections start one snapshot: grant it the RELOAD privilege, or "
                            + alternative + ". " + e.getMessage(), e);
                }
                if (e.getErrorCode() != LOCK_WAIT_TIMEOUT) {
                    throw e;
                }
                if (overall.hasExpired()) {
                    throw new OperationTimeoutException("The dump's timeout ran out while it waited for " + kind.describe
                            + "; the request was given up, so no writer waits behind it. Nothing was written.", e);
                }
                if (guard.hasExpired()) {
                    throw new EngineException("The dump did not get " + kind.describe + " within "
                            + Durations.describe(limits.longQueryGuard()) + " (" + LockLimits.GUARD_OPTION + "): "
                            + attempt + (attempt == 1 ? " request" : " requests") + " each waited "
                            + Durations.describe(limits.lockWait()) + " (" + LockLimits.LOCK_WAIT_OPTION + ") and was"
                            + " given up. Another session holds what it waits for: LOCK TABLES ... WRITE, FLUSH TABLES"
                            + " WITH READ LOCK, another backup's BACKUP STAGE or LOCK INSTANCE FOR BACKUP, or a write"
                            + " that does not end. Find it in SHOW PROCESSLIST, and dump again once it is done, or give "
                            + LockLimits.GUARD_OPTION + " more seconds. Nothing was written.", e);
                }
                log.warn(kind.describe + " was not granted within " + Durations.describe(limits.lockWait()) + " ("
                        + LockLimits.LOCK_WAIT_OPTION + "), so writers waited no longer than that; asking again in "
                        + Durations.describe(RETRY_PAUSE));
                Thread.sleep(Durations.min(RETRY_PAUSE, overall.remaining()).toMillis());
            }
        }
    }

    /**
     * Runs a lock statement on the lock connection while this thread watches for the caller giving up: an interrupt
     * or the deadline makes a second connection withdraw the request ({@code KILL QUERY}), so that it leaves no
     * pending lock on the server.
     */
    private void executeWithdrawable(String sql, Deadline overall) throws SQLException, InterruptedException,
            OperationTimeoutException {
        if (Thread.interrupted()) {
            throw new InterruptedException("the dump was stopped before it asked for " + kind.describe);
        }
        Thread caller = Thread.currentThread();
        AtomicReference<String> withdrawn = new AtomicReference<>();
        Object done = new Object();
        boolean[] finished = {false};
        Thread watch = new Thread(() -> {
            synchronized (done) {
                while (!finished[0]) {
                    String reason = caller.isInterrupted() ? "interrupted" : overall.hasExpired() ? "timeout" : null;
                    if (reason != null) {
                        withdrawn.compareAndSet(null, reason);
                    }
                    if (withdrawn.get() != null) {
                        withdraw();
                    }
                    try {
                        done.wait(withdrawn.get() != null ? WITHDRAW_AGAIN_MILLIS : WATCH_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "withdraws " + sql + " of connection " + lockId);
        watch.setDaemon(true);
        watch.start();
        SQLException failure = null;
        try (Statement statement = lock.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            failure = e;
        } finally {
            synchronized (done) {
                finished[0] = true;
                done.notifyAll();
            }
            watch.join();
        }
        String reason = withdrawn.get();
        if (reason != null) {
            // granted or not, the caller has given up: nothing of it stays on the server
            releaseQuietly();
            if (reason.equals("interrupted")) {
                Thread.interrupted();
                throw new InterruptedException("the dump was stopped while it waited for " + kind.describe
                        + "; the request was withdrawn on the server");
            }
            throw new OperationTimeoutException("The dump's timeout ran out while it waited for " + kind.describe
                    + "; the request was withdrawn on the server (KILL QUERY), so no writer waits behind it. Nothing"
                    + " was written.", failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void withdraw() {
        try (Statement statement = control.createStatement()) {
            statement.execute("KILL QUERY " + lockId);
        } catch (SQLException e) {
            log.warn("could not withdraw the pending " + kind.describe + " (KILL QUERY " + lockId + "): "
                    + e.getMessage() + "; it gives up by itself within " + LockLimits.LOCK_WAIT_OPTION);
        }
    }

    /**
     * MySQL 8.0 and later: {@code LOCK INSTANCE FOR BACKUP} keeps DDL out until {@link #close()} (it needs
     * BACKUP_ADMIN), so that the schema the dump reads after {@link #releaseCommits()} is its snapshot's. Writes go on;
     * a DDL statement waits for the dump instead of changing a table under it. Taken while commits are blocked, it is
     * granted at once: no DDL runs then. False where the server or the account cannot.
     */
    public boolean keepDdlOut() throws SQLException {
        if (server.flavor() != Flavor.MYSQL || !server.atLeast(8, 0)) {
            return false;
        }
        try (Statement statement = lock.createStatement()) {
            statement.execute("LOCK INSTANCE FOR BACKUP");
            ddlKeptOut = true;
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == ACCESS_DENIED) {
                log.info("DDL is not kept out while the dump reads its schema (LOCK INSTANCE FOR BACKUP needs"
                        + " BACKUP_ADMIN): a table changed in that moment fails the dump instead of waiting for it");
                return false;
            }
            throw e;
        }
    }

    /** Lets commits go on; the transactions begun under the lock keep their snapshot. */
    public void releaseCommits() throws SQLException {
        if (commitsBlocked) {
            try (Statement statement = lock.createStatement()) {
                statement.execute(kind.release);
            }
            commitsBlocked = false;
            log.info("commits were blocked for " + (System.nanoTime() - blockedAtNanos) / 1_000_000 + " ms ("
                    + kind.describe + ")");
        }
    }

    private void releaseQuietly() {
        try (Statement statement = lock.createStatement()) {
            statement.execute(kind.release);
        } catch (SQLException ignored) {
            // nothing was held, or the connection is gone, which releases it as well
        }
        commitsBlocked = false;
    }

    /** Releases what is still held (safe to call twice) and closes the watching connection. */
    @Override
    public void close() {
        if (commitsBlocked) {
            releaseQuietly();
        }
        if (ddlKeptOut) {
            try (Statement statement = lock.createStatement()) {
                statement.execute("UNLOCK INSTANCE");
            } catch (SQLException ignored) {
                // closing the lock's connection releases it as well
            }
            ddlKeptOut = false;
        }
        try {
            control.close();
        } catch (SQLException ignored) {
            // it held nothing
        }
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }
}
