package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreSpec;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.restore.Restorer;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parallel method dumps every object the server has, each known by its database and name as a pair: names
 * that read alike joined with a dot, databases that differ from the system schemas in case only, sequences, and
 * system-versioned tables with their history.
 */
// MariaDB only: sequences and system-versioned tables are MariaDB's; odd names on MySQL are in MysqlDumpTest.
class ParallelDumpObjectsTest {
    @TempDir
    static Path temp;
    private static ServerHandle source;
    private static ServerHandle target;
    private static final LocalHost HOST = new LocalHost();

    @BeforeAll
    static void startServers() throws Exception {
        source = TestServers.start(temp, "source");
        target = TestServers.start(temp, "target");
        TestServers.sql(source,
                // `app`.`v1.users` and `app.v1`.`users` are both "app.v1.users" when joined with a dot
                "CREATE DATABASE app CHARACTER SET utf8mb4",
                "CREATE TABLE app.`v1.users` (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO app.`v1.users` VALUES (1, 'in app'), (2, 'also in app')",
                "CREATE DATABASE `app.v1` CHARACTER SET utf8mb4",
                "CREATE TABLE `app.v1`.users (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO `app.v1`.users VALUES (7, 'in app.v1')",
                // and a table whose name differs from another's in case only
                "CREATE TABLE `app.v1`.Users (id BIGINT PRIMARY KEY, name VARCHAR(20), extra INT)",
                "INSERT INTO `app.v1`.Users VALUES (8, 'capital', 1), (9, 'capital', 2)",
                // not the system schema sys: names are case-sensitive here
                "CREATE DATABASE `Sys` CHARACTER SET utf8mb4",
                "CREATE TABLE `Sys`.settings (k VARCHAR(10) PRIMARY KEY, v INT)",
                "INSERT INTO `Sys`.settings VALUES ('a', 1), ('b', 2)");
    }

    private static final String[] OBJECTS = {
                "CREATE DATABASE objects CHARACTER SET utf8mb4",
                "CREATE SEQUENCE objects.ids START WITH 100",
                "DO NEXTVAL(objects.ids)",
                "CREATE TABLE objects.uses_sequence (id INT DEFAULT (NEXT VALUE FOR objects.ids) PRIMARY KEY, x INT)",
                "INSERT INTO objects.uses_sequence (x) VALUES (1)",
                "CREATE TABLE objects.versioned (id INT PRIMARY KEY, x INT) WITH SYSTEM VERSIONING",
                "INSERT INTO objects.versioned VALUES (1, 1), (2, 2)",
                "UPDATE objects.versioned SET x = x + 10",
                "DELETE FROM objects.versioned WHERE id = 2",
                "CREATE TABLE objects.explicit_period (id INT PRIMARY KEY, x INT,"
                        + " rs TIMESTAMP(6) GENERATED ALWAYS AS ROW START INVISIBLE,"
                        + " re TIMESTAMP(6) GENERATED ALWAYS AS ROW END INVISIBLE,"
                        + " PERIOD FOR SYSTEM_TIME(rs, re)) WITH SYSTEM VERSIONING",
                "INSERT INTO objects.explicit_period (id, x) VALUES (1, 1)",
                "UPDATE objects.explicit_period SET x = 5",
                "CREATE VIEW objects.current_view AS SELECT id, x FROM objects.versioned"};

    @AfterAll
    static void stopServers() throws Exception {
        TestServers.stop(source);
        TestServers.stop(target);
    }

