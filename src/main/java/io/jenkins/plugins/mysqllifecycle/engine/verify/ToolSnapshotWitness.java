package io.jenkins.plugins.mysqllifecycle.engine.verify;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.DataConnections;
import io.jenkins.plugins.mysqllifecycle.engine.sql.SnapshotSchema;
import io.jenkins.plugins.mysqllifecycle.engine.sql.SqlText;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Takes the source's row counts and checksums in the very snapshot a dump tool reads: a global read lock is held
 * from before the tool starts until its transaction is seen open, and this witness opens its own snapshot under the
 * same lock; with no write in between, both snapshots hold the same data. Writers wait only for the tool's start.
 * The tool's transaction is known as one that was not open before the tool started: another client opening a
 * transaction in that instant would be taken for it, and the lock released a moment early.
 */
public final class ToolSnapshotWitness implements AutoCloseable {
    private static final Duration TOOL_START_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Connections reading the witness's snapshot, so that the tables' checksums are taken side by side (see
     * SpreadOverConnections): one per core of the engine's machine, at most this many.
     */
    private static final int MAX_SNAPSHOTS = 4;

    private final Connection lock;
    private final List<Connection> snapshots = new ArrayList<>();
    private final Set<Long> transactionsBefore = new HashSet<>();
    private boolean locked;

    private ToolSnapshotWitness(Connection lock) {
        this.lock = lock;
    }

    /** Locks and opens the witness's snapshot; call before the dump tool starts. */
    public static ToolSnapshotWitness lockBeforeDump(DataConnections server) throws SQLException, EngineException {
        ToolSnapshotWitness witness = new ToolSnapshotWitness(server.open());
        try {
            int count = Math.max(1, Math.min(MAX_SNAPSHOTS, Runtime.getRuntime().availableProcessors()));
            for (int i = 0; i < count; i++) {
                witness.snapshots.add(server.open());
            }
        } catch (SQLException | RuntimeException e) {
            witness.close();
            throw e;
        }
        Connection lock = witness.lock;
        try (Statement statement = lock.createStatement()) {
            try {
                statement.execute("FLUSH TABLES WITH READ LOCK");
            } catch (SQLException e) {
                witness.close();
                if (e.getErrorCode() == 1227) {
                    throw new EngineException("verify needs the RELOAD privilege (FLUSH TABLES WITH READ LOCK) to"
                            + " take the source's checksums in the dump's snapshot; grant it to the dump's account."
                            + " " + e.getMessage(), e);
                }
                throw e;
            }
            witness.locked = true;
            // under the lock nothing commits: every one of these snapshots holds the same data
            for (Connection snapshot : witness.snapshots) {
                try (Statement start = snapshot.createStatement()) {
                    start.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                    start.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
                }
            }
            witness.transactionsBefore.addAll(witness.openTransactions());
        } catch (SQLException | RuntimeException e) {
            witness.close();
            throw e;
        }
        return witness;
    }

    /**
     * Waits until a transaction that was not open before the tool started is open, or the tool has ended (a small
     * dump may open and close its transaction between two looks: the server refreshes INNODB_TRX every 0.1 s; then
     * the whole dump ran under the lock), and releases the lock.
     */
    public void awaitToolSnapshotThenUnlock(BooleanSupplier toolEnded) throws SQLException, EngineException,
            InterruptedException {
        Deadline deadline = Deadline.after(TOOL_START_TIMEOUT);
        try {
            while (true) {
                boolean ended = toolEnded.getAsBoolean();
                Set<Long> now = openTransactions();
                now.removeAll(transactionsBefore);
                if (!now.isEmpty() || ended) {
                    return;
                }
                if (deadline.hasExpired()) {
                    throw new EngineException("The dump tool's transaction did not open within "
                            + Durations.describe(TOOL_START_TIMEOUT) + " of its start, so the source's checksums"
                            + " cannot be taken in its snapshot; nothing was verified.");
                }
                Thread.sleep(2);
            }
        } finally {
            unlock();
        }
    }

    private Set<Long> openTransactions() throws SQLException {
        Set<Long> threads = new HashSet<>();
        try (Statement statement = lock.createStatement();
             ResultSet rows = statement.executeQuery("SELECT trx_mysql_thread_id FROM information_schema.INNODB_TRX")) {
            while (rows.next()) {
                threads.add(rows.getLong(1));
            }
        }
        return threads;
    }

    /** Row counts and CHECKSUM TABLE of every base table of the databases, in the witness's snapshot. */
    public List<TableCheck> checks(List<String> databases, boolean allDatabases) throws SQLException,
            InterruptedException {
        return checksIn(snapshots, allDatabases ? SnapshotSchema.allDatabases(snapshots.get(0)) : databases);
    }

    /**
     * What a restore of the databases must reproduce, in the snapshot {@code connections} all read: every object
     * the server lists in them, each by its database and name. A table, sequence or system-versioned table gets its
     * row count and CHECKSUM TABLE; a view only has to be there ({@link TableCheck#VIEW_ROWS}). The list is the
     * server's, read here on its own (on the first connection), so that it does not share a mistake with the list a
     * dump was written from; the tables are spread over the connections.
     */
    public static List<TableCheck> checksIn(List<Connection> connections, List<String> databases)
            throws SQLException, InterruptedException {
        Connection connection = connections.get(0);
        List<String[]> all = new ArrayList<>();
        for (String database : databases) {
            List<String[]> objects = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT TABLE_NAME, TABLE_TYPE FROM"
                    + " information_schema.TABLES WHERE TABLE_SCHEMA = ? AND BINARY TABLE_SCHEMA = BINARY ?"
                    + " AND TABLE_TYPE <> 'TEMPORARY' ORDER BY BINARY TABLE_NAME")) {
                SnapshotSchema.exactly(statement, database);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        objects.add(new String[] {rows.getString(1), rows.getString(2)});
                    }
                }
            }
            for (String[] object : objects) {
                all.add(new String[] {database, object[0], object[1]});
            }
        }
        return SpreadOverConnections.apply(connections, all, (on, object) -> object[2].equals("VIEW")
                ? new TableCheck(object[0], object[1], TableCheck.VIEW_ROWS, null) : check(on, object[0], object[1]));
    }

    static TableCheck check(Connection connection, String database, String table) throws SQLException {
        String qualified = SqlText.quoteName(database) + "." + SqlText.quoteName(table);
        try (Statement statement = connection.createStatement()) {
            long rows;
            try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + qualified)) {
                count.next();
                rows = count.getLong(1);
            }
            try (ResultSet sum = statement.executeQuery("CHECKSUM TABLE " + qualified)) {
                sum.next();
                return new TableCheck(database, table, rows, sum.getString(2));
            }
        }
    }

    private void unlock() {
        if (locked) {
            try (Statement statement = lock.createStatement()) {
                statement.execute("UNLOCK TABLES");
                locked = false;
            } catch (SQLException ignored) {
                // closing the connection below releases the lock as well
            }
        }
    }

    @Override
    public void close() {
        unlock();
        List<Connection> all = new ArrayList<>(snapshots);
        all.add(lock);
        for (Connection connection : all) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // releases the lock and the snapshot in any case
            }
        }
    }
}
