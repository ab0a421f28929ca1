package io.jenkins.plugins.mysqllifecycle.engine;

import io.jenkins.plugins.mysqllifecycle.engine.dump.Dumper;
import io.jenkins.plugins.mysqllifecycle.engine.format.DumpCheck;
import io.jenkins.plugins.mysqllifecycle.engine.format.Sha256;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerLauncher;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerStopper;
import io.jenkins.plugins.mysqllifecycle.engine.tools.Installation;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.testing.SshTestHosts;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// MariaDB only: disk, file and process faults are the engine's to handle whatever the flavor, and the start-up
// SIGTERM hang is MariaDB's; stop during MySQL's longer start-up is in ServerStopperTest (both flavors).
/**
 * Faults against real servers and files: each one fails fast or at its bound, with a message that names the cause,
 * and leaves no dump file that looks complete. docs/reliability.md lists what each test proves.
 */
class FaultsTest {
    @TempDir
    Path temp;

    private final LocalHost host = new LocalHost();

    /** The launcher's server command for a datadir that exists, spawned without waiting for it to become ready. */
    private long spawnServer(ServerHandle initialized) throws Exception {
        int port = host.freePort("127.0.0.1");
        String datadir = initialized.datadir();
        return host.spawnDetached(List.of(Installation.ofServer(host, null).server(), "--no-defaults",
                "--datadir=" + datadir, "--port=" + port, "--socket=" + datadir + "/mysqld.sock",
                "--pid-file=" + datadir + "/mysqld.pid", "--bind-address=127.0.0.1",
                "--log-error=" + datadir + "/error.log", "--user=mysql"), datadir + "/error.log");
    }

    private ServerHandle initializedAndStopped(String name) throws Exception {
        ServerHandle server = TestServers.start(temp, name);
        TestServers.stop(server);
        Files.deleteIfExists(Path.of(ServerHandle.recordPathFor(server.pidFile())));
        return server;
    }

    @Test
    void stopOfAServerStillStartingWaitsForItToAnswerThenStopsItCleanly() throws Exception {
        assumeTrue(host.isRoot(), "spawns mariadbd as the mysql account");
        ServerHandle initialized = initializedAndStopped("data");
        long pid = spawnServer(initialized);
        try {
            StopResult stop = new ServerStopper(host, TestServers.quietLog()).stop(StopSpec.ofPid(pid, 0,
                    Duration.ofSeconds(30), false));
            assertEquals(Signal.SIGTERM, stop.signal());
            assertFalse(stop.forced());
            assertTrue(Files.readString(Path.of(initialized.errorLog())).contains("Shutdown complete"),
                    "no clean shutdown");
        } finally {
            host.signal(pid, Signal.SIGKILL);
        }
    }

    @Test
    void sigtermInTheStartupWindowCannotMakeStopHang() throws Exception {
        assumeTrue(host.isRoot(), "spawns mariadbd as the mysql account");
        ServerHandle initialized = initializedAndStopped("data");
        long pid = spawnServer(initialized);
        try {
            Thread.sleep(40); // inside the window where MariaDB 10.11 can hang on SIGTERM (see shared notes)
            host.signal(pid, Signal.SIGTERM);
            Deadline took = Deadline.after(Duration.ZERO);
            try {
                StopResult stop = new ServerStopper(host, TestServers.quietLog()).stop(StopSpec.ofPid(pid, 0,
                        Duration.ofSeconds(3), true));
                assertFalse(stop.forced(), "a forced stop must be reported as a timeout");
            } catch (StopTimeoutException hung) {
                assertTrue(hung.result().forced(), "a hung server must be killed when asked to");
            }
            assertTrue(took.elapsed().compareTo(Duration.ofMillis(4500)) < 0, "took " + took.elapsed());
            assertTrue(host.process(pid).map(ProcessInfo::hasExited).orElse(true), "the server still runs");
        } finally {
            host.signal(pid, Signal.SIGKILL);
        }
    }

