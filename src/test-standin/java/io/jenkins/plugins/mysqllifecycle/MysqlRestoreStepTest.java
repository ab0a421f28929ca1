package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.BinlogCoordinates;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.sql.BinaryLog;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.util.Secret;

import java.nio.file.Files;
import java.sql.Connection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mysqlRestore and its builder against real MariaDB servers, through the path an agent runs: a dump taken by the
 * plugin's own dump step is loaded into a second server, and the two must hold the same tables, row for row.
 */
class MysqlRestoreStepTest {
    private static final String PASSWORD = "restore-pw-\"q'#5";

    @TempDir
    Path temp;

    private FilePath workspace;
    private final TestBuilds.TestRun run = new TestBuilds.TestRun();
    private final TestBuilds.Listener listener = new TestBuilds.Listener();
    private EnvVars environment;

    @BeforeEach
    void setUp() throws Exception {
        TestServers.traversable(temp);
        workspace = new FilePath(Files.createDirectories(temp.resolve("workspace")).toFile());
        environment = new EnvVars(Map.of("DB_PW", PASSWORD));
    }

    @AfterEach
    void stopWhatIsLeft() {
        StopServersWhenBuildEnds.stopLeftovers(run, listener, node -> StepsOnRealServerTest.LOCAL_CHANNEL);
    }

    private TestBuilds.Context context() {
        return new TestBuilds.Context(workspace, run, listener, environment);
    }

    private Map<String, Object> startServer(String name) throws Exception {
        MysqlStartStep start = new MysqlStartStep(temp.resolve(name).toString());
        start.setInitialize(true);
        return ((MysqlStartStep.Execution) start.start(context())).run();
    }

    private static String createAccount(String user) {
        return "CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD.replace("'", "''") + "'";
    }

    private static final String[] SHOP = {
        "CREATE DATABASE shop CHARACTER SET utf8mb4",
        "CREATE TABLE shop.orders (id INT PRIMARY KEY, customer VARCHAR(40), total DECIMAL(12,2), note TEXT,"
                + " at DATETIME, raw VARBINARY(16))",
        "INSERT INTO shop.orders SELECT seq, CONCAT('customer ', seq % 97), seq * 1.25,"
                + " IF(seq % 5 = 0, NULL, 'Zürich 🦀 \\'q\\' \\\\'), '2026-01-01' + INTERVAL seq MINUTE,"
                + " UNHEX(LPAD(HEX(seq), 8, '0')) FROM shop.seq_1_to_30000",
        "CREATE TABLE shop.nokey (a INT, b VARCHAR(10))",
        "INSERT INTO shop.nokey VALUES (1, 'x'), (1, 'x'), (NULL, NULL), (2, '')",
        "CREATE VIEW shop.recent AS SELECT id, total FROM shop.orders WHERE id > 29990",
    };

