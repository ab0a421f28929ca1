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
 * The databases, tables, views and sequences a parallel dump writes, read while the server's global read lock is
 * held, so that they match the data of the snapshot the workers take under the same lock. Every kind of object the
 * server lists is either read here or refused by name: none is left out silently. Names are compared exactly, as a
 * case-sensitive server compares them.
 */
public final class SnapshotSchema {
    /**
     * Never part of a dump: they are views of the server's state, rebuilt by every server. Compared exactly: SHOW
     * DATABASES names them in lower case, and a user's database {@code Sys} on a case-sensitive server is not
     * {@code sys}.
     */
    static final List<String> SYSTEM_DATABASES = List.of("information_schema", "performance_schema", "sys", "mysql");

    /** What an object of {@code information_schema.TABLES} is, as far as a dump is concerned. */
    public enum Type {
        /** Rows (a system-versioned table's include its history: see {@link Table#period()}). */
        TABLE,
        VIEW,
        /** No rows: its definition and its next value. */
        SEQUENCE
    }

    public record Column(String name, String dataType, SqlText.Kind kind, boolean generated) {
    }

    /**
     * A system-versioned table's row start and row end columns: they are read with every row of its history
     * ({@code FOR SYSTEM_TIME ALL}) and written back with {@code system_versioning_insert_history}.
     */
    public record Period(String rowStart, String rowEnd) {
    }

