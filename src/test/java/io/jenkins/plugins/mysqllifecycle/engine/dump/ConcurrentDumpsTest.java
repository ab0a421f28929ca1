package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.format.DumpCheck;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

// MariaDB only: the output claim and file lock are the engine's own and do not depend on the server's flavor.
/** Dumps to one output at the same time: one wins, the others say another dump is writing it; nothing is mixed. */
class ConcurrentDumpsTest {
    @TempDir
    static Path temp;
    private static ServerHandle source;
    private static final LocalHost HOST = new LocalHost();

    @BeforeAll
    static void startServer() throws Exception {
        source = TestServers.start(temp, "source");
        TestServers.sql(source, "CREATE DATABASE shop CHARACTER SET utf8mb4",
                "CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(100))",
                "INSERT INTO shop.t SELECT seq, REPEAT('v', 90) FROM shop.seq_1_to_20000",
                "CREATE TABLE shop.u (id INT PRIMARY KEY, v VARCHAR(100))",
                "INSERT INTO shop.u SELECT seq, REPEAT('u', 90) FROM shop.seq_1_to_20000");
    }

    @AfterAll
    static void stopServer() throws Exception {
        TestServers.stop(source);
    }

    private static DumpSpec spec(Path output, DumpMethod method) throws Exception {
        return DumpSpec.builder().port(source.port()).user("root").databases(List.of("shop")).method(method)
                .threads(method == DumpMethod.PARALLEL ? 2 : 0).compression(Compression.NONE)
                .output(output.toString()).build();
    }

    /** Runs {@code dumps} dumps of one output at once, {@code rounds} times; returns how many failed in all. */
    private static int dumpAtOnce(Path output, DumpMethod method, int dumps, int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(dumps);
        int lost = 0;
        try {
            for (int round = 0; round < rounds; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> running = new ArrayList<>();
                for (int i = 0; i < dumps; i++) {
                    running.add(pool.submit(() -> {
                        start.await();
                        return new Dumper(HOST, TestServers.quietLog()).dump(spec(output, method));
                    }));
                }
                start.countDown();
                int won = 0;
                for (Future<?> dump : running) {
                    try {
                        dump.get(120, TimeUnit.SECONDS);
                        won++;
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertTrue(e.getCause() instanceof EngineException, String.valueOf(e.getCause()));
                        assertTrue(e.getCause().getMessage().startsWith("Another dump is writing " + output
                                + " right now"), e.getCause().getMessage());
                        lost++;
                    }
                }
                assertTrue(won >= 1, "no dump of round " + round + " won");
            }
        } finally {
            pool.shutdownNow();
        }
        return lost;
    }

    private static List<String> namesIn(Path directory) throws Exception {
        try (var entries = Files.list(directory)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void parallelDumpsToOneOutputAtOnceLeaveOneWholeDump() throws Exception {
        Path directory = Files.createDirectories(temp.resolve("parallel"));
        Path output = directory.resolve("shop-dir");
        int lost = dumpAtOnce(output, DumpMethod.PARALLEL, 3, 4);
        assertTrue(lost > 0, "the dumps never ran at the same time");
        DumpCheck.checkDirectory(output);
        assertEquals(List.of("shop-dir", "shop-dir.json"), namesIn(directory));
        assertFalse(Files.exists(output.resolve(".lock")));
    }

    @Test
    void fileDumpsToOneOutputAtOnceLeaveOneWholeDump() throws Exception {
        Path directory = Files.createDirectories(temp.resolve("file"));
        Path output = directory.resolve("shop.sql");
        dumpAtOnce(output, DumpMethod.MYSQLDUMP, 3, 4);
        assertEquals(Compression.NONE, DumpCheck.checkFile(output, new Log(TestServers.quietLog())));
        assertTrue(Files.readString(output).contains("-- Dump completed"));
        assertEquals(List.of("shop.sql", "shop.sql.json"), namesIn(directory));
    }

    /** Another process's dump holds OUTPUT.partial's lock: refused; once that process is gone, the dump proceeds. */
    @Test
    void aDumpOfAnotherProcessIsRespectedAndAStaleDirectoryIsReplaced() throws Exception {
        Path directory = Files.createDirectories(temp.resolve("other-process"));
        Path output = directory.resolve("shop-dir");
        Path partial = Files.createDirectories(directory.resolve("shop-dir.partial"));
        Files.writeString(partial.resolve("being-written.sql"), "-- another dump's\n");
        // an fcntl lock, as the JVM takes them
        Process other = new ProcessBuilder("python3", "-c", "import fcntl, sys\n"
                + "f = open(sys.argv[1], 'a')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked', flush=True)\n"
                + "sys.stdin.read()\n", partial.resolve(".lock").toString()).start();
        try {
            assertEquals("locked", new String(other.getInputStream().readNBytes(6), StandardCharsets.UTF_8));
            EngineException refused = assertThrows(EngineException.class,
                    () -> new Dumper(HOST, TestServers.quietLog()).dump(spec(output, DumpMethod.PARALLEL)));
            assertTrue(refused.getMessage().startsWith("Another dump is writing " + output + " right now"),
                    refused.getMessage());
            assertTrue(Files.exists(partial.resolve("being-written.sql")), "the other dump's file was removed");
            assertEquals(List.of("shop-dir.partial"), namesIn(directory));
        } finally {
            other.destroy();
            other.waitFor(10, TimeUnit.SECONDS);
        }
        new Dumper(HOST, TestServers.quietLog()).dump(spec(output, DumpMethod.PARALLEL));
        DumpCheck.checkDirectory(output);
        assertEquals(List.of("shop-dir", "shop-dir.json"), namesIn(directory));
    }
}