    @Test
    void parallelDumpThroughTheStepThenMysqlRestoreIntoASecondServerGivesEqualChecksums() throws Exception {
        Map<String, Object> source = startServer("source");
        Map<String, Object> target = startServer("target");
        ServerHandle sourceHandle = ServerHandle.fromMap(source);
        ServerHandle targetHandle = ServerHandle.fromMap(target);
        TestServers.sql(sourceHandle, SHOP);
        TestServers.sql(sourceHandle, createAccount("backup"), "GRANT SELECT, SHOW VIEW, RELOAD ON *.* TO"
                + " 'backup'@'127.0.0.1'");
        TestServers.sql(targetHandle, createAccount("loader"), "GRANT ALL ON *.* TO 'loader'@'127.0.0.1'");

        MysqlDumpStep dump = new MysqlDumpStep("backup/shop");
        dump.setServer(source);
        dump.setUser("backup");
        dump.setPasswordVariable("DB_PW");
        dump.setDatabases(List.of("shop"));
        dump.setMethod("parallel");
        dump.setThreads(2);
        Map<String, Object> dumped = ((MysqlDumpStep.Execution) dump.start(context())).run();
        assertEquals("directory", dumped.get("format"));
        assertEquals("backup/shop", dumped.get("file"));
        assertTrue(Files.isRegularFile(temp.resolve("workspace/backup/shop/metadata.json")));

        MysqlRestoreStep restore = new MysqlRestoreStep((String) dumped.get("file"));
        restore.setServer(target);
        restore.setUser("loader");
        restore.setPasswordVariable("DB_PW");
        restore.setThreads(2);
        Map<String, Object> restored = ((MysqlRestoreStep.Execution) restore.start(context())).run();

        assertEquals(List.of("input", "format", "tables", "rows", "bytes", "millis"),
                List.copyOf(restored.keySet()));
        assertEquals(temp.resolve("workspace/backup/shop").toString(), restored.get("input"));
        assertEquals("directory", restored.get("format"));
        assertEquals(3, restored.get("tables"));
        assertEquals(30004L, restored.get("rows"));
        Map<String, String> expected = TestServers.checksums(sourceHandle, "shop");
        assertEquals(Set.of("orders", "nokey"), expected.keySet());
        assertEquals(expected, TestServers.checksums(targetHandle, "shop"));
        assertTrue(listener.log().contains("3 tables and views, 30004 rows"), listener.log());
        assertFalse(listener.log().contains(PASSWORD), "password in the build log");
        assertFalse(Json.write(restored).contains(PASSWORD));
    }

    @Test
    void freestyleBuildersDumpToAFileAndRestoreItIntoTheServerStartedLast() throws Exception {
        MysqlStartStep sourceServer = new MysqlStartStep(temp.resolve("source").toString());
        sourceServer.setInitialize(true);
        new MysqlStartBuilder(sourceServer).perform(run, workspace, environment, null, listener);
        ServerHandle source = handle(0);
        TestServers.sql(source, SHOP);
        MysqlDumpStep dump = new MysqlDumpStep("out/shop.sql.zst"); // no port: the server this build started
        dump.setDatabases(List.of("shop"));
        dump.setCompress("zstd");
        new MysqlDumpBuilder(dump).perform(run, workspace, environment, null, listener);

        MysqlStartStep targetServer = new MysqlStartStep(temp.resolve("target").toString());
        targetServer.setInitialize(true);
        new MysqlStartBuilder(targetServer).perform(run, workspace, environment, null, listener);
        ServerHandle target = handle(1);
        TestServers.sql(target, "CREATE USER 'fs'@'127.0.0.1' IDENTIFIED BY 'Fs-restore-secret'",
                "GRANT ALL ON *.* TO 'fs'@'127.0.0.1'");

        MysqlRestoreStep load = new MysqlRestoreStep("out/shop.sql.zst"); // into the server started last
        load.setUser("fs");
        MysqlRestoreBuilder restore = new MysqlRestoreBuilder(load);
        restore.setPassword(Secret.fromString("Fs-restore-secret"));
        restore.perform(run, workspace, environment, null, listener);

        assertEquals(TestServers.checksums(source, "shop"), TestServers.checksums(target, "shop"));
        assertFalse(listener.log().contains("Fs-restore-secret"), "password in the build log");
    }

