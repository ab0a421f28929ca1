package io.jenkins.plugins.mysqllifecycle.engine;

import io.jenkins.plugins.mysqllifecycle.engine.dump.Dumper;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerLauncher;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerStopper;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbolic links planted where the tool, running as root, creates, gives away or writes a file: in a data directory
 * the server's account can write, or in a dump's output directory. A link must never make root write, truncate or
 * chown its target. Each victim here is a root-owned file standing for /etc/shadow or root's crontab.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinkAttackTest {
    private static final String VICTIM_CONTENT = "root:secret-hash:19000:0:99999:7:::\n";

    @TempDir
    Path temp;

    private final LocalHost host = new LocalHost();
    private ServerHandle server;
    private Path victim;

    @BeforeAll
    void startServer(@TempDir Path serverDir) throws Exception {
        server = TestServers.start(serverDir, "data");
        TestServers.sql(server, "CREATE DATABASE shop CHARACTER SET utf8mb4",
                "CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO shop.t VALUES (1, 'a'), (2, 'b')");
    }

    @AfterAll
    void stopServer() throws Exception {
        TestServers.stop(server);
    }

    @BeforeEach
    void victim() throws Exception {
        victim = temp.resolve("victim");
        Files.writeString(victim, VICTIM_CONTENT);
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private void assertVictimUntouched() throws Exception {
        assertEquals(VICTIM_CONTENT, Files.readString(victim), "the link's target was written");
        assertEquals("root", Files.getOwner(victim).getName(), "the link's target was given away");
    }

    /** The server stopped, as the server account could leave its data directory between two starts. */
    private Path stoppedDatadir() throws Exception {
        TestServers.stop(server);
        return Path.of(server.datadir());
    }

    private ServerHandle startAgain() throws Exception {
        return new ServerLauncher(host, TestServers.quietLog()).start(
                ServerSpec.builder(server.datadir()).build());
    }

    @Test
    void startRefusesAnErrorLogThatIsALinkAndNeitherChownsNorWritesItsTarget() throws Exception {
        assumeTrue(host.isRoot(), "only root gives files away");
        Path datadir = stoppedDatadir();
        Path errorLog = datadir.resolve("error.log");
        Files.delete(errorLog);
        Files.createSymbolicLink(errorLog, victim);
        EngineException refused = null;
        try {
            server = startAgain();
        } catch (EngineException expected) {
            refused = expected;
        } finally {
            if (Files.isSymbolicLink(errorLog)) {
                Files.delete(errorLog);
            }
            if (refused != null) {
                server = startAgain();
            }
        }
        assertVictimUntouched();
        assertTrue(refused != null, "the start went ahead through the link");
        assertTrue(refused.getMessage().contains("symbolic link"), refused.getMessage());
        assertTrue(refused.getMessage().contains(errorLog.toString()), refused.getMessage());
    }

    @Test
    void startRecordIsNeverWrittenThroughALinkAtItsTemporaryFile() throws Exception {
        Path datadir = stoppedDatadir();
        Path record = Path.of(ServerHandle.recordPathFor(server.pidFile()));
        Path temporary = record.resolveSibling(record.getFileName() + ".tmp");
        Files.createSymbolicLink(temporary, victim);
        server = startAgain();
        assertVictimUntouched();
        assertTrue(Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS));
        assertEquals(server.pid(), ServerHandle.fromMap(io.jenkins.plugins.mysqllifecycle.engine.util.Json
                .parseObject(Files.readString(record))).pid());
        assertTrue(Files.exists(datadir));
    }

    @Test
    void aDetachedSpawnNeverAppendsThroughALinkAtItsOutputFile() throws Exception {
        Path output = temp.resolve("out.log");
        Files.createSymbolicLink(output, victim);
        assertThrows(EngineException.class,
                () -> host.spawnDetached(List.of("sh", "-c", "echo written-through-the-link"), output.toString()));
        Path dangling = temp.resolve("dangling.log");
        Path created = temp.resolve("created-by-root");
        Files.createSymbolicLink(dangling, created);
        assertThrows(EngineException.class,
                () -> host.spawnDetached(List.of("sh", "-c", "echo written-through-the-link"), dangling.toString()));
        Thread.sleep(200); // a spawned command would have written by now
        assertVictimUntouched();
        assertFalse(Files.exists(created, LinkOption.NOFOLLOW_LINKS), "root created the dangling link's target");
    }

    /** Reading is no safer: what root reads through a link it may print, and a message is a way out for a secret. */
    @Test
    void stopNeverReadsAPidFileThroughALinkSoItCannotPrintTheTarget() throws Exception {
        Path pidFile = temp.resolve("mysqld.pid");
        Files.createSymbolicLink(pidFile, victim);
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        EngineException refused = assertThrows(EngineException.class, () -> new ServerStopper(host,
                new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8)).stop(StopSpec.ofPidFile(
                pidFile.toString(), java.time.Duration.ofSeconds(5), false)));
        String said = refused.getMessage() + log.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(said.contains("secret-hash"), said);
        assertTrue(refused.getMessage().contains("symbolic link"), refused.getMessage());
    }

    @Test
    void aStartThatFailsNeverShowsTheTailOfAFileTheErrorLogWasSwappedFor() throws Exception {
        // a "server" that, as the server's account could, swaps its error log for a link and then fails
        Path datadir = Files.createDirectories(temp.resolve("data/mysql")).getParent();
        Path fake = io.jenkins.plugins.mysqllifecycle.testing.FakeServers.script(temp, "mysqld", "case $1 in"
                + " --version) echo 'mysqld  Ver 10.11.0-MariaDB for test'; exit 0;; esac\n"
                + "rm -f " + datadir + "/error.log; ln -s " + victim + " " + datadir + "/error.log\nexit 1\n");
        TestServers.traversable(temp);
        Files.setPosixFilePermissions(datadir, PosixFilePermissions.fromString("rwxrwxrwx"));
        EngineException failed = assertThrows(EngineException.class, () -> new ServerLauncher(host,
                TestServers.quietLog()).start(ServerSpec.builder(datadir.toString()).mysqld(fake.toString())
                .readyTimeout(java.time.Duration.ofSeconds(20)).build()));
        assertFalse(failed.getMessage().contains("secret-hash"), failed.getMessage());
        assertVictimUntouched();
    }

    @Test
    void neitherDumpMethodWritesThroughALinkAtTheManifestsTemporaryFile() throws Exception {
        for (DumpMethod method : DumpMethod.values()) {
            Path output = temp.resolve("shop-" + method.name().toLowerCase(java.util.Locale.ROOT) + ".sql.gz");
            Path manifestPartial = temp.resolve(output.getFileName() + ".json.partial");
            Files.createSymbolicLink(manifestPartial, victim);
            DumpResult result = new Dumper(host, TestServers.quietLog()).dump(DumpSpec.builder().port(server.port())
                    .user("root").databases(List.of("shop")).output(output.toString()).method(method).build());
            assertVictimUntouched();
            assertTrue(Files.isRegularFile(Path.of(result.manifest()), LinkOption.NOFOLLOW_LINKS), method.name());
            assertFalse(Files.exists(manifestPartial, LinkOption.NOFOLLOW_LINKS), method.name());
        }
    }
}
