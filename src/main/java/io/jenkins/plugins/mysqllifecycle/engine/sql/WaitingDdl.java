package io.jenkins.plugins.mysqllifecycle.engine.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * DDL that waits for a table's metadata lock, which a dump's transaction holds on every table it has read (MariaDB
 * until the transaction ends; MySQL while a table is being read). A waiting ALTER makes every later write to its
 * table wait behind it, so a dump that sees one gives way: it stops, its locks go, and the DDL and the writes run.
 * Only statements about the dumped databases count (their session's database, or named in their text), and only
 * once they have waited {@code seconds}; an account without PROCESS sees its own user's sessions only.
 */
public final class WaitingDdl {
    private static final Pattern DDL = Pattern.compile("^(ALTER|RENAME|DROP|TRUNCATE|CREATE\\s+(UNIQUE\\s+|FULLTEXT\\s+"
            + "|SPATIAL\\s+)?INDEX|CREATE\\s+TRIGGER|OPTIMIZE|REPAIR|ANALYZE)\\b", Pattern.CASE_INSENSITIVE);

    private WaitingDdl() {
    }

    /** The DDL statements about {@code databases} that have waited for a metadata lock {@code seconds} or more. */
    public static List<LongQueryGuard.RunningStatement> find(Connection connection, List<String> databases,
                                                             long seconds) throws SQLException {
        List<LongQueryGuard.RunningStatement> waiting = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT ID, USER, TIME, DB, LEFT(INFO, 400) FROM"
                     + " information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO IS NOT NULL AND TIME >= "
                     + seconds + " AND STATE = 'Waiting for table metadata lock' ORDER BY TIME DESC, ID")) {
            while (rows.next()) {
                String text = rows.getString(5).strip();
                if (DDL.matcher(text).find() && concerns(rows.getString(4), text, databases)) {
                    waiting.add(new LongQueryGuard.RunningStatement(rows.getLong(1), rows.getString(2),
                            rows.getLong(3), LongQueryGuard.shortText(text)));
                }
            }
        }
        return waiting;
    }

    private static boolean concerns(String sessionDatabase, String text, List<String> databases) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String database : databases) {
            if (database.equals(sessionDatabase) || lower.contains(database.toLowerCase(Locale.ROOT) + ".")
                    || lower.contains(database.toLowerCase(Locale.ROOT) + "`.")) {
                return true;
            }
        }
        return false;
    }

    /** The sentence a dump that gave way fails with. */
    public static String failure(List<LongQueryGuard.RunningStatement> waiting) {
        return "The dump gave way to DDL: " + String.join("; ", waiting.stream()
                .map(LongQueryGuard.RunningStatement::describe).toList()) + " waited for a table the dump had read,"
                + " and every write to that table waited behind it. The dump stopped so that both can go on; nothing"
                + " was kept. Dump again once the DDL is done.";
    }
}
