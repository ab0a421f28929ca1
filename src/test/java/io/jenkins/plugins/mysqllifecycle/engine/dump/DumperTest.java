package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.tools.OptionFile;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.testing.FakeServers;
import io.jenkins.plugins.mysqllifecycle.testing.SecretScan;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/*
 * MariaDB only: these test the engine's handling of the dump tool's stream (compression, hashing, the option file,
 * the completion line, failures, timeouts, interrupts), which does not depend on the server's flavor. What differs on
 * MySQL (choosing MySQL's own mysqldump, --set-gtid-purged, the round trip of awkward data) is in MysqlDumpTest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DumperTest {
    private static final String PASSWORD = "p\"a\\ss #w0rd' ;x=y";

    private Path serverDir;
    @TempDir
    Path temp;

    private ServerHandle source;

    @BeforeAll
    void startSourceServer(@TempDir Path serverDir) throws Exception {
        this.serverDir = serverDir;
        source = TestServers.start(serverDir, "source");
        TestServers.sql(source,
                "CREATE DATABASE shop CHARACTER SET utf8mb4",
                "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(100), price DECIMAL(30,10), ratio DOUBLE,"
                        + " note TEXT, raw BLOB, seen DATETIME, day DATE)",
                "INSERT INTO shop.items VALUES"
                        + " (1, 'plain', 1.5, 0.1, 'x', x'00ff10', '2026-01-02 03:04:05', '2026-01-02'),"
                        + " (2, 'quote '' and \\\\ backslash', 12345678901234567890.0123456789, 1e300, NULL, NULL,"
                        + " NULL, NULL),"
                        + " (3, 'Zürich 東京 🎉', -0.0000000001, -2.5e-300, '', x'', '1000-01-01 00:00:00',"
                        + " '9999-12-31')",
                "CREATE TABLE shop.log (line TEXT)",
                "INSERT INTO shop.log VALUES ('no primary key'), ('no primary key'), (NULL)",
                "CREATE TABLE shop.bulk (id INT PRIMARY KEY, payload VARCHAR(200))",
                "INSERT INTO shop.bulk SELECT seq, REPEAT(CHAR(65 + seq % 26), 150) FROM shop.seq_1_to_200000",
                "CREATE DATABASE other CHARACTER SET utf8mb4",
                "CREATE TABLE other.t (id INT PRIMARY KEY)",
                "CREATE USER 'backup'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD.replace("\\", "\\\\")
                        .replace("'", "''") + "'",
                "GRANT SELECT, SHOW VIEW, TRIGGER, LOCK TABLES, EVENT, PROCESS ON *.* TO 'backup'@'127.0.0.1'");
    }

    @AfterAll
    void stopSourceServer() throws Exception {
        TestServers.stop(source);
    }

    private DumpSpec.Builder spec(Path output) {
        return DumpSpec.builder().port(source.port()).user("backup").password(Password.of(PASSWORD))
                .databases(List.of("shop")).output(output.toString());
    }

    /**
     * An uncompressed dump goes to disk while the tool writes it, and the pages the copier has hashed leave the page
     * cache (EarlyWriteback): written only at the end, the whole file would still be in memory after the final
     * force, and that force alone took most of a second for 1.3 GB. Steps of 1 MiB here instead of 64.
     */
    @Test
    void anUncompressedDumpGoesToDiskWhileWrittenAndLeavesThePageCache() throws Exception {
        Path output = temp.resolve("written-early.sql");
        DumpResult result = new Dumper(new LocalHost(), TestServers.quietLog(), Dumper.PROGRESS_INTERVAL,
                1024 * 1024).dump(spec(output).compression(Compression.NONE).build());

        assertTrue(result.bytes() > 20 * 1024 * 1024, "too small a dump to tell: " + result.bytes());
        Process fincore = new ProcessBuilder("fincore", "--bytes", "--noheadings", "--output", "RES",
                output.toString()).redirectErrorStream(true).start();
        String resident = new String(fincore.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, fincore.waitFor(), resident);
        assertTrue(Long.parseLong(resident) < result.bytes() / 2, resident + " of " + result.bytes()
                + " bytes of the dump are still in the page cache");
        // read back only now: reading puts the file in the cache again
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                Files.readAllBytes(output))), result.sha256());
    }

    @Test
    void gzipDumpRestoresToIdenticalChecksumsAndMatchesItsManifest() throws Exception {
        Path output = temp.resolve("shop.sql.gz");
        DumpResult result = new Dumper(new LocalHost(), TestServers.quietLog()).dump(spec(output).build());

        assertEquals(output.toString(), result.file());
        byte[] written = Files.readAllBytes(output);
        assertEquals(written.length, result.bytes());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(written)), result.sha256());
        assertTrue(result.serverVersion().contains("MariaDB"), result.serverVersion());
        assertEquals("mariadb-dump", result.tool());
        Map<String, Object> manifest = Json.parseObject(Files.readString(Path.of(result.manifest())));
        assertEquals("shop.sql.gz", manifest.get("file"));
        assertEquals(result.sha256(), manifest.get("sha256"));
        assertEquals((long) written.length, manifest.get("bytes"));
        assertEquals("gzip", manifest.get("compress"));
        assertEquals(List.of("shop"), manifest.get("databases"));
        try (InputStream sql = new GZIPInputStream(Files.newInputStream(output))) {
            assertEquals(result.rawBytes(), sql.transferTo(java.io.OutputStream.nullOutputStream()));
        }
        assertFalse(Files.exists(temp.resolve("shop.sql.gz.partial")));

        ServerHandle restored = TestServers.start(serverDir, "restored");
        try {
            Process load = new ProcessBuilder("sh", "-c", "gzip -dc \"$1\" | mariadb --no-defaults --protocol=TCP"
                    + " -h127.0.0.1 -P\"$2\" -uroot", "sh", output.toString(), Integer.toString(restored.port()))
                    .redirectErrorStream(true).start();
            String loadOutput = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(load.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, load.exitValue(), loadOutput);
            Map<String, String> expected = TestServers.checksums(source, "shop");
            assertEquals(Set.of("items", "log", "bulk"), expected.keySet());
            assertEquals(expected, TestServers.checksums(restored, "shop"));
        } finally {
            TestServers.stop(restored);
        }
    }

    @Test
    void zstdDumpDecompressesWithTheZstdToolToTheSameSqlAsAnUncompressedDump() throws Exception {
        Dumper dumper = new Dumper(new LocalHost(), TestServers.quietLog());
        DumpResult plain = dumper.dump(spec(temp.resolve("plain.sql")).compression(Compression.NONE).build());
        DumpResult zstd = dumper.dump(spec(temp.resolve("shop.sql.zst")).compression(Compression.ZSTD).build());
        assertTrue(zstd.bytes() < plain.bytes() / 3, zstd.bytes() + " vs " + plain.bytes());
        Process unzstd = new ProcessBuilder("zstd", "-dc", zstd.file()).start();
        String sql = new String(unzstd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, unzstd.waitFor());
        assertEquals(zstd.rawBytes(), sql.getBytes(StandardCharsets.UTF_8).length);
        String expected = Files.readString(Path.of(plain.file()));
        assertEquals(expected.replaceAll("(?m)^-- Dump completed on .*$", ""),
                sql.replaceAll("(?m)^-- Dump completed on .*$", ""));
    }

    @Test
    void passwordReachesTheToolOnlyThroughAPipeNeverAFile() throws Exception {
        Path output = temp.resolve("secret.sql");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Dumper dumper = new Dumper(new LocalHost(), new PrintStream(log, true, StandardCharsets.UTF_8));
        CompletableFuture<DumpResult> dump = CompletableFuture.supplyAsync(() -> {
            try {
                return dumper.dump(spec(output).compression(Compression.NONE).databases(List.of("shop", "other"))
                        .build());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> optionFiles = SecretScan.whileRunning(dump, List.of(PASSWORD), "mariadb-dump");
        DumpResult result = dump.get();
        assertFalse(optionFiles.isEmpty(), "the dump tool got no option file");
        // its standard input: nothing on disk, so nothing is left behind even after kill -9 (CliSignalTest)
        assertEquals(List.of("/dev/stdin"), optionFiles.stream().distinct().toList());
        String everythingSaid = log.toString(StandardCharsets.UTF_8) + Json.write(result.toMap())
                + Files.readString(Path.of(result.manifest())) + result + spec(output).build();
        assertFalse(everythingSaid.contains(PASSWORD), "password in the log, result or manifest");
        assertTrue(Files.readString(output).contains("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `other`"));
    }



    @Test
    void callersDefaultsFileStillAppliesWhenThePasswordGoesThroughAnOptionFile() throws Exception {
        Path defaults = temp.resolve("dump.cnf");
        Files.writeString(defaults, "[mysqldump]\nskip-add-drop-table\n");
        Path plain = temp.resolve("plain.sql");
        Path tuned = temp.resolve("tuned.sql");
        Dumper dumper = new Dumper(new LocalHost(), TestServers.quietLog());
        dumper.dump(spec(plain).compression(Compression.NONE).build());
        dumper.dump(spec(tuned).compression(Compression.NONE).defaultsFile(defaults.toString()).build());
        assertTrue(Files.readString(plain).contains("DROP TABLE IF EXISTS `items`"));
        assertFalse(Files.readString(tuned).contains("DROP TABLE IF EXISTS"), "the defaults file was not read");
    }

    @Test
    void optionFileQuotingKeepsEveryCharacterOfThePassword() {
        // the quoting is exercised for real by PASSWORD, which every other test here logs in with
        assertEquals("a\\\\b\\\"c d#e\\n", OptionFile.escapeValue("a\\b\"c d#e\n"));
    }

    @Test
    void missingDatabaseFailsWithToolsErrorAndLeavesNoFile() {
        Path output = temp.resolve("missing.sql.gz");
        EngineException failed = assertThrows(EngineException.class, () -> new Dumper(new LocalHost(),
                TestServers.quietLog()).dump(spec(output).databases(List.of("no_such_db")).build()));
        assertTrue(failed.getMessage().contains("Unknown database 'no_such_db'"), failed.getMessage());
        assertFalse(Files.exists(output));
        assertFalse(Files.exists(temp.resolve("missing.sql.gz.partial")));
        assertFalse(Files.exists(temp.resolve("missing.sql.gz.json")));
    }

    @Test
    void wrongPasswordFailsWithAccessDeniedAndLeavesNoFile() {
        Path output = temp.resolve("denied.sql.gz");
        EngineException failed = assertThrows(EngineException.class, () -> new Dumper(new LocalHost(),
                TestServers.quietLog()).dump(spec(output).password(Password.of("wrong")).build()));
        assertTrue(failed.getMessage().contains("Access denied"), failed.getMessage());
        assertFalse(Files.exists(output));
        assertFalse(Files.exists(temp.resolve("denied.sql.gz.partial")));
    }

    @Test
    void failedDumpLeavesAnEarlierGoodDumpUntouched() throws Exception {
        Path output = temp.resolve("nightly.sql.gz");
        new Dumper(new LocalHost(), TestServers.quietLog()).dump(spec(output).build());
        byte[] good = Files.readAllBytes(output);
        assertThrows(EngineException.class, () -> new Dumper(new LocalHost(), TestServers.quietLog())
                .dump(spec(output).databases(List.of("no_such_db")).build()));
        assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(output)));
    }

    @Test
    void toolThatExitsZeroWithoutCompletionLineIsDiscarded() throws Exception {
        Path tool = fakeDumpTool("echo '-- MariaDB dump'; echo 'CREATE TABLE t (i INT);'");
        Path output = temp.resolve("truncated.sql");
        EngineException failed = assertThrows(EngineException.class, () -> new Dumper(new LocalHost(),
                TestServers.quietLog()).dump(spec(output).dumpTool(tool.toString()).compression(Compression.NONE)
                .build()));
        assertTrue(failed.getMessage().contains("does not end with '-- Dump completed'"), failed.getMessage());
        assertFalse(Files.exists(output));
        assertFalse(Files.exists(temp.resolve("truncated.sql.partial")));
    }

    @Test
    void toolKilledMidDumpLeavesNoFile() throws Exception {
        Path tool = fakeDumpTool("echo '-- MariaDB dump'; kill -KILL $$");
        Path output = temp.resolve("killed.sql.gz");
        EngineException failed = assertThrows(EngineException.class, () -> new Dumper(new LocalHost(),
                TestServers.quietLog()).dump(spec(output).dumpTool(tool.toString()).build()));
        assertTrue(failed.getMessage().contains("exit code 137"), failed.getMessage());
        assertFalse(Files.exists(output));
        assertFalse(Files.exists(temp.resolve("killed.sql.gz.partial")));
    }

    @Test
    void timeoutStopsTheToolReportsProgressAndLeavesNoFile() throws Exception {
        Path tool = fakeDumpTool("echo '-- MariaDB dump'; exec sleep 600");
        Path output = temp.resolve("slow.sql.gz");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Deadline took = Deadline.after(Duration.ZERO);
        OperationTimeoutException timedOut = assertThrows(OperationTimeoutException.class, () -> new Dumper(
                new LocalHost(), new PrintStream(log, true, StandardCharsets.UTF_8), Duration.ofMillis(300))
                .dump(spec(output).dumpTool(tool.toString()).timeout(Duration.ofSeconds(1)).build()));
        assertTrue(took.elapsed().compareTo(Duration.ofSeconds(8)) < 0, "took " + took.elapsed());
        assertTrue(timedOut.getMessage().contains("did not finish within its timeout"), timedOut.getMessage());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("of SQL read"), log.toString());
        assertFalse(Files.exists(output));
        assertFalse(Files.exists(temp.resolve("slow.sql.gz.partial")));
        assertTrue(new LocalHost().processes().stream().noneMatch(p -> !p.hasExited()
                && p.commandLine().equals(List.of("sleep", "600"))), "the dump tool still runs");
    }

    @Test
    void interruptStopsTheToolAndLeavesNoFile() throws Exception {
        Path tool = fakeDumpTool("echo '-- MariaDB dump'; exec sleep 601");
        Path output = temp.resolve("aborted.sql.gz");
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException ignored) {
                return;
            }
            caller.interrupt();
        });
        interrupter.start();
        assertThrows(InterruptedException.class, () -> new Dumper(new LocalHost(), TestServers.quietLog())
                .dump(spec(output).dumpTool(tool.toString()).build()));
        assertFalse(Files.exists(output));
        assertFalse(Files.exists(temp.resolve("aborted.sql.gz.partial")));
        assertTrue(new LocalHost().processes().stream().noneMatch(p -> !p.hasExited()
                && p.commandLine().equals(List.of("sleep", "601"))), "the dump tool still runs");
    }

    /** A "mariadb-dump" that answers --version like the real one and otherwise runs {@code body}. */
    private Path fakeDumpTool(String body) throws Exception {
        return FakeServers.script(temp, "mariadb-dump", "case $1 in --version) echo 'mariadb-dump  Ver 10.19"
                + " Distrib 10.11.0-MariaDB, for test';; *) " + body + ";; esac\n");
    }

    @Test
    void missingOutputDirectoryIsBadInput() {
        InvalidSpecException bad = assertThrows(InvalidSpecException.class, () -> new Dumper(new LocalHost(),
                TestServers.quietLog()).dump(spec(temp.resolve("no/such/dir/x.sql.gz")).build()));
        assertTrue(bad.getMessage().contains("does not exist"), bad.getMessage());
    }

    @Test
    void specNamesTheOptionThatIsWrong() throws Exception {
        assertTrue(assertThrows(InvalidSpecException.class, () -> DumpSpec.builder().user("u").output("/tmp/x")
                .databases(List.of("a")).build()).getMessage().contains("port"));
        assertTrue(assertThrows(InvalidSpecException.class, () -> DumpSpec.builder().port(1).output("/tmp/x")
                .databases(List.of("a")).build()).getMessage().contains("user"));
        assertTrue(assertThrows(InvalidSpecException.class, () -> DumpSpec.builder().port(1).user("u")
                .output("/tmp/x").build()).getMessage().contains("databases"));
        assertTrue(assertThrows(InvalidSpecException.class, () -> DumpSpec.builder().port(1).user("u")
                .output("/tmp/x").databases(List.of(" ")).build()).getMessage().contains("not a database"));
        // a name may start with dashes: the dump tool gets the names after '--'
        DumpSpec.builder().port(1).user("u").output("/tmp/x").databases(List.of("--all")).build();
        assertTrue(assertThrows(InvalidSpecException.class, () -> DumpSpec.builder().port(1).user("u")
                .databases(List.of("a")).build()).getMessage().contains("output"));
    }
}
