package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.sql.LongQueryGuard;
import io.jenkins.plugins.mysqllifecycle.engine.sql.WaitingDdl;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * A dump's transactions hold a metadata lock on each table they have read (MariaDB until they end, MySQL while the
 * table is read), and DDL that waits for one makes every later write to its table wait behind it. Looked for every
 * {@link #LOOK_INTERVAL} while rows are read ({@link WaitingDdl}); once such DDL has waited the lock bound
 * (lock-wait-timeout), the dump gives way: it stops, and its locks go with its connections.
 */
final class DdlWatch {
    static final Duration LOOK_INTERVAL = Duration.ofSeconds(1);
    /**
     * How long one look may wait for the server's answer: a connection cut without a word (an SSH tunnel gone) would
     * otherwise block the dump's own wait, which notices the dump failing.
     */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Connection connection;
    private final List<String> databases;
    private final Duration patience;
    private final Log log;
    private List<LongQueryGuard.RunningStatement> waiting = List.of();
    private boolean blind;

    /** @param connection the dump's own, idle while rows are read; it holds no lock itself */
    DdlWatch(Connection connection, List<String> databases, Duration patience, Log log) throws SQLException {
        this.connection = connection;
        this.databases = databases;
        this.patience = patience;
        this.log = log;
        connection.setNetworkTimeout(Runnable::run, (int) READ_TIMEOUT.toMillis());
    }

    /**
     * Whether DDL about the dumped databases has waited for a metadata lock as long as the bound. A look that fails
     * ends the watch, never the dump: the dump's readers see a lost server for themselves.
     */
    boolean waits() {
        if (blind) {
            return false;
        }
        try {
            waiting = WaitingDdl.find(connection, databases, Math.max(1, patience.toSeconds()));
        } catch (SQLException e) {
            blind = true;
            log.warn("stopped looking for DDL that waits for the dump (" + e.getMessage() + "); the dump goes on");
            return false;
        }
        return !waiting.isEmpty();
    }

    /** Fails the dump, naming the DDL that {@link #waits()} found; the caller has stopped its readers first. */
    void giveWay() throws EngineException {
        throw new EngineException(WaitingDdl.failure(waiting));
    }
}