    @Test
    void notExecutableServerBinaryIsBadInput() throws Exception {
        Path copy = temp.resolve("mariadbd");
        Files.copy(Path.of(Installation.ofServer(host, null).server()), copy);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        InvalidSpecException refused = assertThrows(InvalidSpecException.class, () -> new ServerLauncher(host,
                TestServers.quietLog()).start(ServerSpec.builder(temp.resolve("data").toString()).initialize(true)
                .mysqld(copy.toString()).build()));
        assertTrue(refused.getMessage().contains("is not an executable file"), refused.getMessage());
    }

    @Test
    void dataDirectoryTheServerAccountCannotReachFailsFastWithTheCause() throws Exception {
        assumeTrue(host.isRoot(), "as another user the server runs as that user, who can reach its own files");
        Path locked = Files.createDirectories(temp.resolve("locked"));
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        Deadline took = Deadline.after(Duration.ZERO);
        EngineException failed = assertThrows(EngineException.class, () -> new ServerLauncher(host,
                TestServers.quietLog()).start(ServerSpec.builder(locked.resolve("data").toString()).initialize(true)
                .readyTimeout(Duration.ofSeconds(60)).build()));
        assertTrue(took.elapsed().compareTo(Duration.ofSeconds(20)) < 0, "took " + took.elapsed());
        assertFalse(failed instanceof OperationTimeoutException);
        assertTrue(failed.getMessage().contains("Permission denied") || failed.getMessage().contains("Errcode: 13")
                || failed.getMessage().contains("Can't change dir"), failed.getMessage());
    }

