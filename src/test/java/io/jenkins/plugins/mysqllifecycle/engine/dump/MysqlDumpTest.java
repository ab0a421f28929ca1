package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreSpec;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.restore.Restorer;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both dump methods against Oracle MySQL (9.7 here, under --no-defaults: binary log and GTIDs on, as MySQL ships).
 * One MySQL server serves the whole class (it takes ~3 s to initialize and ~600 MB while it runs): a round trip drops
 * the database and restores it into the same server, which is also the case that a dump's GTID_PURGED breaks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MysqlDumpTest {
    static final String DATABASE = "odd db";
    private static final LocalHost HOST = new LocalHost();

    @TempDir
    static Path temp;
    private ServerHandle source;

    /**
     * Data that is awkward to dump and load: every kind of value and object a dump has to carry exactly. FLOATs have
     * at most 6 significant digits: MySQL's server, like MariaDB's, sends a FLOAT as text with 6, so a dump tool
     * cannot carry FLT_MIN's 9 (VerifyTest#aDumpThatDoesNotLoadBackToTheSameBytesFailsNamingTheTable covers that).
     */
    static final List<String> AWKWARD_DATA = List.of(
            "CREATE DATABASE `" + DATABASE + "` CHARACTER SET utf8mb4",
            "CREATE TABLE `" + DATABASE + "`.`we!rd ``name``` (id INT PRIMARY KEY, s VARCHAR(100), t TEXT, b BLOB,"
                    + " f FLOAT, d DOUBLE, amount DECIMAL(65,30), at DATETIME(6), j JSON, bits BIT(12),"
                    + " twice INT AS (id * 2) STORED, shout VARCHAR(110) AS (CONCAT(s, '!')) VIRTUAL)",
            "INSERT INTO `" + DATABASE + "`.`we!rd ``name``` (id, s, t, b, f, d, amount, at, j, bits) VALUES"
                    + " (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
                    + " (2, '', '', '', 0, 0, 0, '1000-01-01 00:00:00.000000', '{}', b'0'),"
                    + " (3, 'quote '' and \\\\ backslash \"dq\"', 'tab\\tnewline\\nnul\\0end', 0x00FF27225C0A0D1A,"
                    + "  3.40282e38, 1.7976931348623157e308,"
                    + "  99999999999999999999999999999999999.999999999999999999999999999999,"
                    + "  '9999-12-31 23:59:59.999999', '{\"a\": [1, 2.5, \"x\uD83D\uDE00\"], \"b\": null}',"
                    + "  b'111111111111'),"
                    + " (4, 'emoji \uD83D\uDE00 clef \uD834\uDD1E \u00F1 \u4E2D\u6587', REPEAT('\uD83D\uDE00', 300),"
                    + "  RANDOM_BYTES(1024), -1.17549e-38, -2.2250738585072014e-308,"
                    + "  -0.000000000000000000000000000001, '2024-02-29 12:34:56.123456', '\"str\"', b'101')",
            "INSERT INTO `" + DATABASE + "`.`we!rd ``name``` (id, s, d, at)"
                    + " WITH RECURSIVE n (i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM n WHERE i < 900)"
                    + " SELECT i, CONCAT('row ', i), i / 7, TIMESTAMP('2020-01-01') + INTERVAL i SECOND FROM n",
            "CREATE TABLE `" + DATABASE + "`.`select` (v VARCHAR(10), n INT)",
            "INSERT INTO `" + DATABASE + "`.`select` VALUES ('same', 1), ('same', 1), (NULL, NULL), ('', 0)",
            "CREATE TABLE `" + DATABASE + "`.`\u00DCn\u00EFc\u00F6de` (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                    + " note VARCHAR(20)) ENGINE=InnoDB",
            "INSERT INTO `" + DATABASE + "`.`\u00DCn\u00EFc\u00F6de` (note) VALUES ('a'), ('b')",
            "CREATE VIEW `" + DATABASE + "`.`a view` AS SELECT id, s FROM `" + DATABASE + "`.`we!rd ``name```"
                    + " WHERE id < 5",
            "CREATE TRIGGER `" + DATABASE + "`.`fill n` BEFORE INSERT ON `" + DATABASE + "`.`select`"
                    + " FOR EACH ROW SET NEW.n = COALESCE(NEW.n, -1)",
            "CREATE PROCEDURE `" + DATABASE + "`.`count rows`() SELECT COUNT(*) FROM `" + DATABASE + "`.`select`",
            "CREATE EVENT `" + DATABASE + "`.`nightly` ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00'"
                    + " DO SET @nothing = 1");

    @BeforeAll
    void startSource() throws Exception {
        source = TestServers.start(temp, "source", Flavor.MYSQL);
        TestServers.sql(source, AWKWARD_DATA.toArray(String[]::new));
    }

    /** A test that failed between dropping the database and restoring it must not fail the next one. */
    @BeforeEach
    void recreateTheDataIfATestLeftItDropped() throws Exception {
        if (TestServers.query(source, "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '"
                + DATABASE + "'").equals("0")) {
            TestServers.sql(source, AWKWARD_DATA.toArray(String[]::new));
        }
    }

    @AfterAll
    void stopSource() throws Exception {
        TestServers.stop(source);
    }

    private DumpSpec.Builder dumpOf(String name) {
        return DumpSpec.builder().port(source.port()).user("root").databases(List.of(DATABASE))
                .output(temp.resolve(name).toString());
    }

    private void restoreIntoSource(DumpResult dump) throws Exception {
        new Restorer(HOST, TestServers.quietLog()).restore(RestoreSpec.builder().port(source.port()).user("root")
                .input(dump.file()).build());
    }

    @Test
    void parallelDumpRecordsTheBinaryLogPositionAndGtidsOfItsSnapshot() throws Exception {
        DumpResult dump = new Dumper(HOST, TestServers.quietLog()).dump(dumpOf("binlog")
                .method(DumpMethod.PARALLEL).build());
        Map<?, ?> binlog = (Map<?, ?>) Json.parseObject(Files.readString(Path.of(dump.file(), "metadata.json")))
                .get("binlog");
        assertNotNull(binlog, "MySQL logs binary by default: the position must be recorded");
        assertTrue(String.valueOf(binlog.get("file")).startsWith("binlog."), String.valueOf(binlog));
        assertTrue(((Number) binlog.get("position")).longValue() > 0, String.valueOf(binlog));
        // nothing was written since the dump: its GTID set is the server's
        assertEquals(TestServers.query(source, "SELECT @@GLOBAL.gtid_executed").replace("\n", ""),
                binlog.get("gtidSet"));
        assertFalse(String.valueOf(binlog.get("gtidSet")).isEmpty());
        assertEquals(dump.binlog().toManifestValue(), binlog, "metadata.json and the manifest say the same");
    }

    /** This host's PATH has only MariaDB's client, whose mysqldump is a link to mariadb-dump. */
    @Test
    void mysqldumpMethodRefusesMariadbsToolForAMysqlServerBeforeWritingAnything() throws Exception {
        Path output = temp.resolve("wrong-tool.sql");
        EngineException refused = assertThrows(EngineException.class, () -> new Dumper(HOST,
                TestServers.quietLog()).dump(dumpOf("wrong-tool.sql").build()));
        assertTrue(refused.getMessage().contains("No dump tool for MySQL 9.7"), refused.getMessage());
        assertTrue(refused.getMessage().contains("MySQL's own mysqldump"), refused.getMessage());
        assertFalse(refused instanceof InvalidSpecException, "nothing the caller gave is wrong");
        assertFalse(Files.exists(output));
        assertFalse(Files.exists(Path.of(output + ".partial")));

        InvalidSpecException given = assertThrows(InvalidSpecException.class, () -> new Dumper(HOST,
                TestServers.quietLog()).dump(dumpOf("wrong-tool.sql").dumpTool("/usr/bin/mariadb-dump").build()));
        assertTrue(given.getMessage().startsWith("--dump-tool /usr/bin/mariadb-dump (MariaDB 10.11"),
                given.getMessage());
        assertTrue(given.getMessage().contains("error 3105"), given.getMessage());
        assertFalse(Files.exists(output));
    }

    @Test
    void bothMethodsRestoreAwkwardDataToIdenticalChecksumsTwiceIntoTheSource() throws Exception {
        Map<String, String> before = TestServers.checksums(source, DATABASE);
        assertEquals(3, before.size(), before.toString());
        for (DumpMethod method : DumpMethod.values()) {
            DumpSpec.Builder spec = dumpOf("round-trip-" + method.id()).method(method);
            if (method == DumpMethod.MYSQLDUMP) {
                spec.dumpTool(mysqldump());
            }
            DumpResult dump = new Dumper(HOST, TestServers.quietLog()).dump(spec.build());
            TestServers.sql(source, "DROP DATABASE `" + DATABASE + "`");
            restoreIntoSource(dump);
            assertEquals(before, TestServers.checksums(source, DATABASE), method.id());
            // a second load into the same server: nothing in the dump may claim GTIDs the server already has
            restoreIntoSource(dump);
            assertEquals(before, TestServers.checksums(source, DATABASE), method.id() + ", loaded twice");
            assertEquals("1", TestServers.query(source, "SELECT COUNT(*) FROM information_schema.views"
                    + " WHERE table_schema = '" + DATABASE + "'"), method.id());
            assertEquals("1", TestServers.query(source, "SELECT COUNT(*) FROM information_schema.triggers"
                    + " WHERE trigger_schema = '" + DATABASE + "'"), method.id());
            assertEquals("1", TestServers.query(source, "SELECT COUNT(*) FROM information_schema.routines"
                    + " WHERE routine_schema = '" + DATABASE + "'"), method.id());
            assertEquals("1", TestServers.query(source, "SELECT COUNT(*) FROM information_schema.events"
                    + " WHERE event_schema = '" + DATABASE + "'"), method.id());
        }
    }

    /**
     * --skip-binary-log: neither a directory restore nor a file restore through the client writes anything to the
     * binary log, which the same restore without it does (MySQL logs by default).
     */
    @Test
    void aRestoreThatSkipsTheBinaryLogWritesNothingToIt() throws Exception {
        DumpResult directory = new Dumper(HOST, TestServers.quietLog()).dump(dumpOf("unlogged-dir")
                .method(DumpMethod.PARALLEL).build());
        DumpResult file = new Dumper(HOST, TestServers.quietLog()).dump(dumpOf("unlogged.sql.gz")
                .dumpTool(mysqldump()).build());
        String before = binaryLogPosition();
        for (DumpResult dump : List.of(directory, file)) {
            new Restorer(HOST, TestServers.quietLog()).restore(RestoreSpec.builder().port(source.port())
                    .user("root").input(dump.file()).skipBinaryLog(true).build());
        }
        assertEquals(before, binaryLogPosition());
        assertEquals(3, TestServers.checksums(source, DATABASE).size());
        restoreIntoSource(directory);
        assertNotEquals(before, binaryLogPosition(), "a restore that logs must show here");

        TestServers.sql(source, "CREATE USER 'loader'@'127.0.0.1' IDENTIFIED BY 'load-secret'",
                "GRANT ALL ON `" + DATABASE + "`.* TO 'loader'@'127.0.0.1'");
        try {
            EngineException refused = assertThrows(EngineException.class, () -> new Restorer(HOST,
                    TestServers.quietLog()).restore(RestoreSpec.builder().port(source.port()).user("loader")
                    .password(Password.of("load-secret")).input(directory.file()).skipBinaryLog(true).build()));
            assertTrue(refused.getMessage().contains("--skip-binary-log")
                    && refused.getMessage().contains("SESSION_VARIABLES_ADMIN"), refused.getMessage());
        } finally {
            TestServers.sql(source, "DROP USER 'loader'@'127.0.0.1'");
        }
    }

    private String binaryLogPosition() throws Exception {
        try (var connection = TestServers.connect(source, "root", null); var statement = connection.createStatement();
             var status = statement.executeQuery("SHOW BINARY LOG STATUS")) {
            assertTrue(status.next(), "the binary log is off");
            return status.getString(1) + ":" + status.getLong(2);
        }
    }

    private String mysqldump() {
        return TestServers.toolDirectory(Flavor.MYSQL).resolve("mysqldump").toString();
    }

    @Test
    void mysqldumpRecordsTheGtidSetInTheManifestAndNeedsNoReloadPrivilege() throws Exception {
        TestServers.sql(source, "CREATE USER IF NOT EXISTS 'plain'@'127.0.0.1' IDENTIFIED BY 'plain pass'",
                "GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, PROCESS ON *.* TO 'plain'@'127.0.0.1'");
        DumpResult dump = new Dumper(HOST, TestServers.quietLog()).dump(dumpOf("plain.sql").user("plain")
                .password(Password.of("plain pass")).dumpTool(mysqldump()).build());
        Map<String, Object> manifest = Json.parseObject(Files.readString(Path.of(dump.manifest())));
        assertEquals(TestServers.query(source, "SELECT @@GLOBAL.gtid_executed").replace("\n", ""),
                ((Map<?, ?>) manifest.get("binlog")).get("gtidSet"));
        String sql = new String(new java.util.zip.GZIPInputStream(Files.newInputStream(Path.of(dump.file())))
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(sql.contains("GTID_PURGED"), "the dump must not set GTID_PURGED by default");
    }

    @Test
    void setGtidPurgedIsPassedToMysqlsToolWhenAskedFor() throws Exception {
        DumpResult dump = new Dumper(HOST, TestServers.quietLog()).dump(dumpOf("purged.sql").dumpTool(mysqldump())
                .setGtidPurged("on").compression(io.jenkins.plugins.mysqllifecycle.engine.Compression.NONE)
                .build());
        assertTrue(Files.readString(Path.of(dump.file())).contains("SET @@GLOBAL.GTID_PURGED="));
    }

    /** Each verify starts a scratch MySQL server (~5 s): one per method. */
    @Test
    void verifyRestoresIntoAScratchMysqlServerWithBothMethods() throws Exception {
        // method mysqldump: the scratch mysqld is found beside MySQL's mysqldump
        DumpResult tool = new Dumper(HOST, TestServers.quietLog()).dump(dumpOf("verified.sql").dumpTool(mysqldump())
                .verify(true).build());
        assertTrue(tool.verified());
        // method parallel: no tool to look beside; the scratch server is named
        DumpResult parallel = new Dumper(HOST, TestServers.quietLog()).dump(dumpOf("verified-dir")
                .method(DumpMethod.PARALLEL).verify(true).verifyServer(TestServers.mysqld(Flavor.MYSQL)).build());
        assertTrue(parallel.verified());
    }

    @Test
    void verifyWithoutAMysqlServerToScratchWithNamesTheBinaryNeeded() throws Exception {
        EngineException refused = assertThrows(EngineException.class, () -> new Dumper(HOST, TestServers.quietLog())
                .dump(dumpOf("unverifiable-dir").method(DumpMethod.PARALLEL).verify(true).build()));
        assertTrue(refused.getMessage().contains("verify needs a scratch server of the source's flavor and major"
                + " version, MySQL 9.x's mysqld"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--verify-mysqld"), refused.getMessage());
        assertTrue(refused.getMessage().contains("(MariaDB 10.11"), refused.getMessage());

        InvalidSpecException wrongFlavor = assertThrows(InvalidSpecException.class, () -> new Dumper(HOST,
                TestServers.quietLog()).dump(dumpOf("unverifiable-dir").method(DumpMethod.PARALLEL).verify(true)
                .verifyServer("/usr/sbin/mariadbd").build()));
        assertTrue(wrongFlavor.getMessage().contains("verify needs MySQL 9.x's mysqld"), wrongFlavor.getMessage());
    }

    /** Cross-flavor restores: a MariaDB server (cheap: ~0.5 s) beside the class's MySQL server. */
    @Test
    void aDumpOfOneFlavorIsRefusedByTheOtherBeforeAnythingIsLoadedUnlessAllowed() throws Exception {
        ServerHandle mariadb = TestServers.start(temp, "mariadb", Flavor.MARIADB);
        try {
            // MySQL -> MariaDB, both methods
            DumpResult mysqlFile = new Dumper(HOST, TestServers.quietLog()).dump(dumpOf("to-mariadb.sql")
                    .dumpTool(mysqldump()).build());
            DumpResult mysqlDirectory = new Dumper(HOST, TestServers.quietLog()).dump(dumpOf("to-mariadb-dir")
                    .method(DumpMethod.PARALLEL).build());
            for (DumpResult dump : List.of(mysqlFile, mysqlDirectory)) {
                InvalidSpecException refused = assertThrows(InvalidSpecException.class, () -> new Restorer(HOST,
                        TestServers.quietLog()).restore(RestoreSpec.builder().port(mariadb.port()).user("root")
                        .input(dump.file()).build()));
                assertTrue(refused.getMessage().contains("comes from MySQL 9.7"), refused.getMessage());
                assertTrue(refused.getMessage().contains("utf8mb4_0900_ai_ci"), refused.getMessage());
                assertTrue(refused.getMessage().contains("Nothing was loaded"), refused.getMessage());
                assertTrue(refused.getMessage().contains("--allow-cross-flavor"), refused.getMessage());
                assertEquals("0", TestServers.query(mariadb, "SELECT COUNT(*) FROM information_schema.schemata"
                        + " WHERE schema_name = '" + DATABASE + "'"));
            }

            // MariaDB -> MySQL: refused with the reason; a portable dump loads when allowed
            TestServers.sql(mariadb, "CREATE DATABASE maria CHARACTER SET utf8mb4",
                    "CREATE TABLE maria.t (id INT PRIMARY KEY, s VARCHAR(20)) COLLATE utf8mb4_unicode_ci",
                    "INSERT INTO maria.t VALUES (1, 'one'), (2, 'two \u00F1')",
                    "CREATE PROCEDURE maria.p() SELECT COUNT(*) FROM maria.t",
                    "CREATE DATABASE plain CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                    "CREATE TABLE plain.t (id INT PRIMARY KEY, s VARCHAR(20))",
                    "INSERT INTO plain.t VALUES (1, 'one'), (2, NULL)");
            DumpSpec.Builder fromMariadb = DumpSpec.builder().port(mariadb.port()).user("root")
                    .method(DumpMethod.PARALLEL);
            DumpResult withRoutine = new Dumper(HOST, TestServers.quietLog()).dump(fromMariadb
                    .databases(List.of("maria")).output(temp.resolve("maria-dir").toString()).build());
            InvalidSpecException refused = assertThrows(InvalidSpecException.class, () -> new Restorer(HOST,
                    TestServers.quietLog()).restore(RestoreSpec.builder().port(source.port()).user("root")
                    .input(withRoutine.file()).build()));
            assertTrue(refused.getMessage().contains("comes from MariaDB 10.11"), refused.getMessage());
            assertTrue(refused.getMessage().contains("NO_AUTO_CREATE_USER"), refused.getMessage());
            assertEquals("0", TestServers.query(source, "SELECT COUNT(*) FROM information_schema.schemata"
                    + " WHERE schema_name = 'maria'"));
            DumpResult portable = new Dumper(HOST, TestServers.quietLog()).dump(fromMariadb
                    .databases(List.of("plain")).output(temp.resolve("plain-dir").toString()).build());
            new Restorer(HOST, TestServers.quietLog()).restore(RestoreSpec.builder().port(source.port()).user("root")
                    .input(portable.file()).allowCrossFlavor(true).build());
            assertEquals("2", TestServers.query(source, "SELECT COUNT(*) FROM plain.t"));
            TestServers.sql(source, "DROP DATABASE plain");
        } finally {
            TestServers.stop(mariadb);
        }
    }
}
