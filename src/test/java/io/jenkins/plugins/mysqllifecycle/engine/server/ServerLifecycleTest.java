package io.jenkins.plugins.mysqllifecycle.engine.server;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.Signal;
import io.jenkins.plugins.mysqllifecycle.engine.StopResult;
import io.jenkins.plugins.mysqllifecycle.engine.StopSpec;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.testing.FakeServers;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

class ServerLifecycleTest {
    @TempDir
    Path temp;

    private final LocalHost host = new LocalHost();

    /*
     * Start and stop run on both flavors here, once each; the other tests of this class check the engine's own
     * refusals and failure paths (busy port, datadir in use, missing binary), which do not depend on the flavor, and
     * run on MariaDB only, since a MySQL server costs ~3 s to initialize and ~600 MB while it runs.
     */
    @ParameterizedTest
    @EnumSource(Flavor.class)
    void startedServerAnswersSqlAndStopRemovesPidFileAndSocket(Flavor flavor) throws Exception {
        ServerHandle server = TestServers.start(temp, "data", flavor);
        try {
            assertTrue(server.port() > 0);
            assertEquals(temp.resolve("data").toString(), server.datadir());
            assertEquals(flavor, server.flavor());
            assertEquals(flavor == Flavor.MARIADB, server.version().contains("MariaDB"), server.version());
            ProcessInfo process = host.process(server.pid()).orElseThrow();
            assertTrue(process.isMysqlServer(), process.describe());
            assertEquals(server.startTicks(), process.startTicks());
            assertEquals(Long.toString(server.pid()), Files.readString(Path.of(server.pidFile())).strip());
            assertTrue(Files.exists(Path.of(server.socket())));
            try (Connection connection = TestServers.connect(server, "root", null);
                 Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT @@port, @@datadir")) {
                result.next();
                assertEquals(server.port(), result.getInt(1));
                assertEquals(server.datadir() + "/", result.getString(2));
            }
            Map<String, Object> record = Json.parseObject(
                    Files.readString(Path.of(ServerHandle.recordPathFor(server.pidFile()))));
            assertEquals(server, ServerHandle.fromMap(record));
        } finally {
            StopResult stop = new ServerStopper(host, TestServers.quietLog())
                    .stop(StopSpec.of(server, Duration.ofSeconds(60), false));
            assertEquals(Signal.SIGTERM, stop.signal());
            assertFalse(stop.forced());
            assertFalse(stop.alreadyStopped());
        }
        assertTrue(host.process(server.pid()).map(ProcessInfo::hasExited).orElse(true));
        assertFalse(Files.exists(Path.of(server.pidFile())), "pid file left behind");
        assertFalse(Files.exists(Path.of(server.socket())), "socket left behind");
        assertTrue(Files.readString(Path.of(server.errorLog())).contains("Shutdown complete"));
    }

    /**
     * Debian's and Oracle's MySQL builds have a compiled-in secure_file_priv directory (/var/lib/mysql-files) that
     * only the full server package makes; under --no-defaults a server refuses to start without it. The engine
     * gives MySQL secure_file_priv=NULL (no server-side file import or export) unless the defaults file sets it.
     */
    @Test
    void mysqlStartsWithoutItsPackagesSecureFilePrivDirectoryAndKeepsADefaultsFilesChoice() throws Exception {
        ServerHandle server = TestServers.start(temp, "data", Flavor.MYSQL);
        try {
            // MySQL 9.7 shows the setting as the string NULL; what matters is that file export is refused
            java.sql.SQLException refused = assertThrows(java.sql.SQLException.class, () -> TestServers.sql(server,
                    "SELECT 1 INTO OUTFILE '" + temp.resolve("exported") + "'"));
            assertEquals(1290, refused.getErrorCode(), refused.getMessage()); // ER_OPTION_PREVENTS_STATEMENT
            assertTrue(refused.getMessage().contains("--secure-file-priv"), refused.getMessage());
        } finally {
            TestServers.stop(server);
        }
        Path files = Files.createDirectories(temp.resolve("files"));
        Path defaults = Files.writeString(temp.resolve("my.cnf"), "[mysqld]\nsecure_file_priv=" + files + "\n");
        ServerHandle again = new ServerLauncher(host, TestServers.quietLog()).start(ServerSpec.builder(
                server.datadir()).mysqld(TestServers.mysqld(Flavor.MYSQL)).defaultsFile(defaults.toString()).build());
        try {
            assertEquals(files + "/", TestServers.query(again, "SELECT @@secure_file_priv"));
        } finally {
            TestServers.stop(again);
        }
    }