    @Test
    void twoStartsAtOnceWithPortZeroGetTheirOwnPortsAndBothWork() throws Exception {
        TestServers.traversable(temp);
        List<CompletableFuture<ServerHandle>> starts = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            starts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return new ServerLauncher(new LocalHost(), TestServers.quietLog()).start(ServerSpec.builder(
                            temp.resolve(name).toString()).initialize(true).port(0).build());
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }));
        }
        ServerHandle a = starts.get(0).get(120, TimeUnit.SECONDS);
        ServerHandle b = starts.get(1).get(120, TimeUnit.SECONDS);
        try {
            assertNotEquals(a.port(), b.port());
            TestServers.sql(a, "CREATE DATABASE only_on_a");
            assertTrue(TestServers.checksums(b, "only_on_a").isEmpty());
        } finally {
            TestServers.stop(a);
            TestServers.stop(b);
        }
    }

    @Test
    void dumpFromAnUnknownHostFailsAndLeavesNoFile() throws Exception {
        Path output = temp.resolve("nohost.sql.gz");
        EngineException failed = assertThrows(EngineException.class, () -> new Dumper(host, TestServers.quietLog())
                .dump(DumpSpec.builder().host("no-such-host.invalid").port(3306).user("root")
                        .databases(List.of("x")).output(output.toString()).build()));
        assertTrue(failed.getMessage().contains("no-such-host.invalid"), failed.getMessage());
        assertFalse(Files.exists(output));
        assertFalse(Files.exists(temp.resolve("nohost.sql.gz.partial")));
    }

    /** A server with about 300 MB of SQL to dump: long enough to interfere with. */
    private ServerHandle bigServer() throws Exception {
        ServerHandle server = TestServers.start(temp, "big");
        TestServers.sql(server, "CREATE DATABASE big", "CREATE TABLE big.t (id INT PRIMARY KEY, v VARCHAR(200))",
                "INSERT INTO big.t SELECT seq, REPEAT('z', 200) FROM big.seq_1_to_1500000");
        return server;
    }

    private CompletableFuture<DumpResult> dumpAsync(ServerHandle server, Path output) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new Dumper(new LocalHost(), TestServers.quietLog()).dump(DumpSpec.builder().port(server.port())
                        .user("root").databases(List.of("big")).compression(Compression.NONE)
                        .output(output.toString()).build());
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    private static Throwable failureOf(CompletableFuture<?> dump) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> dump.get(120, TimeUnit.SECONDS));
        return failed.getCause();
    }

    @Test
    void serverKilledMidDumpFailsAndLeavesNoFile() throws Exception {
        ServerHandle server = bigServer();
        try {
            Path output = temp.resolve("killed.sql");
            CompletableFuture<DumpResult> dump = dumpAsync(server, output);
            Path partial = temp.resolve("killed.sql.partial");
            Deadline deadline = Deadline.after(Duration.ofSeconds(60));
            while (!(Files.exists(partial) && Files.size(partial) > 1_000_000) && !dump.isDone()) {
                assertFalse(deadline.hasExpired(), "the dump never got going");
                Thread.sleep(5);
            }
            host.signal(server.pid(), Signal.SIGKILL);
            Throwable failure = failureOf(dump);
            assertTrue(failure instanceof EngineException, String.valueOf(failure));
            assertTrue(failure.getMessage().contains("mariadb-dump failed"), failure.getMessage());
            assertFalse(Files.exists(output));
            assertFalse(Files.exists(partial));
        } finally {
            host.signal(server.pid(), Signal.SIGKILL);
        }
    }

    @Test
    void fullDiskMidDumpFailsAndLeavesNoFile() throws Exception {
        assumeTrue(host.isRoot(), "mounts a small tmpfs");
        Path small = Files.createDirectories(temp.resolve("small"));
        SshTestHosts.sh("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small.toString());
        ServerHandle server = null;
        try {
            server = bigServer();
            Path output = small.resolve("full.sql");
            Throwable failure = failureOf(dumpAsync(server, output));
            assertTrue(failure instanceof EngineException, String.valueOf(failure));
            assertTrue(failure.getMessage().contains("No space left on device"), failure.getMessage());
            try (var left = Files.list(small)) {
                assertEquals(List.of(), left.toList(), "files left on the full disk");
            }
        } finally {
            TestServers.stop(server);
            SshTestHosts.sh("umount", small.toString());
        }
    }

    /**
     * The disk fills up (another writer takes the last pages) just as the dump is complete: the new dump must not
     * replace the earlier one unless its manifest is complete on disk, and the message must say what is there. The
     * earlier dump is hard-linked, so that replacing it would free nothing: the new dump's file takes exactly the
     * space left.
     */
    @Test
    void aDiskThatFillsUpAsTheDumpIsCompleteKeepsTheEarlierDumpWithItsManifest() throws Exception {
        assumeTrue(host.isRoot(), "mounts a small tmpfs");
        Path small = Files.createDirectories(temp.resolve("small"));
        SshTestHosts.sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString());
        ServerHandle server = null;
        try {
            server = TestServers.start(temp, "data");
            TestServers.sql(server, "CREATE DATABASE shop", "CREATE TABLE shop.t (id INT PRIMARY KEY, v CHAR(20))",
                    "INSERT INTO shop.t SELECT seq, 'the earlier dump....' FROM shop.seq_1_to_500");
            Path output = small.resolve("shop.sql");
            DumpSpec spec = DumpSpec.builder().port(server.port()).user("root").databases(List.of("shop"))
                    .compression(Compression.NONE).output(output.toString()).build();
            DumpResult earlier = new Dumper(host, TestServers.quietLog()).dump(spec);
            Files.createLink(small.resolve("keep"), output);
            // the same size of dump, other bytes
            TestServers.sql(server, "UPDATE shop.t SET v = 'the newer dump......'");
            long page = 4096;
            long dumpPages = (Files.size(output) + page - 1) / page;
            long filler = Files.getFileStore(small).getUsableSpace() - dumpPages * page;
            try (var out = Files.newOutputStream(small.resolve("filler"))) {
                out.write(new byte[(int) filler]);
            }

            EngineException failure = assertThrows(EngineException.class,
                    () -> new Dumper(host, TestServers.quietLog()).dump(spec));

            assertTrue(failure.getMessage().contains("No space left on device"), failure.getMessage());
            assertEquals(earlier.sha256(), Sha256.ofFile(output), "the earlier dump was replaced: "
                    + failure.getMessage());
            assertEquals(Compression.NONE, DumpCheck.checkFile(output, new Log(TestServers.quietLog())));
            assertTrue(failure.getMessage().contains("the earlier " + output + " is as it was"),
                    failure.getMessage());
            try (var left = Files.list(small)) {
                assertEquals(List.of("filler", "keep", "shop.sql", "shop.sql.json"), left.map(path -> path
                        .getFileName().toString()).sorted().toList());
            }
        } finally {
            TestServers.stop(server);
            SshTestHosts.sh("umount", small.toString());
        }
    }

    /** As above, for a parallel dump's directory: each file of the earlier one is hard-linked to keep its pages. */
    @Test
    void aDiskThatFillsUpAsAParallelDumpIsCompleteKeepsTheEarlierDirectoryWithItsManifest() throws Exception {
        assumeTrue(host.isRoot(), "mounts a small tmpfs");
        Path small = Files.createDirectories(temp.resolve("small"));
        SshTestHosts.sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString());
        ServerHandle server = null;
        try {
            server = TestServers.start(temp, "data");
            TestServers.sql(server, "CREATE DATABASE shop", "CREATE TABLE shop.t (id INT PRIMARY KEY, v CHAR(20))",
                    "INSERT INTO shop.t SELECT seq, 'the earlier dump....' FROM shop.seq_1_to_500");
            Path output = small.resolve("shop-dir");
            DumpSpec spec = DumpSpec.builder().port(server.port()).user("root").databases(List.of("shop"))
                    .method(DumpMethod.PARALLEL).threads(1).compression(Compression.NONE)
                    .output(output.toString()).build();
            DumpResult earlier = new Dumper(host, TestServers.quietLog()).dump(spec);
            Path keep = Files.createDirectories(small.resolve("keep"));
            long page = 4096;
            long dumpPages = 0;
            try (var files = Files.list(output)) {
                for (Path file : files.toList()) {
                    Files.createLink(keep.resolve(file.getFileName()), file);
                    dumpPages += (Files.size(file) + page - 1) / page;
                }
            }
            TestServers.sql(server, "UPDATE shop.t SET v = 'the newer dump......'");
            long filler = Files.getFileStore(small).getUsableSpace() - dumpPages * page;
            try (var out = Files.newOutputStream(small.resolve("filler"))) {
                out.write(new byte[(int) filler]);
            }

            EngineException failure = assertThrows(EngineException.class,
                    () -> new Dumper(host, TestServers.quietLog()).dump(spec));

            assertTrue(failure.getMessage().contains("No space left on device"), failure.getMessage());
            assertEquals(earlier.sha256(), Sha256.ofFile(output.resolve("metadata.json")),
                    "the earlier dump was replaced: " + failure.getMessage());
            DumpCheck.checkDirectory(output);
            assertTrue(failure.getMessage().contains("the earlier " + output + "/ is as it was"),
                    failure.getMessage());
            try (var left = Files.list(small)) {
                assertEquals(List.of("filler", "keep", "shop-dir", "shop-dir.json"), left.map(path -> path
                        .getFileName().toString()).sorted().toList());
            }
        } finally {
            TestServers.stop(server);
            SshTestHosts.sh("umount", small.toString());
        }
    }

    @Test
    void readOnlyOutputDirectoryFailsBeforeDumpingAndLeavesNothing() throws Exception {
        assumeTrue(host.isRoot(), "mounts a read-only tmpfs (root may write anywhere else)");
        Path readOnly = Files.createDirectories(temp.resolve("ro"));
        SshTestHosts.sh("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", readOnly.toString());
        try {
            EngineException failed = assertThrows(EngineException.class, () -> new Dumper(host,
                    TestServers.quietLog()).dump(DumpSpec.builder().port(1).user("root").databases(List.of("x"))
                    .output(readOnly.resolve("x.sql.gz").toString()).build()));
            assertTrue(failed.getMessage().contains("Read-only file system"), failed.getMessage());
            try (var left = Files.list(readOnly)) {
                assertEquals(0, left.count());
            }
        } finally {
            SshTestHosts.sh("umount", readOnly.toString());
        }
    }
}
