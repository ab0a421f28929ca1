package io.jenkins.plugins.mysqllifecycle.engine.sql;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps a global lock from being asked for while a long statement runs. {@code FLUSH TABLES WITH READ LOCK} waits for
 * every running statement to end, and every write on the server queues behind it while it waits: one report query
 * of two hours would stop all writes for two hours. So, before asking, the dump waits (at most
 * {@link LockLimits#longQueryGuard()}) until no other session runs a statement that has run for
 * {@link #LONG_SECONDS} or more; past the guard it fails, naming each such statement, or stops them with
 * {@code KILL QUERY} when {@link LockLimits#killLongQueries()} says so. An account without the PROCESS privilege
 * sees only its own user's sessions: then only the bound of the lock request itself protects the server.
 */
public final class LongQueryGuard {
    /** A statement that has run this long is taken as one that will run on past the lock's bound. */
    public static final long LONG_SECONDS = 1;
    private static final Duration LOOK_INTERVAL = Duration.ofMillis(200);
    /** How much of a statement's text a message shows: enough to recognise it, too little to carry a secret. */
    private static final int TEXT_CHARS = 60;
    /** String literals ('...', "...") are never shown: a statement may carry a password or personal data. */
    private static final Pattern LITERAL = Pattern.compile("'(?:[^'\\\\]|\\\\.|'')*(?:'|$)|\"(?:[^\"\\\\]|\\\\.|\"\")*(?:\"|$)",
            Pattern.DOTALL);
    private static final int NOT_OWNER = 1095;
    private static final int ACCESS_DENIED = 1227;
    /** The statement ended between the look and the kill. */
    private static final int NO_SUCH_THREAD = 1094;

    private LongQueryGuard() {
    }

    /** A statement another session runs, as a message names it. */
    public record RunningStatement(long id, String user, long seconds, String text) {
        public String describe() {
            return "id " + id + " (user " + user + ", running " + seconds + " s): " + text;
        }
    }

    /**
     * The statements other sessions have run for {@link #LONG_SECONDS} or more, longest first: not idle sessions,
     * not the server's own or replication threads, not this connection.
     */
    public static List<RunningStatement> find(Connection connection) throws SQLException {
        List<RunningStatement> running = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT ID, USER, TIME, LEFT(INFO, 400) FROM"
                     + " information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO IS NOT NULL"
                     + " AND TIME >= " + LONG_SECONDS + " AND COMMAND NOT IN ('Sleep', 'Daemon', 'Killed',"
                     + " 'Connect', 'Binlog Dump', 'Binlog Dump GTID', 'Slave_IO', 'Slave_SQL', 'Slave_worker')"
                     + " AND USER NOT IN ('system user', 'event_scheduler') ORDER BY TIME DESC, ID")) {
            while (rows.next()) {
                running.add(new RunningStatement(rows.getLong(1), rows.getString(2), rows.getLong(3),
                        shortText(rows.getString(4))));
            }
        }
        return running;
    }

    /** The start of a statement on one line, its string literals left out. */
    static String shortText(String sql) {
        String text = LITERAL.matcher(sql == null ? "" : sql).replaceAll("'…'").replaceAll("\\s+", " ").strip();
        return text.length() <= TEXT_CHARS ? text : text.substring(0, TEXT_CHARS) + "…";
    }

    /**
     * Returns once no other session runs a long statement. Past {@code guard} it kills them (with
     * {@link LockLimits#killLongQueries()}) or fails naming them; past {@code overall} it fails as a timeout.
     *
     * @param lock what is about to be asked for, as messages name it
     */
    public static void awaitNone(Connection connection, String lock, LockLimits limits, Deadline guard,
                                 Deadline overall, Log log) throws EngineException, InterruptedException, SQLException {
        boolean announced = false;
        java.util.Set<Long> killed = new java.util.HashSet<>();
        while (true) {
            List<RunningStatement> running = find(connection);
            if (running.isEmpty()) {
                if (announced) {
                    log.info("no long statement runs any more; asking for " + lock);
                }
                return;
            }
            if (!announced) {
                log.info("waiting up to " + Durations.describe(limits.longQueryGuard()) + " (" + LockLimits.GUARD_OPTION
                        + ") for " + describe(running) + " to end before asking for " + lock
                        + ": it would wait for them, and every write would queue behind it");
                announced = true;
            }
            if (overall.hasExpired()) {
                throw new OperationTimeoutException("The dump's timeout ran out while it waited for long statements"
                        + " to end before asking for " + lock + ": " + describe(running) + ". Nothing was locked"
                        + " and nothing was written.", null);
            }
            if (guard.hasExpired()) {
                if (!limits.killLongQueries()) {
                    throw new EngineException("The dump did not ask for " + lock + ": " + describe(running)
                            + " still ran after " + Durations.describe(limits.longQueryGuard()) + " ("
                            + LockLimits.GUARD_OPTION + "), and the lock would have waited for them with every write"
                            + " on the server queued behind it. Let them finish and dump again, give "
                            + LockLimits.GUARD_OPTION + " more seconds, or give " + LockLimits.KILL_OPTION
                            + " to stop them (KILL QUERY). Nothing was locked and nothing was written.");
                }
                for (RunningStatement statement : running) {
                    // a killed statement may take a moment to roll back: it is waited for, not killed twice
                    if (killed.add(statement.id())) {
                        kill(connection, statement, log);
                    }
                }
            }
            Duration pause = Durations.min(LOOK_INTERVAL, Durations.min(guard.remaining(), overall.remaining()));
            Thread.sleep(pause.toMillis());
        }
    }

    private static void kill(Connection connection, RunningStatement statement, Log log) throws EngineException,
            SQLException {
        log.warn("stopping the statement " + statement.describe() + " with KILL QUERY (" + LockLimits.KILL_OPTION
                + ")");
        try (Statement kill = connection.createStatement()) {
            kill.execute("KILL QUERY " + statement.id());
        } catch (SQLException e) {
            if (e.getErrorCode() == NOT_OWNER || e.getErrorCode() == ACCESS_DENIED) {
                throw new EngineException(LockLimits.KILL_OPTION + " could not stop the statement "
                        + statement.describe() + ": the dump's account may stop only its own statements; grant"
                        + " it CONNECTION_ADMIN (MySQL) or CONNECTION ADMIN (MariaDB), or leave "
                        + LockLimits.KILL_OPTION + " out. " + e.getMessage(), e);
            }
            if (e.getErrorCode() != NO_SUCH_THREAD) {
                throw e;
            }
        }
    }

    private static String describe(List<RunningStatement> running) {
        List<String> named = running.stream().map(RunningStatement::describe).toList();
        return (running.size() == 1 ? "the statement " : running.size() + " statements: ") + String.join("; ", named);
    }
}