    /** Every user object with what a restore must reproduce of it: rows with history, checksum, next value. */
    private static List<String> objects(ServerHandle server, String onlyDatabase) throws Exception {
        List<String> objects = new ArrayList<>();
        try (Connection connection = TestServers.connect(server, "root", null);
             Statement statement = connection.createStatement()) {
            List<String[]> listed = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM"
                    + " information_schema.TABLES WHERE BINARY TABLE_SCHEMA NOT IN ('information_schema',"
                    + " 'performance_schema', 'mysql', 'sys') ORDER BY BINARY TABLE_SCHEMA, BINARY TABLE_NAME")) {
                while (rows.next()) {
                    if (onlyDatabase != null && !onlyDatabase.equals(rows.getString(1))) {
                        continue;
                    }
                    listed.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
                }
            }
            for (String[] object : listed) {
                String qualified = "`" + object[0] + "`.`" + object[1] + "`";
                String state = switch (object[2]) {
                    case "VIEW" -> "view";
                    case "SEQUENCE" -> single(statement, "SELECT CONCAT(next_not_cached_value, '/', cycle_count)"
                            + " FROM " + qualified);
                    case "SYSTEM VERSIONED" -> single(statement, "SELECT COUNT(*) FROM " + qualified
                            + " FOR SYSTEM_TIME ALL") + " rows with history, " + checksum(statement, qualified);
                    default -> single(statement, "SELECT COUNT(*) FROM " + qualified) + " rows, "
                            + checksum(statement, qualified);
                };
                objects.add(object[0] + " | " + object[1] + " | " + object[2] + " | " + state);
            }
        }
        return objects;
    }

    private static String single(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static String checksum(Statement statement, String qualified) throws Exception {
        try (ResultSet rows = statement.executeQuery("CHECKSUM TABLE " + qualified)) {
            rows.next();
            return "checksum " + rows.getString(2);
        }
    }

    private static DumpResult dumpWithVerify(Path output, DumpSpec.Builder spec) throws Exception {
        DumpResult dump = new Dumper(HOST, TestServers.quietLog()).dump(spec.port(source.port()).user("root")
                .method(DumpMethod.PARALLEL).threads(2).compression(Compression.NONE).verify(true)
                .output(output.toString()).build());
        assertTrue(dump.verified());
        new Restorer(HOST, TestServers.quietLog()).restore(RestoreSpec.builder().port(target.port()).user("root")
                .input(output.toString()).threads(2).build());
        return dump;
    }

    @Test
    void tablesWhoseNamesReadAlikeJoinedWithADotAndADatabaseNamedSysAreEachDumped() throws Exception {
        dumpWithVerify(temp.resolve("all-dir"), DumpSpec.builder().allDatabases(true));

        List<String> expected = objects(source, null);
        assertEquals(4, expected.size(), String.join("\n", expected));
        assertEquals(String.join("\n", expected), String.join("\n", objects(target, null)));
    }

    @Test
    void sequencesAndSystemVersionedTablesWithTheirHistoryComeBack() throws Exception {
        TestServers.sql(source, OBJECTS);
        try {
            dumpWithVerify(temp.resolve("objects-dir"), DumpSpec.builder().databases(List.of("objects")));

            List<String> expected = objects(source, "objects");
            assertEquals(5, expected.size(), String.join("\n", expected));
            assertEquals(String.join("\n", expected), String.join("\n", objects(target, "objects")));
            // the sequence goes on where the source's would, and the table that takes its default from it works
            TestServers.sql(target, "INSERT INTO objects.uses_sequence (x) VALUES (2)");
            try (Connection connection = TestServers.connect(target, "root", null);
                 Statement statement = connection.createStatement()) {
                assertEquals("1100", single(statement, "SELECT MAX(id) FROM objects.uses_sequence"));
            }
        } finally {
            TestServers.sql(source, "DROP DATABASE objects");
            TestServers.sql(target, "DROP DATABASE IF EXISTS objects");
        }
    }

    /**
     * A table name of 40 Cyrillic letters is 240 characters percent-encoded, and a file name has 255 bytes: long
     * names are cut and hashed, and two that share their first 30 letters still get files of their own.
     */
    @Test
    void tablesWithLongNonLatinNamesGetFileNamesThatFitAndStayApart() throws Exception {
        String shop = "магазин";
        String first = "ж".repeat(30) + "абвгдеёжзи";
        String second = "ж".repeat(30) + "абвгдеёжзк";
        TestServers.sql(source, "CREATE DATABASE `" + shop + "` CHARACTER SET utf8mb4",
                "CREATE TABLE `" + shop + "`.`" + first + "` (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO `" + shop + "`.`" + first + "` VALUES (1, 'first')",
                "CREATE TABLE `" + shop + "`.`" + second + "` (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO `" + shop + "`.`" + second + "` VALUES (2, 'second'), (3, 'second')",
                "CREATE VIEW `" + shop + "`.`" + "в".repeat(40) + "` AS SELECT * FROM `" + shop + "`.`" + first + "`");
        try {
            Path output = temp.resolve("long-names-dir");
            dumpWithVerify(output, DumpSpec.builder().databases(List.of(shop)));
            try (var files = Files.list(output)) {
                for (Path file : files.toList()) {
                    assertTrue(file.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                            <= 255, file.toString());
                }
            }
            List<String> expected = objects(source, shop);
            assertEquals(3, expected.size(), String.join("\n", expected));
            assertEquals(String.join("\n", expected), String.join("\n", objects(target, shop)));
        } finally {
            TestServers.sql(source, "DROP DATABASE `" + shop + "`");
            TestServers.sql(target, "DROP DATABASE IF EXISTS `" + shop + "`");
        }
    }

    @Test
    void aTableVersionedByTransactionIdIsRefusedByNameBeforeAnythingIsWritten() throws Exception {
        TestServers.sql(source, "CREATE DATABASE trx",
                "CREATE TABLE trx.by_id (id INT PRIMARY KEY, rs BIGINT UNSIGNED GENERATED ALWAYS AS ROW START,"
                        + " re BIGINT UNSIGNED GENERATED ALWAYS AS ROW END, PERIOD FOR SYSTEM_TIME(rs, re))"
                        + " ENGINE=InnoDB WITH SYSTEM VERSIONING");
        try {
            Path output = temp.resolve("trx-dir");
            EngineException failure = assertThrows(EngineException.class, () -> new Dumper(HOST,
                    TestServers.quietLog()).dump(DumpSpec.builder().port(source.port()).user("root")
                    .databases(List.of("trx")).method(DumpMethod.PARALLEL).output(output.toString()).build()));
            assertTrue(failure.getMessage().contains("`trx`.`by_id`"), failure.getMessage());
            assertTrue(failure.getMessage().contains("nothing was written"), failure.getMessage());
            assertFalse(Files.exists(output));
            assertFalse(Files.exists(temp.resolve("trx-dir.partial")));
        } finally {
            TestServers.sql(source, "DROP DATABASE trx");
        }
    }
}
