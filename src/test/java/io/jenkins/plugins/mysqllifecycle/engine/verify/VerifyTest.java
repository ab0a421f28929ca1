package io.jenkins.plugins.mysqllifecycle.engine.verify;

import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.dump.Dumper;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

// MariaDB here; verify on MySQL (a scratch MySQL server, both methods, and the error without one) is in MysqlDumpTest.
/** verify: restore into a scratch server and compare with the source as it was in the dump's own snapshot. */
class VerifyTest {
    @TempDir
    static Path temp;
    private static ServerHandle source;
    private static final LocalHost HOST = new LocalHost();

    @BeforeAll
    static void startServer() throws Exception {
        source = TestServers.start(temp, "source");
        TestServers.sql(source,
                "CREATE DATABASE calm",
                "CREATE TABLE calm.items (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2), d DOUBLE)",
                "INSERT INTO calm.items SELECT seq, CONCAT('item ', seq), seq / 7, seq / 3 FROM calm.seq_1_to_5000",
                "CREATE DATABASE busy",
                "CREATE TABLE busy.events (id INT AUTO_INCREMENT PRIMARY KEY, payload VARCHAR(200))",
                "INSERT INTO busy.events (payload) SELECT REPEAT('x', 150) FROM busy.seq_1_to_50000",
                "CREATE DATABASE lossy",
                "CREATE TABLE lossy.readings (id INT PRIMARY KEY, value FLOAT)",
                "INSERT INTO lossy.readings VALUES (1, 1.17549435e-38), (2, 0.1), (3, 3.14159265)");
    }

    @AfterAll
    static void stopServer() throws Exception {
        TestServers.stop(source);
    }

    private static DumpResult dump(String database, DumpMethod method, String name) throws Exception {
        return dump(database, method, name, TestServers.quietLog());
    }

    private static DumpResult dump(String database, DumpMethod method, String name, PrintStream log)
            throws Exception {
        return new Dumper(HOST, log).dump(DumpSpec.builder().port(source.port()).user("root")
                .databases(List.of(database)).method(method).verify(true).output(temp.resolve(name).toString())
                .build());
    }

    /** The scratch directories the verify log names: this test's own, whatever else runs on the machine. */
    private static List<Path> scratchDirectoriesIn(String log) {
        return SCRATCH_IN_LOG.matcher(log).results().map(found -> Path.of(found.group(1))).distinct().toList();
    }

    private static final Pattern SCRATCH_IN_LOG = Pattern.compile("scratch server \\(.*?\\) in (/\\S+) to restore");

    @Test
    void bothMethodsVerifyAndSayItInTheManifest() throws Exception {
        for (DumpMethod method : DumpMethod.values()) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            DumpResult result = dump("calm", method, "calm-" + method.id(),
                    new PrintStream(log, true, StandardCharsets.UTF_8));
            assertTrue(result.verified(), method.id());
            Map<String, Object> manifest = Json.parseObject(Files.readString(Path.of(result.manifest())));
            assertEquals(true, manifest.get("verified"), method.id());
            List<Path> scratch = scratchDirectoriesIn(log.toString(StandardCharsets.UTF_8));
            assertEquals(1, scratch.size(), method.id() + ": " + log.toString(StandardCharsets.UTF_8));
            assertFalse(Files.exists(scratch.get(0)), method.id() + ": the scratch directory was left behind");
        }
    }

    @Test
    void writesDuringTheDumpDoNotFailVerificationBecauseBothSidesReadTheSameSnapshot() throws Exception {
        for (DumpMethod method : DumpMethod.values()) {
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (Connection connection = TestServers.connect(source, "root", null);
                     Statement statement = connection.createStatement()) {
                    while (writing.get()) {
                        statement.execute("INSERT INTO busy.events (payload) VALUES (REPEAT('y', 150))");
                        statement.execute("UPDATE busy.events SET payload = 'changed' WHERE id = "
                                + (1 + written.getAndIncrement() % 50000));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                while (written.get() < 20) {
                    Thread.onSpinWait();
                }
                DumpResult result = dump("busy", method, "busy-" + method.id());
                assertTrue(result.verified(), method.id());
            } finally {
                writing.set(false);
                writer.get();
            }
            assertTrue(written.get() > 20, "the writer did not write during the dump");
        }
    }

    @Test
    void aDumpThatDoesNotLoadBackToTheSameBytesFailsNamingTheTable() throws Exception {
        // mariadb-dump writes a FLOAT with 6 significant digits: it loads back as a different float
        EngineException failure = assertThrows(EngineException.class, () -> dump("lossy", DumpMethod.MYSQLDUMP,
                "lossy.sql.gz"));
        assertTrue(failure.getMessage().contains("`lossy`.`readings` has CHECKSUM TABLE"), failure.getMessage());
        assertTrue(Files.exists(temp.resolve("lossy.sql.gz")), "the dump is kept for a look");
        // the parallel dump reads floats through a double and passes
        assertTrue(dump("lossy", DumpMethod.PARALLEL, "lossy-dir").verified());
    }
}