    /**
     * skipBinaryLog reaches the restore through the step: into a server that writes a binary log, the restore with it
     * leaves the log where it was, and the same restore without it moves it.
     */
    @Test
    void skipBinaryLogKeepsTheRestoreOutOfTheServersBinaryLog() throws Exception {
        Map<String, Object> source = startServer("source");
        TestServers.sql(ServerHandle.fromMap(source), SHOP);
        MysqlDumpStep dump = new MysqlDumpStep("backup/shop.sql.gz");
        dump.setServer(source);
        dump.setDatabases(List.of("shop"));
        Map<String, Object> dumped = ((MysqlDumpStep.Execution) dump.start(context())).run();

        Path defaults = Files.writeString(temp.resolve("logging.cnf"), "[mysqld]\nlog-bin=binlog\nserver-id=7\n");
        MysqlStartStep logging = new MysqlStartStep(temp.resolve("logging").toString());
        logging.setInitialize(true);
        logging.setDefaultsFile(defaults.toString());
        Map<String, Object> target = ((MysqlStartStep.Execution) logging.start(context())).run();
        ServerHandle targetHandle = ServerHandle.fromMap(target);
        BinlogCoordinates before = binaryLog(targetHandle);
        assertTrue(before.logging(), "the target must write a binary log for this test to mean anything");

        MysqlRestoreStep unlogged = new MysqlRestoreStep((String) dumped.get("file"));
        unlogged.setServer(target);
        unlogged.setSkipBinaryLog(true);
        ((MysqlRestoreStep.Execution) unlogged.start(context())).run();
        assertEquals(TestServers.checksums(ServerHandle.fromMap(source), "shop"),
                TestServers.checksums(targetHandle, "shop"));
        assertEquals(before, binaryLog(targetHandle), "the restore was written to the binary log");

        TestServers.sql(targetHandle, "DROP DATABASE shop");
        BinlogCoordinates afterDrop = binaryLog(targetHandle);
        MysqlRestoreStep logged = new MysqlRestoreStep((String) dumped.get("file"));
        logged.setServer(target);
        ((MysqlRestoreStep.Execution) logged.start(context())).run();
        assertNotEquals(afterDrop, binaryLog(targetHandle), "a restore that logs must show in the binary log");
    }

    /**
     * A MariaDB dump is refused by a MySQL server before anything is loaded, naming allowCrossFlavor; with it, a
     * portable dump loads.
     */
    @Test
    void aDumpOfTheOtherFlavorLoadsOnlyWithAllowCrossFlavor() throws Exception {
        Map<String, Object> source = startServer("maria");
        TestServers.sql(ServerHandle.fromMap(source), "CREATE DATABASE plain CHARACTER SET utf8mb4"
                + " COLLATE utf8mb4_unicode_ci", "CREATE TABLE plain.t (id INT PRIMARY KEY, s VARCHAR(20))",
                "INSERT INTO plain.t VALUES (1, 'one'), (2, 'two \u00F1')");
        MysqlDumpStep dump = new MysqlDumpStep("backup/plain");
        dump.setServer(source);
        dump.setDatabases(List.of("plain"));
        dump.setMethod("parallel");
        String input = (String) ((MysqlDumpStep.Execution) dump.start(context())).run().get("file");

        MysqlStartStep mysql = new MysqlStartStep(temp.resolve("mysql").toString());
        mysql.setInitialize(true);
        mysql.setMysqld(TestServers.mysqld(Flavor.MYSQL));
        Map<String, Object> target = ((MysqlStartStep.Execution) mysql.start(context())).run();

        MysqlRestoreStep refused = new MysqlRestoreStep(input);
        refused.setServer(target);
        AbortException refusal = assertThrows(AbortException.class,
                () -> ((MysqlRestoreStep.Execution) refused.start(context())).run());
        assertTrue(refusal.getMessage().contains("Nothing was loaded")
                && refusal.getMessage().contains("allowCrossFlavor"), refusal.getMessage());
        assertEquals("0", TestServers.query(ServerHandle.fromMap(target), "SELECT COUNT(*) FROM"
                + " information_schema.schemata WHERE schema_name = 'plain'"));

        MysqlRestoreStep allowed = new MysqlRestoreStep(input);
        allowed.setServer(target);
        allowed.setAllowCrossFlavor(true);
        ((MysqlRestoreStep.Execution) allowed.start(context())).run();
        assertEquals("two \u00F1", TestServers.query(ServerHandle.fromMap(target), "SELECT s FROM plain.t WHERE id = 2"));
    }

