package io.jenkins.plugins.mysqllifecycle.engine.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of some databases and when each was last defined ({@code information_schema.TABLES.CREATE_TIME}, which
 * every ALTER TABLE sets anew on both servers, instant ones included), read twice to see DDL that ran in between.
 * A snapshot does not protect a dump from DDL: information_schema and SHOW CREATE TABLE show the current definition,
 * not the snapshot's, and MariaDB reads a table altered in place (ADD or DROP COLUMN) in an older snapshot without
 * an error, as its old rows under its new columns: a table that never existed. So a table dropped, renamed or
 * redefined between the two reads is named, and the dump fails instead. Views hold no rows and are not watched.
 */
public final class TableDefinitions {
    private final Map<SnapshotSchema.ObjectKey, String> definedAt;

    private TableDefinitions(Map<SnapshotSchema.ObjectKey, String> definedAt) {
        this.definedAt = definedAt;
    }

    /**
     * Each table's CREATE_TIME and its columns: CREATE_TIME counts whole seconds, so a second ALTER within the
     * second of the first would not show in it; a change of columns shows in them.
     */
    public static TableDefinitions read(Connection connection, List<String> databases) throws SQLException {
        Map<SnapshotSchema.ObjectKey, String> definedAt = new LinkedHashMap<>();
        try (PreparedStatement tables = connection.prepareStatement("SELECT TABLE_NAME, CREATE_TIME FROM"
                + " information_schema.TABLES WHERE TABLE_SCHEMA = ? AND BINARY TABLE_SCHEMA = BINARY ?"
                + " AND TABLE_TYPE <> 'VIEW' AND TABLE_TYPE <> 'TEMPORARY'");
             PreparedStatement columns = connection.prepareStatement("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE"
                     + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND BINARY TABLE_SCHEMA = BINARY ?"
                     + " ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
            for (String database : databases) {
                Map<String, StringBuilder> columnsOf = new LinkedHashMap<>();
                SnapshotSchema.exactly(columns, database);
                try (ResultSet rows = columns.executeQuery()) {
                    while (rows.next()) {
                        columnsOf.computeIfAbsent(rows.getString(1), table -> new StringBuilder()).append(' ')
                                .append(SqlText.quoteName(rows.getString(2))).append(' ').append(rows.getString(3));
                    }
                }
                SnapshotSchema.exactly(tables, database);
                try (ResultSet rows = tables.executeQuery()) {
                    while (rows.next()) {
                        definedAt.put(new SnapshotSchema.ObjectKey(database, rows.getString(1)),
                                rows.getString(2) + columnsOf.getOrDefault(rows.getString(1), new StringBuilder()));
                    }
                }
            }
        }
        return new TableDefinitions(definedAt);
    }

    /** The tables read here that {@code later} no longer has, or has with another definition, as messages name them. */
    public List<String> changedIn(TableDefinitions later) {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<SnapshotSchema.ObjectKey, String> table : definedAt.entrySet()) {
            String now = later.definedAt.get(table.getKey());
            if (now == null) {
                changed.add(table.getKey() + " (dropped or renamed)");
            } else if (!now.equals(table.getValue())) {
                changed.add(table.getKey() + " (altered)");
            }
        }
        return changed;
    }

    /**
     * The sentence a dump fails with when {@code changed} (from {@link #changedIn}) is not empty.
     *
     * @param when when the DDL ran, as "while the dump ran"
     */
    public static String failure(List<String> changed, String when) {
        return "DDL changed " + String.join(", ", changed) + " " + when + ": the dump could mix the table's rows"
                + " from before with its definition from after, a table that never existed, so nothing was kept."
                + " Dump again once the DDL is done (a dump never blocks DDL for long: see the user guide, Locks).";
    }
}
