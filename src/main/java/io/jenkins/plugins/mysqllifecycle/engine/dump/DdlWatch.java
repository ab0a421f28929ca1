package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.sql.LongQueryGuard;
import io.jenkins.plugins.mysqllifecycle.engine.sql.WaitingDdl;
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

    private final Connection connection;
    private final List<String> databases;
    private final Duration patience;
    private List<LongQueryGuard.RunningStatement> waiting = List.of();

    /** @param connection the dump's own, idle while rows are read; it holds no lock itself */
    DdlWatch(Connection connection, List<String> databases, Duration patience) {
        this.connection = connection;
        this.databases = databases;
        this.patience = patience;
    }

    /** Whether DDL about the dumped databases has waited for a metadata lock as long as the bound. */
    boolean waits() throws SQLException {
        waiting = WaitingDdl.find(connection, databases, Math.max(1, patience.toSeconds()));
        return !waiting.isEmpty();
    }

    /** Fails the dump, naming the DDL that {@link #waits()} found; the caller has stopped its readers first. */
    void giveWay() throws EngineException {
        throw new EngineException(WaitingDdl.failure(waiting));
    }
}