    private static BinlogCoordinates binaryLog(ServerHandle server) throws Exception {
        try (Connection connection = TestServers.connect(server, "root", null)) {
            return BinaryLog.coordinates(connection);
        }
    }

    private ServerHandle handle(int index) {
        ServerRecord server = run.getAction(ServersAction.class).getServers().get(index);
        return new ServerHandle("localhost", server.getPid(), server.getPort(), server.getSocket(),
                server.getPidFile(), server.getDatadir(), "", server.getVersion(),
                io.jenkins.plugins.mysqllifecycle.engine.Flavor.MARIADB, java.time.Instant.now(), 0,
                server.getStartTicks());
    }

    @Test
    void anInputOutsideTheWorkspaceIsRefusedBeforeAnythingIsRead() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("x.sql"), "CREATE DATABASE escaped;\n");
        Files.createSymbolicLink(temp.resolve("workspace/escape"), outside);
        Files.createSymbolicLink(temp.resolve("workspace/link.sql"), outside.resolve("x.sql"));
        for (String input : List.of("../outside/x.sql", "/tmp/x.sql", "escape/x.sql", "link.sql", "escape")) {
            MysqlRestoreStep restore = new MysqlRestoreStep(input);
            restore.setPort(1); // nothing listens there: a refusal must come before any connection
            AbortException refused = assertThrows(AbortException.class,
                    () -> ((MysqlRestoreStep.Execution) restore.start(context())).run(), input);
            assertTrue(refused.getMessage().startsWith("mysqlRestore: input "), input + ": " + refused.getMessage());
            assertTrue(refused.getMessage().contains("workspace"), input + ": " + refused.getMessage());
        }
        MysqlRestoreStep missing = new MysqlRestoreStep("backup/none.sql.gz");
        missing.setPort(1);
        AbortException absent = assertThrows(AbortException.class,
                () -> ((MysqlRestoreStep.Execution) missing.start(context())).run());
        assertTrue(absent.getMessage().contains("backup/none.sql.gz does not exist"), absent.getMessage());
        assertEquals("", listener.log(), "the restore started before the refusal");
    }

    @Test
    void badThreadsOrTimeoutAreRefusedBeforeAnythingRuns() throws Exception {
        Files.writeString(temp.resolve("workspace/x.sql"), "CREATE DATABASE never;\n");
        for (int[] bad : new int[][] {{65, 10}, {-1, 10}, {0, 0}}) {
            MysqlRestoreStep restore = new MysqlRestoreStep("x.sql");
            restore.setPort(1);
            restore.setThreads(bad[0]);
            restore.setTimeout(bad[1]);
            AbortException refused = assertThrows(AbortException.class,
                    () -> ((MysqlRestoreStep.Execution) restore.start(context())).run());
            assertTrue(refused.getMessage().startsWith("mysqlRestore: " + (bad[1] == 0 ? "timeout" : "threads")),
                    refused.getMessage());
        }
        assertEquals("", listener.log(), "the restore started before the refusal");
    }

    @Test
    void withoutAServerToDefaultToTheStepSaysWhatToGive() {
        AbortException refused = assertThrows(AbortException.class,
                () -> ((MysqlRestoreStep.Execution) new MysqlRestoreStep("x.sql").start(context())).run());
        assertEquals("mysqlRestore: give the server to restore into (server:, port: or socket:); this build started"
                + " no running server on the built-in node to default to", refused.getMessage());
        MysqlRestoreStep elsewhere = new MysqlRestoreStep("x.sql");
        elsewhere.setServer(Map.of("node", "db-agent-7", "port", 3306L));
        AbortException otherNode = assertThrows(AbortException.class,
                () -> ((MysqlRestoreStep.Execution) elsewhere.start(context())).run());
        assertTrue(otherNode.getMessage().startsWith("mysqlRestore: the server runs on node db-agent-7"),
                otherNode.getMessage());
    }
}