    @Test
    void stoppedDataDirectoryStartsAgainWithoutInitializing() throws Exception {
        ServerHandle first = TestServers.start(temp, "data");
        TestServers.sql(first, "CREATE DATABASE kept CHARACTER SET utf8mb4");
        TestServers.stop(first);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ServerHandle second = new ServerLauncher(host, new PrintStream(log, true, StandardCharsets.UTF_8))
                .start(ServerSpec.builder(first.datadir()).initialize(true).build());
        try {
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("already holds a data directory"));
            assertTrue(TestServers.checksums(second, "kept").isEmpty());
            try (Connection connection = TestServers.connect(second, "root", null);
                 ResultSet result = connection.createStatement().executeQuery("SHOW DATABASES LIKE 'kept'")) {
                assertTrue(result.next(), "database made before the restart is gone");
            }
        } finally {
            TestServers.stop(second);
        }
    }

    @Test
    void startOnDataDirectoryOfLiveServerFailsFastNamingIt() throws Exception {
        ServerHandle server = TestServers.start(temp, "data");
        try {
            Deadline took = Deadline.after(Duration.ZERO);
            EngineException refused = assertThrows(EngineException.class, () -> new ServerLauncher(host,
                    TestServers.quietLog()).start(ServerSpec.builder(server.datadir()).build()));
            assertTrue(took.elapsed().compareTo(Duration.ofSeconds(2)) < 0, "took " + took.elapsed());
            assertFalse(refused instanceof InvalidSpecException);
            assertTrue(refused.getMessage().contains("already used by a running server"), refused.getMessage());
            assertTrue(refused.getMessage().contains("pid " + server.pid()), refused.getMessage());
        } finally {
            TestServers.stop(server);
        }
    }

    @Test
    void startOnDataDirectoryOfLiveServerWithAnotherPidFileIsRefusedToo() throws Exception {
        ServerHandle server = TestServers.start(temp, "data");
        try {
            EngineException refused = assertThrows(EngineException.class, () -> new ServerLauncher(host,
                    TestServers.quietLog()).start(ServerSpec.builder(server.datadir() + "/")
                    .pidFile(temp.resolve("other.pid").toString()).build()));
            assertTrue(refused.getMessage().contains("pid " + server.pid()), refused.getMessage());
        } finally {
            TestServers.stop(server);
        }
    }

    @Test
    void startOnALinkToTheDataDirectoryOfALiveServerIsRefusedAtOnce() throws Exception {
        ServerHandle server = TestServers.start(temp, "data");
        try {
            Path link = Files.createSymbolicLink(temp.resolve("link-to-data"), Path.of(server.datadir()));
            Path linkedParent = Files.createSymbolicLink(temp.resolve("link-to-temp"), temp);
            for (String datadir : List.of(link.toString(), linkedParent.resolve("data").toString())) {
                Deadline took = Deadline.after(Duration.ZERO);
                EngineException refused = assertThrows(EngineException.class, () -> new ServerLauncher(host,
                        TestServers.quietLog()).start(ServerSpec.builder(datadir)
                        .pidFile(temp.resolve("other.pid").toString()).build()));
                assertTrue(took.elapsed().compareTo(Duration.ofSeconds(2)) < 0, "took " + took.elapsed());
                assertTrue(refused.getMessage().contains("already used by a running server"), refused.getMessage());
                assertTrue(refused.getMessage().contains("pid " + server.pid()), refused.getMessage());
            }
        } finally {
            TestServers.stop(server);
        }
    }

    @Test
    void startOnBusyPortFailsFastWithServersOwnError() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Deadline took = Deadline.after(Duration.ZERO);
            TestServers.traversable(temp);
            EngineException refused = assertThrows(EngineException.class, () -> new ServerLauncher(host,
                    TestServers.quietLog()).start(ServerSpec.builder(temp.resolve("data").toString())
                    .initialize(true).port(busy.getLocalPort()).readyTimeout(Duration.ofSeconds(60)).build()));
            // initialization of the new datadir is part of this start; the refusal itself must not wait
            assertTrue(took.elapsed().compareTo(Duration.ofSeconds(10)) < 0, "took " + took.elapsed());
            assertFalse(refused instanceof OperationTimeoutException);
            assertTrue(refused.getMessage().contains("Address already in use"), refused.getMessage());
            assertTrue(refused.getMessage().contains("Port " + busy.getLocalPort() + " is taken"),
                    refused.getMessage());
        }
    }

    @Test
    void busyPortRefusalOfInitializedDatadirComesWithinTwoSeconds() throws Exception {
        ServerHandle server = TestServers.start(temp, "data");
        TestServers.stop(server);
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Deadline took = Deadline.after(Duration.ZERO);
            EngineException refused = assertThrows(EngineException.class, () -> new ServerLauncher(host,
                    TestServers.quietLog()).start(ServerSpec.builder(server.datadir()).port(busy.getLocalPort())
                    .build()));
            assertTrue(took.elapsed().compareTo(Duration.ofSeconds(2)) < 0, "took " + took.elapsed());
            assertTrue(refused.getMessage().contains("Address already in use"), refused.getMessage());
        }
    }

    @Test
    void portZeroGivesEachServerItsOwnPort() throws Exception {
        ServerHandle first = TestServers.start(temp, "one");
        try {
            ServerHandle second = TestServers.start(temp, "two");
            try {
                assertNotEquals(first.port(), second.port());
                assertEquals(first.port(), portOf(first));
                assertEquals(second.port(), portOf(second));
            } finally {
                TestServers.stop(second);
            }
        } finally {
            TestServers.stop(first);
        }
    }

    private static int portOf(ServerHandle server) throws Exception {
        try (Connection connection = TestServers.connect(server, "root", null);
             ResultSet result = connection.createStatement().executeQuery("SELECT @@port")) {
            result.next();
            return result.getInt(1);
        }
    }

    @Test
    void initializeRefusesNonEmptyDirectoryThatIsNotADataDirectory() throws Exception {
        Path notData = Files.createDirectories(temp.resolve("photos"));
        Files.writeString(notData.resolve("holiday.jpg"), "not a database");
        InvalidSpecException refused = assertThrows(InvalidSpecException.class, () -> new ServerLauncher(host,
                TestServers.quietLog()).start(ServerSpec.builder(notData.toString()).initialize(true).build()));
        assertTrue(refused.getMessage().contains("not a MySQL data directory"), refused.getMessage());
        assertTrue(refused.getMessage().contains("holiday.jpg"), refused.getMessage());
        assertEquals(1, Files.list(notData).count(), "the directory was changed");
    }

    @Test
    void missingDataDirectoryWithoutInitializeIsBadInput() {
        InvalidSpecException refused = assertThrows(InvalidSpecException.class, () -> new ServerLauncher(host,
                TestServers.quietLog()).start(ServerSpec.builder(temp.resolve("nothing").toString()).build()));
        assertTrue(refused.getMessage().contains("--initialize"), refused.getMessage());
    }

    @Test
    void serverThatDiesDuringStartupFailsAtOnceWithItsErrorLine() throws Exception {
        Path defaults = temp.resolve("broken.cnf");
        Files.writeString(defaults, "[mysqld]\nno-such-option-anywhere=1\n");
        ServerHandle initialized = TestServers.start(temp, "data");
        TestServers.stop(initialized);
        Deadline took = Deadline.after(Duration.ZERO);
        EngineException failed = assertThrows(EngineException.class, () -> new ServerLauncher(host,
                TestServers.quietLog()).start(ServerSpec.builder(initialized.datadir()).defaultsFile(defaults.toString())
                .readyTimeout(Duration.ofSeconds(60)).build()));
        assertTrue(took.elapsed().compareTo(Duration.ofSeconds(5)) < 0, "took " + took.elapsed());
        assertTrue(failed.getMessage().contains("unknown variable 'no-such-option-anywhere=1'"), failed.getMessage());
        assertTrue(failed.getMessage().contains("exited during start-up"), failed.getMessage());
    }

    @Test
    void missingServerBinaryIsBadInputNamingTheOption() {
        InvalidSpecException refused = assertThrows(InvalidSpecException.class, () -> new ServerLauncher(host,
                TestServers.quietLog()).start(ServerSpec.builder(temp.resolve("data").toString()).initialize(true)
                .mysqld(temp.resolve("no-such-mysqld").toString()).build()));
        assertTrue(refused.getMessage().contains("--mysqld"), refused.getMessage());
        assertFalse(Files.exists(temp.resolve("data")));
    }

    @Test
    void readyTimeoutStopsTheHalfStartedServer() throws Exception {
        // A "server" that never answers SQL: it writes its pid file and sleeps, like a hung mariadbd.
        Path fake = FakeServers.script(temp, "mysqld", "for a in \"$@\"; do case $a in --pid-file=*) echo $$ >"
                + " \"${a#--pid-file=}\";; esac; done\ntrap '' TERM\nwhile :; do sleep 0.05; done\n");
        Path fakeVersion = FakeServers.script(temp, "mysqld-wrapper", "case $1 in --version) echo 'mysqld  Ver"
                + " 10.11.0-MariaDB for test';; *) exec " + fake + " \"$@\";; esac\n");
        Path datadir = Files.createDirectories(temp.resolve("data/mysql"));
        TestServers.traversable(temp);
        java.nio.file.Files.setPosixFilePermissions(temp.resolve("data"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Deadline took = Deadline.after(Duration.ZERO);
        OperationTimeoutException timedOut = assertThrows(OperationTimeoutException.class, () -> new ServerLauncher(
                host, TestServers.quietLog()).start(ServerSpec.builder(datadir.getParent().toString())
                .mysqld(fakeVersion.toString()).readyTimeout(Duration.ofSeconds(2)).build()));
        Duration elapsed = took.elapsed();
        assertTrue(timedOut.getMessage().contains("was not ready within the ready timeout of 2.0 s"),
                timedOut.getMessage());
        assertTrue(timedOut.getMessage().contains("It was stopped again"), timedOut.getMessage());
        // 2 s ready timeout + 10 s SIGTERM grace + SIGKILL
        assertTrue(elapsed.compareTo(Duration.ofSeconds(15)) < 0, "took " + elapsed);
        String pid = Files.exists(datadir.getParent().resolve("mysqld.pid"))
                ? Files.readString(datadir.getParent().resolve("mysqld.pid")).strip() : null;
        assertEquals(null, pid, "the killed server's pid file was left behind");
        assertTrue(host.processes().stream().noneMatch(p -> !p.hasExited()
                && p.commandLine().contains(fake.toString())), "the half-started server still runs");
    }

    @Test
    void eachServerKeepsItsTemporaryFilesBesideItsOwnDatadir() throws Exception {
        ServerHandle server = TestServers.start(temp, "own-tmp");
        try (var connection = TestServers.connect(server, "root", null); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT @@tmpdir")) {
            rows.next();
            assertEquals(server.datadir() + ".tmp", rows.getString(1));
        } finally {
            TestServers.stop(server);
        }
    }
}
