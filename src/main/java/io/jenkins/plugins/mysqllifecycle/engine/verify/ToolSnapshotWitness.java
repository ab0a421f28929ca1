package io.jenkins.plugins.mysqllifecycle.engine.verify;

import io.jenkins.plugins.mysqllifecycle.engine.BinlogCoordinates;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.DataConnections;
import io.jenkins.plugins.mysqllifecycle.engine.sql.BinaryLog;
import io.jenkins.plugins.mysqllifecycle.engine.sql.LockLimits;
import io.jenkins.plugins.mysqllifecycle.engine.sql.ServerVersion;
import io.jenkins.plugins.mysqllifecycle.engine.sql.SnapshotLock;
import io.jenkins.plugins.mysqllifecycle.engine.sql.SnapshotSchema;
import io.jenkins.plugins.mysqllifecycle.engine.sql.SqlText;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Holds commits still ({@link SnapshotLock}: bounded, withdrawn if the dump gives up) from before a dump tool starts
 * until its transaction is seen open, so that what is read under the lock is what the tool's snapshot holds: the
 * binary log coordinates ({@link #coordinates()}; MySQL's tool cannot say where its snapshot stands without a lock of
 * its own) and, for verify, the source's row counts and checksums, through a snapshot of this witness's own begun under
 * the same lock. The tool's transaction is the first explicit one that opens on a connection of the dump's own user
 * newer than the witness's; writers wait only for the tool's start, plus up to {@link #TRANSACTIONS_REFRESH}. An
 * account that may not lock ({@link #watchWithoutLock}) still gets the coordinates when nothing was committed
 * between a look before the tool started and one after its transaction opened: the snapshot lies between two looks
 * that agree.
 */
public final class ToolSnapshotWitness implements AutoCloseable {
    /**
     * The longest commits stay blocked for a tool to start: a local tool opens its transaction within tens of
     * milliseconds, one over SSH within about a second.
     */
    private static final Duration TOOL_START_TIMEOUT = Duration.ofSeconds(10);
    private static final int ACCESS_DENIED = 1227;
    /**
     * How often the witness looks for the tool's transaction. information_schema.INNODB_TRX is a cache that InnoDB
     * fills again only when nobody has read it for 0.1 s (trx0i_s.cc, CACHE_MIN_IDLE_TIME): a witness looking every
     * few milliseconds kept it from ever changing, and never saw the tool's transaction open.
     */
    private static final Duration TRANSACTIONS_REFRESH = Duration.ofMillis(110);
    /**
     * Connections reading the witness's snapshot, so that the tables' checksums are taken side by side (see
     * SpreadOverConnections): one per core of the engine's machine, at most this many.
     */
    private static final int MAX_SNAPSHOTS = 4;

    private final Connection lock;
    /** Empty unless verify asked for checks. */
    private final List<Connection> snapshots = new ArrayList<>();
    /** The newest of the witness's own connections: the tool connects after it, so its connection id is higher. */
    private long newestOwnConnection;
    private SnapshotLock held;
    private BinlogCoordinates coordinates;
    /** Without a lock: the coordinates are kept only if a second look, once the tool's transaction is open, agrees. */
    private Log unlockedLog;

    private ToolSnapshotWitness(Connection lock) {
        this.lock = lock;
    }

    /**
     * Reads the coordinates before the tool starts, without a lock; {@link #awaitToolSnapshotThenUnlock} reads them
     * again once the tool's transaction is open and keeps them only if nothing was committed in between.
     */
    public static ToolSnapshotWitness watchWithoutLock(DataConnections server, Log log) throws SQLException,
            EngineException {
        ToolSnapshotWitness witness = new ToolSnapshotWitness(server.open());
        try {
            witness.unlockedLog = log;
            witness.toolTransactionOpen();
            witness.newestOwnConnection = connectionId(witness.lock);
            witness.coordinates = BinaryLog.coordinates(witness.lock);
        } catch (SQLException | EngineException | RuntimeException e) {
            witness.close();
            throw e;
        }
        return witness;
    }

    /**
     * Blocks commits and reads what the tool's snapshot will hold; call before the dump tool starts.
     *
     * @param withChecks   open the witness's own snapshot, for {@link #checks}
     * @param alternative  what the account can do instead when it may not lock, ending a sentence
     */
    public static ToolSnapshotWitness lockBeforeDump(DataConnections server, LockLimits limits, Deadline deadline,
                                                     Log log, boolean withChecks, String alternative)
            throws SQLException, EngineException, InterruptedException {
        Connection lock = server.open();
        ToolSnapshotWitness witness = new ToolSnapshotWitness(lock);
        try {
            int snapshots = withChecks ? Math.min(MAX_SNAPSHOTS, Runtime.getRuntime().availableProcessors()) : 0;
            for (int i = 0; i < snapshots; i++) {
                witness.snapshots.add(server.open());
            }
            ServerVersion version = ServerVersion.parse(query(lock, "SELECT VERSION()"));
            witness.toolTransactionOpen(); // PROCESS is needed to see the tool's transaction: fail before locking
            witness.held = SnapshotLock.take(lock, server, version, limits, deadline, log, alternative);
            // nothing commits under the lock: every one of these snapshots holds the same data
            for (Connection snapshot : witness.snapshots) {
                try (Statement start = snapshot.createStatement()) {
                    start.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                    start.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
                }
            }
            try {
                witness.coordinates = BinaryLog.coordinates(lock);
            } catch (SQLException e) {
                log.warn("the binary log coordinates are not recorded: " + e.getMessage());
            }
            witness.newestOwnConnection = connectionId(lock);
            for (Connection snapshot : witness.snapshots) {
                witness.newestOwnConnection = Math.max(witness.newestOwnConnection, connectionId(snapshot));
            }
        } catch (SQLException | EngineException | InterruptedException | RuntimeException e) {
            witness.close();
            throw e;
        }
        return witness;
    }

    /** Where the tool's snapshot stands in the binary log: nothing commits while the witness holds its lock. */
    public BinlogCoordinates coordinates() {
        return coordinates;
    }

    /**
     * Waits until the tool's transaction is open, or the tool has ended (a small dump may open and close its
     * transaction between two looks; then the whole dump ran under the lock), and lets commits go on.
     */
    public void awaitToolSnapshotThenUnlock(BooleanSupplier toolEnded) throws SQLException, EngineException,
            InterruptedException {
        Deadline deadline = Deadline.after(TOOL_START_TIMEOUT);
        long nextLook = System.nanoTime();
        try {
            while (true) {
                boolean ended = toolEnded.getAsBoolean();
                boolean open = false;
                if (!ended && System.nanoTime() - nextLook >= 0) {
                    open = toolTransactionOpen();
                    nextLook = System.nanoTime() + TRANSACTIONS_REFRESH.toNanos();
                }
                if (open || ended) {
                    if (unlockedLog != null) {
                        BinlogCoordinates after = BinaryLog.coordinates(lock);
                        if (!after.equals(coordinates)) {
                            unlockedLog.warn("the binary log coordinates of the dump's snapshot are not recorded:"
                                    + " the server committed while the dump tool started (" + coordinates + ", then "
                                    + after + "), and exact ones need a moment's lock (RELOAD)");
                            coordinates = null;
                        }
                    }
                    return;
                }
                if (deadline.hasExpired()) {
                    throw new EngineException("The dump tool's transaction did not open within "
                            + Durations.describe(TOOL_START_TIMEOUT) + " of its start; commits were let go rather"
                            + " than held any longer, so what the tool's snapshot holds is not known. Nothing was"
                            + " kept.");
                }
                Thread.sleep(2);
            }
        } finally {
            unlock();
        }
    }

    /**
     * Whether a connection of this account's user that is newer than the witness's own has an explicit transaction
     * open (an autocommitted read the tool makes before its START TRANSACTION does not count). The account's
     * sessions see each other without PROCESS; INNODB_TRX needs it.
     */
    private boolean toolTransactionOpen() throws SQLException, EngineException {
        try (PreparedStatement statement = lock.prepareStatement("SELECT COUNT(*) FROM information_schema.INNODB_TRX t"
                + " JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id"
                + " WHERE p.USER = SUBSTRING_INDEX(USER(), '@', 1) AND t.trx_mysql_thread_id > ?"
                + " AND t.trx_autocommit_non_locking = 0")) {
            statement.setLong(1, newestOwnConnection);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == ACCESS_DENIED) {
                throw new SnapshotLock.NotPermittedException("Seeing when the dump tool's transaction opens needs the"
                        + " PROCESS privilege (information_schema.INNODB_TRX); grant it to the dump's account. "
                        + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static long connectionId(Connection connection) throws SQLException {
        return Long.parseLong(query(connection, "SELECT CONNECTION_ID()"));
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

    private void unlock() throws SQLException {
        if (held != null) {
            held.releaseCommits();
        }
    }

    @Override
    public void close() {
        if (held != null) {
            held.close();
        }
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

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }
}
