package io.jenkins.plugins.mysqllifecycle.engine.sql;

import io.jenkins.plugins.mysqllifecycle.engine.BinlogCoordinates;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The binary log coordinates a connection sees, asked in the words of the server's flavor and version. */
public final class BinaryLog {
    private static final int ACCESS_DENIED = 1227;

    private BinaryLog() {
    }

    /**
     * The current file, position and GTID set; {@link BinlogCoordinates#OFF} when the server logs none. MySQL 8.4
     * and later have no SHOW MASTER STATUS, MySQL no {@code @@gtid_binlog_pos}: {@link ServerVersion} picks the words.
     * An account that may not see the log's status still gets the GTID set, which needs no privilege.
     */
    public static BinlogCoordinates coordinates(Connection connection) throws SQLException {
        if (!"1".equals(query(connection, "SELECT @@log_bin"))) {
            return BinlogCoordinates.OFF;
        }
        ServerVersion server = ServerVersion.parse(query(connection, "SELECT VERSION()"));
        String file = null;
        long position = -1;
        try (Statement statement = connection.createStatement();
             ResultSet status = statement.executeQuery(server.binaryLogStatusStatement())) {
            if (status.next()) {
                file = status.getString(1);
                position = status.getLong(2);
            }
        } catch (SQLException e) {
            if (e.getErrorCode() != ACCESS_DENIED) {
                throw e;
            }
        }
        String gtidSet = query(connection, server.gtidSetQuery());
        if (file == null && (gtidSet == null || gtidSet.isBlank())) {
            throw new SQLException("the binary log is on, but " + server.binaryLogStatusStatement() + " shows this"
                    + " account nothing: grant it REPLICATION CLIENT (MariaDB: BINLOG MONITOR)", "42000",
                    ACCESS_DENIED);
        }
        return new BinlogCoordinates(true, file, position, gtidSet);
    }

    /**
     * The coordinates of the snapshot {@code transaction} reads: it must have begun with START TRANSACTION WITH
     * CONSISTENT SNAPSHOT. MariaDB says where its snapshot stands itself ({@code binlog_snapshot_file} and
     * {@code _position}, with the GTID position that maps to them), needing neither a lock nor a privilege; MySQL
     * does not, so there {@code lockHolder} asks for the current coordinates while it blocks commits.
     */
    public static BinlogCoordinates ofSnapshot(Connection transaction, Connection lockHolder, ServerVersion server)
            throws SQLException {
        if (server.flavor() != io.jenkins.plugins.mysqllifecycle.engine.Flavor.MARIADB) {
            return coordinates(lockHolder);
        }
        if (!"1".equals(query(transaction, "SELECT @@log_bin"))) {
            return BinlogCoordinates.OFF;
        }
        String file = null;
        long position = -1;
        try (Statement statement = transaction.createStatement();
             ResultSet status = statement.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
            while (status.next()) {
                if (status.getString(1).equalsIgnoreCase("Binlog_snapshot_file")) {
                    file = status.getString(2);
                } else if (status.getString(1).equalsIgnoreCase("Binlog_snapshot_position")) {
                    position = Long.parseLong(status.getString(2));
                }
            }
        }
        if (file == null || file.isEmpty() || position < 0) {
            return coordinates(lockHolder);
        }
        String gtid;
        try (java.sql.PreparedStatement statement = transaction.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            statement.setString(1, file);
            statement.setLong(2, position);
            try (ResultSet result = statement.executeQuery()) {
                gtid = result.next() ? result.getString(1) : null;
            }
        }
        return BinlogCoordinates.at(file, position, gtid);
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        }
    }
}
