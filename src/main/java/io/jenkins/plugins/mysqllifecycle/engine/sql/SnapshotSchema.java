package io.jenkins.plugins.mysqllifecycle.engine.sql;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The databases, tables and views a parallel dump writes, read while the server's global read lock is held, so
 * that they match the data of the snapshot the workers take under the same lock.
 */
public final class SnapshotSchema {
    /** Never part of a dump: they are views of the server's state, rebuilt by every server. */
    static final List<String> SYSTEM_DATABASES = List.of("information_schema", "performance_schema", "sys", "mysql");

    public record Column(String name, String dataType, SqlText.Kind kind, boolean generated) {
    }

    public record Table(String database, String name, boolean view, String createStatement, List<Column> columns,
                 String integerKey, long estimatedRows, long estimatedBytes) {
        public String qualifiedName() {
            return SqlText.quoteName(database) + "." + SqlText.quoteName(name);
        }

        public String describe() {
            return database + "." + name;
        }

        /** The columns an INSERT names: generated columns are computed by the server that loads the dump. */
        public List<Column> storedColumns() {
            return columns.stream().filter(column -> !column.generated()).toList();
        }
    }

    /**
     * A stored procedure, function, package, trigger or event, with the session settings it was created under; its
     * {@code type} is the word SHOW CREATE and DROP take. The time zone is an event's only.
     */
    public record StoredObject(String type, String name, String createStatement, String sqlMode, String collation,
                        String timeZone) {
        public String describe(String database) {
            return type.toLowerCase(java.util.Locale.ROOT) + " " + database + "." + name;
        }
    }

    public record Database(String name, String createStatement, List<Table> tables, List<StoredObject> storedObjects) {
    }

    private SnapshotSchema() {
    }

    public static List<String> allDatabases(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW DATABASES")) {
            while (rows.next()) {
                if (!SYSTEM_DATABASES.contains(rows.getString(1).toLowerCase(java.util.Locale.ROOT))) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    public static List<Database> read(Connection connection, List<String> databases) throws SQLException, EngineException {
        List<Database> result = new ArrayList<>();
        for (String database : databases) {
            String create;
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SHOW CREATE DATABASE " + SqlText.quoteName(database))) {
                rows.next();
                create = rows.getString(2);
            } catch (SQLException e) {
                if (e.getErrorCode() == 1049) {
                    throw new InvalidSpecException("The database '" + database + "' does not exist on the server;"
                            + " check the name (it is case-sensitive on Linux).");
                }
                throw e;
            }
            result.add(new Database(database, create, tables(connection, database),
                    storedObjects(connection, database)));
        }
        return result;
    }

    private static List<Table> tables(Connection connection, String database) throws SQLException {
        Map<String, List<Column>> columns = columns(connection, database);
        Map<String, String> integerKeys = integerKeys(connection, database);
        List<Table> tables = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT TABLE_NAME, TABLE_TYPE,"
                + " COALESCE(TABLE_ROWS, 0), COALESCE(DATA_LENGTH, 0) FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'VIEW') ORDER BY TABLE_NAME")) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    boolean view = rows.getString(2).equals("VIEW");
                    tables.add(new Table(database, name, view, showCreate(connection, database, name, view),
                            columns.getOrDefault(name, List.of()), view ? null : integerKeys.get(name),
                            rows.getLong(3), rows.getLong(4)));
                }
            }
        }
        return tables;
    }

    /** Routines first, then triggers in the order they fire, then events. */
    private static List<StoredObject> storedObjects(Connection connection, String database)
            throws SQLException, EngineException {
        List<StoredObject> objects = new ArrayList<>();
        for (String query : List.of(
                "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?"
                        + " ORDER BY ROUTINE_TYPE, ROUTINE_NAME",
                "SELECT 'TRIGGER', TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?"
                        + " ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER",
                "SELECT 'EVENT', EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?"
                        + " ORDER BY EVENT_NAME")) {
            List<String[]> named = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(query)) {
                statement.setString(1, database);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        named.add(new String[] {rows.getString(1), rows.getString(2)});
                    }
                }
            }
            for (String[] object : named) {
                objects.add(showCreateStored(connection, database, object[0], object[1]));
            }
        }
        return objects;
    }

    /**
     * SHOW CREATE of a stored object. Its columns: name, sql_mode, the statement, character_set_client,
     * collation_connection; an event has its time zone before the statement.
     */
    private static StoredObject showCreateStored(Connection connection, String database, String type, String name)
            throws SQLException, EngineException {
        boolean event = type.equals("EVENT");
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW CREATE " + type + " " + SqlText.quoteName(database)
                     + "." + SqlText.quoteName(name))) {
            rows.next();
            String create = rows.getString(event ? 4 : 3);
            if (create == null) {
                throw new EngineException("The server did not show the definition of "
                        + type.toLowerCase(java.util.Locale.ROOT) + " " + database + "." + name + " to the dump's"
                        + " account; grant it global SELECT (it then reads mysql.proc; SHOW CREATE ROUTINE on MariaDB"
                        + " 11.3 and later, SHOW_ROUTINE on MySQL 8), or use method mysqldump.");
            }
            return new StoredObject(type, name, create, rows.getString(2), rows.getString(event ? 6 : 5),
                    event ? rows.getString(3) : null);
        }
    }

    private static String showCreate(Connection connection, String database, String name, boolean view)
            throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW CREATE " + (view ? "VIEW " : "TABLE ")
                     + SqlText.quoteName(database) + "." + SqlText.quoteName(name))) {
            rows.next();
            return rows.getString(2);
        }
    }

    private static Map<String, List<Column>> columns(Connection connection, String database) throws SQLException {
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE,"
                + " EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME,"
                + " ORDINAL_POSITION")) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String extra = rows.getString(4) == null ? "" : rows.getString(4).toUpperCase(java.util.Locale.ROOT);
                    String dataType = rows.getString(3).toLowerCase(java.util.Locale.ROOT);
                    columns.computeIfAbsent(rows.getString(1), table -> new ArrayList<>()).add(new Column(
                            rows.getString(2), dataType, SqlText.Kind.ofDataType(dataType),
                            extra.contains("GENERATED") || extra.contains("VIRTUAL") || extra.contains("PERSISTENT")));
                }
            }
        }
        return columns;
    }

    /** Tables whose primary key is one integer column: their rows can be split into key ranges. */
    private static Map<String, String> integerKeys(Connection connection, String database) throws SQLException {
        Map<String, String> keys = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT s.TABLE_NAME, MIN(s.COLUMN_NAME),"
                + " COUNT(*), MIN(c.DATA_TYPE) FROM information_schema.STATISTICS s JOIN information_schema.COLUMNS c"
                + " ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME ="
                + " s.COLUMN_NAME WHERE s.TABLE_SCHEMA = ? AND s.INDEX_NAME = 'PRIMARY' GROUP BY s.TABLE_NAME")) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String type = rows.getString(4).toLowerCase(java.util.Locale.ROOT);
                    if (rows.getInt(3) == 1 && type.endsWith("int")) {
                        keys.put(rows.getString(1), rows.getString(2));
                    }
                }
            }
        }
        return keys;
    }
}