    /**
     * A table, view or sequence. Its identity is the pair of its database and its name ({@link #key()}): no
     * string joined from both is unambiguous, since either may hold any character.
     *
     * @param period       a system-versioned table's period columns, else null
     * @param sequenceNext a sequence's next value and round as {@code SETVAL} takes them ("1100, 0, 0"), else null
     */
    public record Table(String database, String name, Type type, String createStatement, List<Column> columns,
                 String integerKey, long estimatedRows, long estimatedBytes, Period period, String sequenceNext) {
        public boolean view() {
            return type == Type.VIEW;
        }

        /** Whether the table has rows to read: neither a view nor a sequence. */
        public boolean hasRows() {
            return type == Type.TABLE;
        }

        public ObjectKey key() {
            return new ObjectKey(database, name);
        }

        public String qualifiedName() {
            return SqlText.quoteName(database) + "." + SqlText.quoteName(name);
        }

        /** For messages: both names quoted, so that the dot between them is the only one outside quotes. */
        public String describe() {
            return qualifiedName();
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

    /** A table's or view's identity: its database and its name, as a pair. */
    public record ObjectKey(String database, String name) {
        /** Unambiguous as a string too: both names in backquotes, a backquote inside doubled. */
        @Override
        public String toString() {
            return SqlText.quoteName(database) + "." + SqlText.quoteName(name);
        }
    }

    private SnapshotSchema() {
    }

    public static List<String> allDatabases(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW DATABASES")) {
            while (rows.next()) {
                if (!SYSTEM_DATABASES.contains(rows.getString(1))) {
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

    private static List<Table> tables(Connection connection, String database) throws SQLException, EngineException {
        Map<String, List<Column>> columns = columns(connection, database);
        Map<String, String> integerKeys = integerKeys(connection, database);
        List<String[]> listed = new ArrayList<>();
        // every type the server lists: a type this version does not know is refused below, never skipped
        try (PreparedStatement statement = connection.prepareStatement("SELECT TABLE_NAME, TABLE_TYPE,"
                + " COALESCE(TABLE_ROWS, 0), COALESCE(DATA_LENGTH, 0) FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND BINARY TABLE_SCHEMA = BINARY ? ORDER BY BINARY TABLE_NAME")) {
            exactly(statement, database);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    listed.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getString(4)});
                }
            }
        }
        List<Table> tables = new ArrayList<>();
        for (String[] row : listed) {
            String name = row[0];
            String tableType = row[1];
            long estimatedRows = Long.parseLong(row[2]);
            long estimatedBytes = Long.parseLong(row[3]);
            List<Column> tableColumns = columns.getOrDefault(name, List.of());
            switch (tableType) {
                case "BASE TABLE" -> tables.add(new Table(database, name, Type.TABLE,
                        showCreate(connection, database, name, "TABLE"), tableColumns, integerKeys.get(name),
                        estimatedRows, estimatedBytes, null, null));
                case "VIEW" -> tables.add(new Table(database, name, Type.VIEW,
                        showCreate(connection, database, name, "VIEW"), tableColumns, null, 0, 0, null, null));
                case "SEQUENCE" -> tables.add(new Table(database, name, Type.SEQUENCE,
                        showCreate(connection, database, name, "SEQUENCE"), List.of(), null, 0, 0, null,
                        sequenceNext(connection, database, name)));
                case "SYSTEM VERSIONED" -> tables.add(versioned(connection, database, name, tableColumns,
                        estimatedRows, estimatedBytes));
                // a session's own temporary tables: this connection has none, and no other session's are listed
                case "TEMPORARY" -> {
                }
                default -> throw new EngineException("The parallel dump cannot dump " + SqlText.quoteName(database)
                        + "." + SqlText.quoteName(name) + ", which the server lists as a '" + tableType + "'; nothing"
                        + " was written. Use method mysqldump for this database.");
            }
        }
        // sequences first: a table's DEFAULT NEXT VALUE FOR names one, and the restore creates them in this order
        List<Table> ordered = new ArrayList<>(tables.stream().filter(table -> table.type() == Type.SEQUENCE).toList());
        ordered.addAll(tables.stream().filter(table -> table.type() != Type.SEQUENCE).toList());
        return ordered;
    }

    /**
     * A system-versioned table: its rows are read with their history, the period columns included, whether they
     * were declared (GENERATION_EXPRESSION 'ROW START') or are the implicit {@code row_start} and {@code row_end}.
     * A table versioned by transaction id cannot be loaded with its history (the ids are the server's own), so it is
     * refused rather than dumped without it. It is never split: its primary key holds the row end as well.
     */
    private static Table versioned(Connection connection, String database, String name, List<Column> declared,
                                   long estimatedRows, long estimatedBytes) throws SQLException, EngineException {
        String rowStart = null;
        String rowEnd = null;
        String startType = "timestamp";
        try (PreparedStatement statement = connection.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE,"
                + " GENERATION_EXPRESSION FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND BINARY TABLE_SCHEMA = BINARY ?"
                + " AND TABLE_NAME = ? AND BINARY TABLE_NAME = BINARY ?"
                + " AND GENERATION_EXPRESSION IN ('ROW START', 'ROW END')")) {
            exactly(statement, database, name);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (rows.getString(3).equals("ROW START")) {
                        rowStart = rows.getString(1);
                        startType = rows.getString(2).toLowerCase(java.util.Locale.ROOT);
                    } else {
                        rowEnd = rows.getString(1);
                    }
                }
            }
        }
        String qualified = SqlText.quoteName(database) + "." + SqlText.quoteName(name);
        if (!startType.equals("timestamp")) {
            throw new EngineException("The parallel dump cannot dump the history of " + qualified + ", which is"
                    + " versioned by transaction id (its row start column is " + startType + "); nothing was written."
                    + " Use method mysqldump, which dumps its current rows only.");
        }
        List<Column> columns = new ArrayList<>();
        for (Column column : declared) {
            boolean periodColumn = column.name().equals(rowStart) || column.name().equals(rowEnd);
            columns.add(periodColumn ? new Column(column.name(), column.dataType(), column.kind(), false) : column);
        }
        if (rowStart == null) {
            rowStart = "row_start";
            rowEnd = "row_end";
            columns.add(new Column(rowStart, "timestamp", SqlText.Kind.ofDataType("timestamp"), false));
            columns.add(new Column(rowEnd, "timestamp", SqlText.Kind.ofDataType("timestamp"), false));
        }
        return new Table(database, name, Type.TABLE, showCreate(connection, database, name, "TABLE"),
                List.copyOf(columns), null, estimatedRows, estimatedBytes, new Period(rowStart, rowEnd), null);
    }

    /** What SETVAL takes to give the next value the sequence would give: not yet cached, and its round. */
    private static String sequenceNext(Connection connection, String database, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT next_not_cached_value, cycle_count FROM "
                     + SqlText.quoteName(database) + "." + SqlText.quoteName(name))) {
            rows.next();
            return rows.getString(1) + ", 0, " + rows.getString(2);
        }
    }

    /** Routines first, then triggers in the order they fire, then events. */
    private static List<StoredObject> storedObjects(Connection connection, String database)
            throws SQLException, EngineException {
        List<StoredObject> objects = new ArrayList<>();
        for (String query : List.of(
                "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES"
                        + " WHERE ROUTINE_SCHEMA = ? AND BINARY ROUTINE_SCHEMA = BINARY ?"
                        + " ORDER BY ROUTINE_TYPE, ROUTINE_NAME",
                "SELECT 'TRIGGER', TRIGGER_NAME FROM information_schema.TRIGGERS"
                        + " WHERE TRIGGER_SCHEMA = ? AND BINARY TRIGGER_SCHEMA = BINARY ?"
                        + " ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER",
                "SELECT 'EVENT', EVENT_NAME FROM information_schema.EVENTS"
                        + " WHERE EVENT_SCHEMA = ? AND BINARY EVENT_SCHEMA = BINARY ?"
                        + " ORDER BY EVENT_NAME")) {
            List<String[]> named = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(query)) {
                exactly(statement, database);
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

    /**
     * Binds each value twice, for {@code COLUMN = ? AND BINARY COLUMN = BINARY ?}: information_schema compares
     * names case-blind (the database {@code Sys} would match the schema {@code sys}'s routines), and the plain
     * equality lets the server look up only that database.
     */
    public static void exactly(PreparedStatement statement, String... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setString(2 * i + 1, values[i]);
            statement.setString(2 * i + 2, values[i]);
        }
    }

    private static String showCreate(Connection connection, String database, String name, String type)
            throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW CREATE " + type + " "
                     + SqlText.quoteName(database) + "." + SqlText.quoteName(name))) {
            rows.next();
            return rows.getString(2);
        }
    }

    private static Map<String, List<Column>> columns(Connection connection, String database) throws SQLException {
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE,"
                + " EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND BINARY TABLE_SCHEMA = BINARY ?"
                + " ORDER BY BINARY TABLE_NAME, ORDINAL_POSITION")) {
            exactly(statement, database);
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
        // MIN(s.TABLE_NAME): the names in a group are the same bytes, and MySQL's default ONLY_FULL_GROUP_BY refuses
        // a bare column that is grouped only through BINARY (error 1055)
        try (PreparedStatement statement = connection.prepareStatement("SELECT MIN(s.TABLE_NAME), MIN(s.COLUMN_NAME),"
                + " COUNT(*), MIN(c.DATA_TYPE) FROM information_schema.STATISTICS s JOIN information_schema.COLUMNS c"
                + " ON BINARY c.TABLE_SCHEMA = BINARY s.TABLE_SCHEMA AND BINARY c.TABLE_NAME = BINARY s.TABLE_NAME"
                + " AND c.COLUMN_NAME = s.COLUMN_NAME WHERE s.TABLE_SCHEMA = ? AND BINARY s.TABLE_SCHEMA = BINARY ?"
                + " AND s.INDEX_NAME = 'PRIMARY' GROUP BY BINARY s.TABLE_NAME")) {
            exactly(statement, database);
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
