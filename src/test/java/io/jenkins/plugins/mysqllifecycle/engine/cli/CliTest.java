package io.jenkins.plugins.mysqllifecycle.engine.cli;

import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    private static final String PASSWORD = "cli-secret-7Q";

    @TempDir
    Path temp;

    /** One CLI run in this JVM: exit code, stdout and stderr. */
    record Run(int exit, String out, String err) {
        Map<String, Object> json() {
            String[] lines = out.strip().split("\n");
            assertEquals(1, lines.length, "stdout must hold exactly one JSON object: " + out);
            return Json.parseObject(lines[0]);
        }
    }

    private static Run cli(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run cli(String... args) {
        return cli(Map.of(), args);
    }

    @Test
    void startDumpStopPrintOneJsonObjectEachWithTheContractsFields() throws Exception {
        TestServers.traversable(temp);
        String datadir = temp.resolve("data").toString();
        Run start = cli("start", "--datadir", datadir, "--initialize", "--ready-timeout", "60");
        assertEquals(0, start.exit(), start.err());
        Map<String, Object> server = start.json();
        assertTrue(server.keySet().containsAll(Set.of("pid", "port", "socket", "pidFile", "datadir", "errorLog",
                "version", "flavor", "startedAt", "readyMillis", "startTicks")), server.keySet().toString());
        assertEquals(datadir, server.get("datadir"));
        assertEquals("MARIADB", server.get("flavor"));
        long pid = (Long) server.get("pid");
        long port = (Long) server.get("port");
        String pidFile = (String) server.get("pidFile");
        try {
            assertTrue(new LocalHost().process(pid).orElseThrow().isMysqlServer());
            TestServers.sql(io.jenkins.plugins.mysqllifecycle.engine.ServerHandle.fromMap(server),
                    "CREATE DATABASE app CHARACTER SET utf8mb4", "CREATE TABLE app.t (i INT PRIMARY KEY)",
                    "INSERT INTO app.t VALUES (1), (2)",
                    "CREATE USER 'dumper'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'",
                    "GRANT ALL ON *.* TO 'dumper'@'127.0.0.1'");

            String output = temp.resolve("app.sql.gz").toString();
            Run dump = cli(Map.of("DUMP_PW", PASSWORD), "dump", "--port", Long.toString(port), "--user", "dumper",
                    "--password-env", "DUMP_PW", "--databases", "app", "--output", output);
            assertEquals(0, dump.exit(), dump.err());
            Map<String, Object> result = dump.json();
            assertTrue(result.keySet().containsAll(Set.of("file", "bytes", "sha256", "compress", "databases",
                    "serverVersion", "tool", "toolVersion", "startedAt", "millis")), result.keySet().toString());
            assertEquals(Files.size(Path.of(output)), result.get("bytes"));
            assertEquals("gzip", result.get("compress"));
            assertFalse((dump.out() + dump.err()).contains(PASSWORD), "password in the CLI's output");
            assertEquals(Json.parseObject(Files.readString(Path.of(output + ".json"))).get("sha256"),
                    result.get("sha256"));

            Run stop = cli("stop", "--pid-file", pidFile, "--timeout", "60");
            assertEquals(0, stop.exit(), stop.err());
            Map<String, Object> stopped = stop.json();
            assertEquals(pid, stopped.get("pid"));
            assertEquals("SIGTERM", stopped.get("signal"));
            assertEquals(false, stopped.get("forced"));
            assertEquals(false, stopped.get("alreadyStopped"));
            assertTrue(stopped.containsKey("millis"));

            Run again = cli("stop", "--pid-file", pidFile);
            assertEquals(0, again.exit(), again.err());
            assertEquals(true, again.json().get("alreadyStopped"));
        } finally {
            new LocalHost().signal(pid, io.jenkins.plugins.mysqllifecycle.engine.Signal.SIGKILL);
        }
    }

    /**
     * The CLI end to end on Oracle MySQL, as a user gives it (--mysqld, --dump-tool): start, a password dump with
     * MySQL's own tool, verified in a scratch MySQL server found beside that tool, and a stop by pid file. The other
     * CLI tests are about the CLI's own contract and run on MariaDB only; MysqlDumpTest covers MySQL in depth.
     */
    @Test
    void onMysqlStartDumpWithVerifyAndStopWork() throws Exception {
        TestServers.traversable(temp);
        String mysqld = TestServers.mysqld(io.jenkins.plugins.mysqllifecycle.engine.Flavor.MYSQL);
        Run start = cli("start", "--datadir", temp.resolve("data").toString(), "--initialize", "--mysqld", mysqld);
        assertEquals(0, start.exit(), start.err());
        Map<String, Object> server = start.json();
        assertEquals("MYSQL", server.get("flavor"));
        long pid = (Long) server.get("pid");
        try {
            TestServers.sql(ServerHandle.fromMap(server), "CREATE DATABASE app",
                    "CREATE TABLE app.t (i INT PRIMARY KEY, s VARCHAR(20) COLLATE utf8mb4_0900_ai_ci)",
                    "INSERT INTO app.t VALUES (1, 'a'), (2, NULL)",
                    "CREATE USER 'dumper'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'",
                    "GRANT ALL ON *.* TO 'dumper'@'127.0.0.1'");
            Path mysqldump = Path.of(mysqld).resolveSibling("mysqldump");
            Run dump = cli(Map.of("DUMP_PW", PASSWORD), "dump", "--port", server.get("port").toString(), "--user",
                    "dumper", "--password-env", "DUMP_PW", "--databases", "app", "--output",
                    temp.resolve("app.sql.gz").toString(), "--dump-tool", mysqldump.toString(), "--verify");
            assertEquals(0, dump.exit(), dump.err());
            assertEquals(true, dump.json().get("verified"));
            assertEquals("mysqldump", dump.json().get("tool"));
            assertFalse((dump.out() + dump.err()).contains(PASSWORD), "password in the CLI's output");

            Run stop = cli("stop", "--pid-file", (String) server.get("pidFile"));
            assertEquals(0, stop.exit(), stop.err());
            assertEquals(false, stop.json().get("alreadyStopped"));
        } finally {
            new LocalHost().signal(pid, io.jenkins.plugins.mysqllifecycle.engine.Signal.SIGKILL);
        }
    }

    @Test
    void parallelDumpThenRestoreIntoASecondServerGivesEqualChecksums() throws Exception {
        ServerHandle source = TestServers.start(temp, "source");
        ServerHandle target = null;
        try {
            target = TestServers.start(temp, "target");
            String account = "CREATE USER 'mover'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'";
            String grant = "GRANT ALL ON *.* TO 'mover'@'127.0.0.1'";
            TestServers.sql(source, account, grant, "CREATE DATABASE shop CHARACTER SET utf8mb4",
                    "CREATE TABLE shop.orders (id INT PRIMARY KEY, customer VARCHAR(40), total DECIMAL(12,2),"
                            + " note TEXT, at DATETIME)",
                    "INSERT INTO shop.orders SELECT seq, CONCAT('customer ', seq % 97), seq * 1.25,"
                            + " IF(seq % 5 = 0, NULL, 'Zürich 🦀 \\'q\\''), '2026-01-01' + INTERVAL seq MINUTE"
                            + " FROM shop.seq_1_to_20000",
                    "CREATE TABLE shop.nokey (a INT, b VARBINARY(8))",
                    "INSERT INTO shop.nokey VALUES (1, x'00ff'), (1, x'00ff'), (NULL, NULL)");
            TestServers.sql(target, account, grant);
            Map<String, String> environment = Map.of("DB_PW", PASSWORD);
            Path directory = temp.resolve("shop-dump");

            Run dump = cli(environment, "dump", "--port", Integer.toString(source.port()), "--user", "mover",
                    "--password-env", "DB_PW", "--databases", "shop", "--output", directory.toString(), "--method",
                    "parallel", "--threads", "2", "--compress", "zstd", "--verify");
            assertEquals(0, dump.exit(), dump.err());
            Map<String, Object> dumped = dump.json();
            assertEquals("directory", dumped.get("format"));
            assertEquals(true, dumped.get("verified"));
            assertEquals(directory.toString(), dumped.get("path"));
            assertTrue(Files.isRegularFile(directory.resolve("metadata.json")));

            Run restore = cli(environment, "restore", "--port", Integer.toString(target.port()), "--user", "mover",
                    "--password-env", "DB_PW", "--input", directory.toString(), "--threads", "2", "--timeout", "600");
            assertEquals(0, restore.exit(), restore.err());
            Map<String, Object> restored = restore.json();
            assertEquals(Set.of("input", "format", "tables", "rows", "bytes", "millis"), restored.keySet());
            assertEquals("directory", restored.get("format"));
            assertEquals(directory.toString(), restored.get("input"));
            assertEquals(20003L, restored.get("rows"));
            assertEquals(2L, restored.get("tables"));

            Map<String, String> expected = TestServers.checksums(source, "shop");
            assertEquals(Set.of("orders", "nokey"), expected.keySet());
            assertEquals(expected, TestServers.checksums(target, "shop"));
            assertFalse((dump.out() + dump.err() + restore.out() + restore.err()).contains(PASSWORD),
                    "password in the CLI's output");

            // a file dump goes back in through the client tool, which counts no rows
            String file = temp.resolve("shop.sql.gz").toString();
            Run fileDump = cli(environment, "dump", "--port", Integer.toString(source.port()), "--user", "mover",
                    "--password-env", "DB_PW", "--databases", "shop", "--output", file);
            assertEquals(0, fileDump.exit(), fileDump.err());
            assertEquals("file", fileDump.json().get("format"));
            TestServers.sql(target, "DROP DATABASE shop");
            Run fileRestore = cli(environment, "restore", "--port", Integer.toString(target.port()), "--user",
                    "mover", "--password-env", "DB_PW", "--input", file);
            assertEquals(0, fileRestore.exit(), fileRestore.err());
            assertEquals("file", fileRestore.json().get("format"));
            assertEquals(-1L, fileRestore.json().get("rows"));
            assertEquals(expected, TestServers.checksums(target, "shop"));
        } finally {
            TestServers.stop(source);
            TestServers.stop(target);
        }
    }

    @Test
    void aRestoreTheServerRefusesExitsOne() throws Exception {
        ServerHandle server = TestServers.start(temp, "server");
        try {
            TestServers.sql(server, "CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)",
                    "INSERT INTO app.t VALUES (1), (2)", "CREATE USER 'reader'@'127.0.0.1'",
                    "GRANT SELECT ON *.* TO 'reader'@'127.0.0.1'");
            Path directory = temp.resolve("app-dump");
            Run dump = cli("dump", "--port", Integer.toString(server.port()), "--user", "root", "--databases", "app",
                    "--output", directory.toString(), "--method", "parallel");
            assertEquals(0, dump.exit(), dump.err());
            Map<String, String> before = TestServers.checksums(server, "app");
            assertEquals(Set.of("t"), before.keySet());

            Run restore = cli("restore", "--port", Integer.toString(server.port()), "--user", "reader", "--input",
                    directory.toString());
            assertEquals(1, restore.exit(), restore.err());
            assertTrue(restore.out().isEmpty(), restore.out());
            assertTrue(restore.err().contains("denied"), restore.err());
            assertEquals(before, TestServers.checksums(server, "app"), "the refused restore changed the table");
        } finally {
            TestServers.stop(server);
        }
    }

    @Test
    void anInvalidMethodIsRefusedWithExitTwoAndNothingIsWritten() {
        Path output = temp.resolve("x.sql.gz");
        Run run = cli("dump", "--port", "3306", "--user", "root", "--all-databases", "--output", output.toString(),
                "--method", "mydumper");
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains("method must be mysqldump or parallel, not 'mydumper'"), run.err());
        assertTrue(run.out().isEmpty(), run.out());
        assertFalse(Files.exists(output));
        assertFalse(Files.exists(temp.resolve("x.sql.gz.partial")));
    }

    @Test
    void badUsageExitsTwoWithAMessageAndNoJson() {
        for (List<String> args : List.<List<String>>of(List.of(), List.of("launch"), List.of("start"),
                List.of("start", "--datadir", "/x", "--port", "eighty"), List.of("start", "--datadir", "/x",
                        "--ready-timeout", "0"), List.of("stop"), List.of("stop", "--pid", "5", "--pid-file", "/x"),
                List.of("dump", "--port", "1", "--user", "u", "--output", "/tmp/x.gz"),
                List.of("dump", "--port", "1", "--user", "u", "--all-databases", "--output", "/tmp/x.gz",
                        "--compress", "bzip9"),
                List.of("dump", "--port", "1", "--user", "u", "--all-databases", "--output", "/tmp/x.gz",
                        "--password-env", "NO_SUCH_VARIABLE_SET"),
                List.of("dump", "--port", "1", "--user", "u", "--all-databases", "--output", "/tmp/x.gz",
                        "--keep", "0"),
                List.of("dump", "--port", "1", "--user", "u", "--all-databases", "--output", "/tmp/x.gz",
                        "--keep", "-2"),
                List.of("dump", "--port", "1", "--user", "u", "--all-databases", "--output", "/tmp/x.gz",
                        "--keep", "two"),
                List.of("dump", "--port", "1", "--user", "u", "--all-databases", "--output", "/tmp/x.gz",
                        "--keep", "99999999999"),
                List.of("dump", "--port", "1", "--user", "u", "--all-databases", "--output", "/tmp/x",
                        "--method", "parallel", "--threads", "65"),
                List.of("dump", "--port", "1", "--user", "u", "--all-databases", "--output", "/tmp/x.gz",
                        "--threads", "4"),
                List.of("dump", "--port", "1", "--user", "u", "--all-databases", "--output", "/tmp/x.gz",
                        "--verify=yes"),
                List.of("restore"),
                List.of("restore", "--port", "1", "--user", "u"),
                List.of("restore", "--port", "1", "--socket", "/tmp/s.sock", "--user", "u", "--input", "/tmp/x"),
                List.of("restore", "--port", "1", "--user", "u", "--input", "/tmp/x", "--threads", "-1"),
                List.of("restore", "--port", "1", "--user", "u", "--input", "/tmp/x", "--timeout", "0"),
                List.of("restore", "--port", "1", "--user", "u", "--input", "/tmp/x", "--verify"),
                List.of("restore", "--port", "1", "--user", "u", "--input", "/nonexistent/dump.sql.gz"),
                List.of("restore", "--port", "1", "--user", "u", "--input", "/tmp/x", "--identity", "/k"),
                List.of("start", "--datadir", "/x", "--bogus"))) {
            Run run = cli(args.toArray(String[]::new));
            assertEquals(2, run.exit(), args + " -> " + run.err());
            assertTrue(run.out().isEmpty(), args + " printed on stdout: " + run.out());
            assertFalse(run.err().isBlank(), args + " said nothing");
        }
    }

    @Test
    void everyCommandAnswersHelpWithItsOwnUsageAndTheToolItsVersion() {
        for (String command : List.of("start", "dump", "restore", "stop", "demo")) {
            for (List<String> args : List.of(List.of(command, "--help"), List.of(command, "-h"),
                    List.of(command, "--datadir", "/x", "--help"))) {
                Run help = cli(args.toArray(String[]::new));
                assertEquals(0, help.exit(), args + " -> " + help.err());
                assertTrue(help.out().startsWith("usage: mysql-lifecycle " + command), help.out());
                for (String other : List.of("start", "dump", "restore", "stop")) {
                    assertEquals(other.equals(command), help.out().contains("mysql-lifecycle " + other + " "),
                            args + " printed the usage of " + other + ": " + help.out());
                }
            }
        }
        Run version = cli("--version");
        assertEquals(0, version.exit(), version.err());
        assertTrue(version.out().startsWith("mysql-lifecycle "), version.out());
        // a value may be "-h": only the first option asks for help that way
        Run pidFileValue = cli("stop", "--pid-file", "-h");
        assertNotEquals(0, pidFileValue.exit(), pidFileValue.out());
        assertFalse(pidFileValue.out().contains("usage"), pidFileValue.out());
    }

    @Test
    void dumpWithKeepRemovesOlderDumpsOfTheSameDatabasesAndListsThemInItsJson() throws Exception {
        io.jenkins.plugins.mysqllifecycle.engine.ServerHandle server = TestServers.start(temp, "data");
        try {
            TestServers.sql(server, "CREATE DATABASE app CHARACTER SET utf8mb4", "CREATE DATABASE logs");
            Path backups = Files.createDirectories(temp.resolve("backups"));
            String port = Integer.toString(server.port());
            Run monday = cli("dump", "--port", port, "--user", "root", "--databases", "app", "--output",
                    backups.resolve("app-monday.sql.gz").toString());
            assertEquals(0, monday.exit(), monday.err());
            assertEquals(List.of(), monday.json().get("removed"));
            Run logs = cli("dump", "--port", port, "--user", "root", "--databases", "logs", "--output",
                    backups.resolve("logs-monday.sql.gz").toString());
            assertEquals(0, logs.exit(), logs.err());

            Run tuesday = cli("dump", "--port", port, "--user", "root", "--databases", "app", "--output",
                    backups.resolve("app-tuesday.sql.gz").toString(), "--keep", "1");

            assertEquals(0, tuesday.exit(), tuesday.err());
            assertEquals(List.of("app-monday.sql.gz"), tuesday.json().get("removed"));
            assertFalse(Files.exists(backups.resolve("app-monday.sql.gz")));
            assertFalse(Files.exists(backups.resolve("app-monday.sql.gz.json")));
            assertTrue(Files.exists(backups.resolve("app-tuesday.sql.gz")));
            assertTrue(Files.exists(backups.resolve("logs-monday.sql.gz")), "a dump of other databases was removed");
            assertTrue(tuesday.err().contains("keep 1 (app): removed app-monday.sql.gz ("), tuesday.err());
        } finally {
            TestServers.stop(server);
        }
    }

    @Test
    void usageNamesTheKeepOption() {
        Run help = cli("help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("[--keep N]"), help.out());
    }

    @Test
    void failedOperationExitsOneAndTimeoutExitsThree() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Run notAServer = cli("stop", "--pid", Long.toString(sleeper.pid()));
            assertEquals(1, notAServer.exit(), notAServer.err());
            assertTrue(notAServer.err().contains("not a MySQL or MariaDB server"), notAServer.err());
            assertTrue(sleeper.isAlive());
        } finally {
            sleeper.destroyForcibly();
        }
        Process stubborn = io.jenkins.plugins.mysqllifecycle.testing.FakeServers.ignoringSigterm(temp,
                temp.resolve("stubborn.pid"));
        try {
            Deadline took = Deadline.after(Duration.ZERO);
            Run timeout = cli("stop", "--pid", Long.toString(stubborn.pid()), "--timeout", "1");
            assertEquals(3, timeout.exit(), timeout.err());
            assertTrue(took.elapsed().compareTo(Duration.ofSeconds(2)) < 0, "took " + took.elapsed());
            assertEquals(false, timeout.json().get("forced"));
            assertEquals(true, timeout.json().get("timedOut"));
            assertTrue(stubborn.isAlive());
            Run killed = cli("stop", "--pid", Long.toString(stubborn.pid()), "--timeout", "1",
                    "--kill-after-timeout");
            assertEquals(3, killed.exit(), killed.err());
            assertEquals(true, killed.json().get("forced"));
            assertTrue(stubborn.waitFor(5, TimeUnit.SECONDS));
        } finally {
            stubborn.destroyForcibly();
        }
    }

    @Test
    void startedServerOutlivesTheCliProcessAndHoldsNoneOfItsStreams() throws Exception {
        TestServers.traversable(temp);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Cli.class.getName(), "start", "--datadir",
                temp.resolve("data").toString(), "--initialize");
        Process cliProcess = new ProcessBuilder(command).start();
        // readAllBytes returns only when every holder of the pipe's write end has closed it: the server must not.
        java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> read(cliProcess.getInputStream()));
        java.util.concurrent.CompletableFuture<String> err = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> read(cliProcess.getErrorStream()));
        assertTrue(cliProcess.waitFor(90, TimeUnit.SECONDS), "the CLI did not exit");
        String json = out.get(10, TimeUnit.SECONDS);
        String log = err.get(10, TimeUnit.SECONDS);
        assertEquals(0, cliProcess.exitValue(), log);
        Map<String, Object> server = Json.parseObject(json.strip());
        long pid = (Long) server.get("pid");
        try {
            ProcessInfo process = new LocalHost().process(pid).orElseThrow();
            assertFalse(process.hasExited(), "the server died with the CLI");
            assertTrue(process.isMysqlServer());
            String sessionOfServer = Files.readString(Path.of("/proc", Long.toString(pid), "stat")).split("\\) ")[1]
                    .split(" ")[3];
            assertEquals(Long.toString(pid), sessionOfServer, "the server does not lead its own session");
        } finally {
            Run stop = cli("stop", "--pid-file", (String) server.get("pidFile"));
            assertEquals(0, stop.exit(), stop.err());
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
