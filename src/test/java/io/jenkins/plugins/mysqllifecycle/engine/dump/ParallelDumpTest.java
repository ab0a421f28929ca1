package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.BinlogCoordinates;
import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreResult;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreSpec;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.Tls;
import io.jenkins.plugins.mysqllifecycle.engine.format.DumpCheck;
import io.jenkins.plugins.mysqllifecycle.engine.format.DumpNames;
import io.jenkins.plugins.mysqllifecycle.engine.format.Manifest;
import io.jenkins.plugins.mysqllifecycle.engine.format.Sha256;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.DataConnections;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.LargeReadSocketFactory;
import io.jenkins.plugins.mysqllifecycle.engine.restore.Restorer;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerLauncher;
import io.jenkins.plugins.mysqllifecycle.engine.sql.SqlText;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * MariaDB only: chunking, byte-exact values and the faults of the parallel method go through the same Connector/J
 * code on both flavors; the statements that differ on MySQL (binary log status, GTIDs, ONLY_FULL_GROUP_BY) and a
 * MySQL round trip of awkward data are in MysqlDumpTest, which costs one MySQL server instead of several here.
 */
/** Parallel dumps and restores against real servers: every awkward value must come back byte for byte. */
class ParallelDumpTest {
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
                "SET sql_mode = 'NO_AUTO_VALUE_ON_ZERO'",
                "CREATE DATABASE shop",
                "CREATE TABLE shop.`or.ders x` (id INT AUTO_INCREMENT PRIMARY KEY, s VARCHAR(100) CHARACTER SET utf8mb4, b BLOB,"
                        + " bi BINARY(4), d DOUBLE, f FLOAT, dec_ DECIMAL(40,20), dt DATETIME, ts TIMESTAMP NULL,"
                        + " bits BIT(10), e ENUM('a','b''c'), st SET('x','y'), j JSON, y YEAR, t TIME(6), g POINT,"
                        + " l1 LATIN1_TEXT_PLACEHOLDER, twice INT AS (id * 2) VIRTUAL)"
                        .replace("LATIN1_TEXT_PLACEHOLDER", "TEXT CHARACTER SET latin1"),
                "INSERT INTO shop.`or.ders x` (id, s, b, bi, d, f, dec_, dt, ts, bits, e, st, j, y, t, g, l1) VALUES"
                        + " (0, 'zero id', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                        + " NULL, NULL, NULL),"
                        + " (1, '', x'', x'00ff10', 0.1, 0.1, 12345678901234567890.01234567890123456789,"
                        + " '0000-00-00 00:00:00', '2038-01-19 03:14:07', b'1010101010', 'b''c', 'x,y',"
                        + " '{\"k\": \"v\\\\\"\"}', 1901, '-838:59:59.000000', ST_GeomFromText('POINT(1 2)'), 'café'),"
                        + " (2, 'it''s \\\\ \"q\" \\n\\r\\t\\0 \\Z end', x'000a0d1a5c2722', 'ab', 1e300, -3.4e38,"
                        + " -0.00000000000000000001, '1999-12-31 23:59:59', NULL, b'0', 'a', '', '[]', 2155,"
                        + " '00:00:00.000001', NULL, ''),"
                        + " (3, 'Zürich 東京 🦀 emoji', NULL, x'ffffffff', 5e-324, 1.17549435e-38, 0, NULL, NULL, NULL,"
                        + " NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
                "CREATE TABLE shop.nopk (a INT, b VARCHAR(10))",
                "INSERT INTO shop.nopk VALUES (1, 'x'), (1, 'x'), (NULL, NULL), (2, '')",
                "CREATE TABLE shop.big (id BIGINT UNSIGNED PRIMARY KEY, note VARCHAR(200))",
                "INSERT INTO shop.big SELECT seq * 3, CONCAT('row ', seq, REPEAT(' pad', 20)) FROM shop.seq_1_to_20000",
                "CREATE TABLE shop.empty_one (id INT PRIMARY KEY)",
                // a row packet gives a value's length in 1, 2 or 3 bytes: below 251, below 64 KiB, below 16 MiB
                "CREATE TABLE shop.long_values (id INT PRIMARY KEY, t MEDIUMTEXT CHARACTER SET utf8mb4, b LONGBLOB)",
                "INSERT INTO shop.long_values VALUES (1, REPEAT('x', 250), REPEAT(x'00', 251)),"
                        + " (2, REPEAT(CHAR(39), 251), REPEAT(x'5c', 65535)), (3, REPEAT('é', 32768), REPEAT(x'ff', 65536)),"
                        + " (4, REPEAT(CONCAT('a', CHAR(39), CHAR(92), '🦀'), 400000), REPEAT(x'0102', 1500000))",
                // rows come in the binary protocol: each integer width, signed and unsigned, at its extremes; dates,
                // times and zero dates field by field; doubles and floats of every magnitude with random mantissas
                "CREATE TABLE shop.numbers (id INT PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT,"
                        + " su SMALLINT UNSIGNED, mi MEDIUMINT, mu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT,"
                        + " bu BIGINT UNSIGNED, d DOUBLE, f FLOAT, da DATE, dt6 DATETIME(6), ts3 TIMESTAMP(3) NULL,"
                        + " tm TIME, tm6 TIME(6), y YEAR)",
                "INSERT INTO shop.numbers VALUES (1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648,"
                        + " 4294967295, -9223372036854775808, 18446744073709551615, 1.7976931348623157e308,"
                        + " 3.4028234663852886e38, '0000-00-00', '0000-00-00 00:00:00', NULL, '-00:00:01',"
                        + " '-838:59:59.999999', 0),"
                        + " (2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 9223372036854775808,"
                        + " -4.9e-324, -1.401298464324817e-45, '2020-00-00', '2020-02-29 23:59:59.000001',"
                        + " '1970-01-01 00:00:01.001', '00:00:00', '838:59:59.999999', 2155),"
                        + " (3, 0, 1, -1, 1, -1, 1, -1, 1, -1, 1, 0, 0, '9999-12-31', '1000-01-01 00:00:00',"
                        + " '2038-01-19 03:14:07.999', '100:00:00', '-24:00:00.5', 1901)",
                "INSERT INTO shop.numbers (id, d, f) SELECT 3 + seq, (RAND(seq) - 0.5) * POW(10, FLOOR(RAND(seq * 7)"
                        + " * 600) - 300), (RAND(seq * 3) - 0.5) * POW(10, FLOOR(RAND(seq * 5) * 70) - 35)"
                        + " FROM shop.seq_1_to_2000",
                // MariaDB's own types, which the binary protocol sends as strings
                "CREATE TABLE shop.mariadb_types (id INT PRIMARY KEY, ip INET6, ip4 INET4, u UUID)",
                "INSERT INTO shop.mariadb_types VALUES (1, '::1', '10.0.0.1', '123e4567-e89b-12d3-a456-426655440000'),"
                        + " (2, '2001:db8::ff00:42:8329', '255.255.255.255', '00000000-0000-0000-0000-000000000000'),"
                        + " (3, NULL, NULL, NULL)",
                "CREATE VIEW shop.big_view AS SELECT id, note FROM shop.big WHERE id < 100",
                "ANALYZE TABLE shop.big",
                "CREATE DATABASE bulk",
                "CREATE TABLE bulk.rows_ (id INT PRIMARY KEY, note VARCHAR(200))",
                "INSERT INTO bulk.rows_ SELECT seq, REPEAT('bulk ', 30) FROM bulk.seq_1_to_400000",
                "ANALYZE TABLE bulk.rows_");
    }

    @AfterAll
    static void stopServers() throws Exception {
        TestServers.stop(source);
        TestServers.stop(target);
    }

    private static DumpResult dumpParallel(Path output, Compression compression, int threads) throws Exception {
        DumpSpec spec = DumpSpec.builder().port(source.port()).user("root").databases(List.of("shop"))
                .method(DumpMethod.PARALLEL).threads(threads).compression(compression).output(output.toString())
                .build();
        // chunks of 64 KiB, so the 20 000-row table is split into key ranges
        return new ParallelDumper(HOST, new Log(TestServers.quietLog()), Dumper.PROGRESS_INTERVAL, 64 * 1024)
                .dump(spec);
    }

    private static RestoreResult restore(ServerHandle server, Path input) throws Exception {
        TestServers.sql(server, "DROP DATABASE IF EXISTS shop");
        return new Restorer(HOST, TestServers.quietLog()).restore(RestoreSpec.builder().port(server.port())
                .user("root").input(input.toString()).threads(2).build());
    }

    @Test
    void parallelDumpRestoresToIdenticalChecksumsWithEveryKindOfValue() throws Exception {
        Path output = temp.resolve("shop-dir");
        DumpResult dump = dumpParallel(output, Compression.ZSTD, 2);

        assertEquals(DumpResult.DIRECTORY, dump.format());
        assertTrue(Files.isDirectory(output));
        assertFalse(Files.exists(temp.resolve("shop-dir.partial")));
        Map<String, Object> metadata = Json.parseObject(Files.readString(output.resolve("metadata.json")));
        Map<?, ?> big = (Map<?, ?>) ((Map<?, ?>) metadata.get("tables")).get("`shop`.`big`");
        assertEquals(20000L, ((Number) big.get("rows")).longValue());
        assertTrue(((List<?>) big.get("chunks")).size() > 1, "the big table was not split: " + big.get("chunks"));
        assertEquals(dump.sha256(), Sha256.ofFile(output.resolve("metadata.json")));

        RestoreResult restored = restore(target, output);

        assertEquals(4 + 4 + 20000 + 4 + 2003 + 3, restored.rows());
        assertEquals(TestServers.checksums(source, "shop"), TestServers.checksums(target, "shop"));
        assertEquals(TestServers.checksums(source, "shop").keySet(), Map.of("big", "", "empty_one", "", "nopk", "",
                "or.ders x", "", "long_values", "", "numbers", "", "mariadb_types", "").keySet());
        try (var connection = TestServers.connect(target, "root", null); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM shop.big_view")) {
            rows.next();
            assertEquals(33, rows.getInt(1));
        }
    }

    @Test
    void theSnapshotIsTakenBeforeAnyRowIsReadAndNamedInTheMetadata() throws Exception {
        Path output = temp.resolve("snap");
        DumpResult dump = dumpParallel(output, Compression.NONE, 3);
        Map<String, Object> metadata = Json.parseObject(Files.readString(output.resolve("metadata.json")));
        assertTrue(Duration.between(dump.startedAt(), java.time.Instant.parse((String) metadata.get("snapshotAt")))
                .toMillis() >= 0);
        Map<String, Object> manifest = Json.parseObject(Files.readString(temp.resolve("snap.json")));
        assertEquals("directory", manifest.get("format"));
        assertEquals(dump.sha256(), manifest.get("sha256"));
        for (Object file : (List<?>) metadata.get("files")) {
            Map<?, ?> entry = (Map<?, ?>) file;
            assertEquals(entry.get("sha256"), Sha256.ofFile(output.resolve((String) entry.get("file"))));
        }
    }

    /**
     * Connections that start on chunks of one empty table at the same moment can deadlock (MariaDB's bulk load into
     * an empty table takes the table lock); twenty tables of several chunks each, on four connections, give that
     * moment twenty chances.
     */
    @Test
    void chunksOfOneEmptyTableLoadedAtOnceAllArrive() throws Exception {
        List<String> setup = new java.util.ArrayList<>(List.of("CREATE DATABASE race"));
        for (int t = 0; t < 20; t++) {
            setup.add("CREATE TABLE race.t" + t + " (id INT PRIMARY KEY, v VARCHAR(100))");
            setup.add("INSERT INTO race.t" + t + " SELECT seq, REPEAT('r', 90) FROM race.seq_1_to_4000");
            setup.add("ANALYZE TABLE race.t" + t);
        }
        TestServers.sql(source, setup.toArray(String[]::new));
        try {
            Path output = temp.resolve("race");
            new ParallelDumper(HOST, new Log(TestServers.quietLog()), Dumper.PROGRESS_INTERVAL, 64 * 1024)
                    .dump(DumpSpec.builder().port(source.port()).user("root").databases(List.of("race"))
                            .method(DumpMethod.PARALLEL).threads(2).compression(Compression.NONE)
                            .output(output.toString()).build());
            try (var files = Files.list(output)) {
                assertTrue(files.filter(file -> file.getFileName().toString().startsWith("race.t0.")).count() > 3,
                        "the tables were not split into several chunks");
            }
            for (int round = 0; round < 3; round++) {
                TestServers.sql(target, "DROP DATABASE IF EXISTS race");
                RestoreResult restored = new Restorer(HOST, TestServers.quietLog()).restore(RestoreSpec.builder()
                        .port(target.port()).user("root").input(output.toString()).threads(4).build());
                assertEquals(20 * 4000, restored.rows());
            }
            assertEquals(TestServers.checksums(source, "race"), TestServers.checksums(target, "race"));
        } finally {
            TestServers.sql(source, "DROP DATABASE race");
            TestServers.sql(target, "DROP DATABASE IF EXISTS race");
        }
    }

    @Test
    void aChangedChunkIsRefusedBeforeAnythingIsLoaded() throws Exception {
        Path output = temp.resolve("damaged");
        dumpParallel(output, Compression.NONE, 2);
        Path chunk;
        try (var files = Files.list(output)) {
            chunk = files.filter(file -> file.getFileName().toString().startsWith("shop.big.00001")).findFirst()
                    .orElseThrow();
        }
        String sql = Files.readString(chunk);
        Files.writeString(chunk, sql.replaceFirst("'row ", "'rXw "));
        assertFalse(sql.equals(Files.readString(chunk)), "the test did not change the chunk");

        TestServers.sql(target, "DROP DATABASE IF EXISTS shop");
        EngineException failure = assertThrows(EngineException.class, () -> new Restorer(HOST,
                TestServers.quietLog()).restore(RestoreSpec.builder().port(target.port()).user("root")
                .input(output.toString()).build()));
        assertTrue(failure.getMessage().contains(chunk.getFileName().toString()), failure.getMessage());
        assertTrue(TestServers.checksums(target, "shop").isEmpty(), "something was loaded");
    }

    /**
     * A dump directory someone edited (metadata.json and the manifest's sha256 both, so they still match) names as a
     * table's schema or chunk a file outside the dump, a file inside it that is not listed, a link, or a path with a
     * separator. The restore must read none of them: a syntax error would print the file's first line (here the
     * "secret") into the log and the exception, and the restoring account would send any file it can read.
     */
    @Test
    void aRestoreReadsOnlyFilesTheMetadataListsAndVerifiedInsideTheDumpsDirectory() throws Exception {
        String secret = "SECRET-first-line-of-a-private-file-8d1f";
        Path outside = temp.resolve("private.txt");
        Files.writeString(outside, secret + ";\n"); // a statement: the server quotes it back in its syntax error
        Map<String, java.util.function.BiConsumer<Path, Map<String, Object>>> edits = new java.util.LinkedHashMap<>();
        edits.put("an absolute schema path", (dir, table) -> table.put("schema", outside.toString()));
        edits.put("a schema path with ..", (dir, table) -> table.put("schema", "../" + outside.getFileName()));
        edits.put("an unlisted chunk inside the directory", (dir, table) -> {
            write(dir.resolve("unlisted.sql"), secret + ";\n");
            table.put("chunks", List.of("unlisted.sql"));
        });
        edits.put("a chunk that is a link, listed", (dir, table) -> {
            link(dir.resolve("link.sql"), outside);
            table.put("chunks", List.of("link.sql"));
        });
        edits.put("a chunk in a subdirectory, listed", (dir, table) -> {
            write(dir.resolve("sub").resolve("x.sql"), secret + ";\n");
            table.put("chunks", List.of("sub/x.sql"));
        });
        for (var edit : edits.entrySet()) {
            Path output = temp.resolve("crafted-" + edit.getKey().replaceAll("[^a-z]", "-"));
            dumpParallel(output, Compression.NONE, 2);
            Path metadataFile = output.resolve("metadata.json");
            Map<String, Object> metadata = new java.util.LinkedHashMap<>(Json.parseObject(
                    Files.readString(metadataFile)));
            @SuppressWarnings("unchecked")
            Map<String, Object> tables = new java.util.LinkedHashMap<>((Map<String, Object>) metadata.get("tables"));
            String first = tables.entrySet().stream().filter(entry -> "table".equals(((Map<?, ?>) entry.getValue())
                    .get("type"))).findFirst().orElseThrow().getKey();
            @SuppressWarnings("unchecked")
            Map<String, Object> table = new java.util.LinkedHashMap<>((Map<String, Object>) tables.get(first));
            edit.getValue().accept(output, table);
            tables.put(first, table);
            metadata.put("tables", tables);
            @SuppressWarnings("unchecked")
            List<Object> files = new java.util.ArrayList<>((List<Object>) metadata.get("files"));
            for (String listed : List.of("link.sql", "sub/x.sql")) {
                if (table.get("chunks") instanceof List<?> chunks && chunks.contains(listed)) {
                    files.add(Map.of("file", listed, "rows", 0L, "bytes", Files.size(outside),
                            "sha256", Sha256.ofFile(outside.toRealPath())));
                }
            }
            metadata.put("files", files);
            Files.writeString(metadataFile, Json.write(metadata) + "\n");
            Path manifestFile = Path.of(output + ".json");
            Map<String, Object> manifest = new java.util.LinkedHashMap<>(Json.parseObject(
                    Files.readString(manifestFile)));
            manifest.put("sha256", Sha256.ofFile(metadataFile));
            Files.writeString(manifestFile, Json.write(manifest) + "\n");

            TestServers.sql(target, "DROP DATABASE IF EXISTS shop");
            java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
            EngineException refused = assertThrows(EngineException.class, () -> new Restorer(HOST,
                    new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8)).restore(
                    RestoreSpec.builder().port(target.port()).user("root").input(output.toString()).build()),
                    edit.getKey());
            assertFalse(refused.getMessage().contains(secret), edit.getKey() + ": " + refused.getMessage());
            assertFalse(log.toString(java.nio.charset.StandardCharsets.UTF_8).contains(secret), edit.getKey());
            assertTrue(refused.getMessage().contains("not loaded") || refused.getMessage().contains("is damaged or is"
                    + " not a dump of this tool"), edit.getKey() + ": " + refused.getMessage());
            assertTrue(column(target, "SELECT schema_name FROM information_schema.schemata WHERE schema_name ="
                    + " 'shop'").isEmpty(), edit.getKey() + ": something was loaded");
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void link(Path link, Path target) {
        try {
            Files.createSymbolicLink(link, target);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMissingDatabaseFailsAndLeavesNoDirectory() {
        Path output = temp.resolve("missing");
        InvalidSpecException failure = assertThrows(InvalidSpecException.class, () -> new ParallelDumper(HOST,
                new Log(TestServers.quietLog()), Dumper.PROGRESS_INTERVAL, ParallelDumper.CHUNK_BYTES)
                .dump(DumpSpec.builder().port(source.port()).user("root").databases(List.of("nope"))
                        .method(DumpMethod.PARALLEL).output(output.toString()).build()));
        assertTrue(failure.getMessage().contains("'nope' does not exist"), failure.getMessage());
        assertFalse(Files.exists(output));
        assertFalse(Files.exists(temp.resolve("missing.partial")));
    }

    @Test
    void aNewDumpReplacesAnOlderDirectoryOnlyOnceComplete() throws Exception {
        Path output = temp.resolve("again");
        dumpParallel(output, Compression.GZIP, 2);
        Files.writeString(output.resolve("stray.txt"), "from the first dump's time");
        dumpParallel(output, Compression.GZIP, 2);
        assertFalse(Files.exists(output.resolve("stray.txt")));
        assertFalse(Files.exists(temp.resolve("again.replaced")));
        DumpCheck.checkDirectory(output);
    }

    @Test
    void aFileDumpRestoresThroughTheClientToolAndItsManifestIsChecked() throws Exception {
        Path output = temp.resolve("shop.sql.gz");
        new Dumper(HOST, TestServers.quietLog()).dump(DumpSpec.builder().port(source.port()).user("root")
                .databases(List.of("shop")).output(output.toString()).build());

        RestoreResult restored = restore(target, output);

        assertEquals(DumpResult.FILE, restored.format());
        // mariadb-dump writes a FLOAT with 6 digits, which does not load back to the same bits: only the tables
        // without one match byte for byte (the parallel dump writes every float exactly and matches them all)
        Map<String, String> expected = new java.util.TreeMap<>(TestServers.checksums(source, "shop"));
        Map<String, String> actual = new java.util.TreeMap<>(TestServers.checksums(target, "shop"));
        for (String withFloats : List.of("or.ders x", "numbers")) {
            assertEquals(expected.remove(withFloats).split("/")[1], actual.remove(withFloats).split("/")[1]);
        }
        assertEquals(expected, actual);

        byte[] bytes = Files.readAllBytes(output);
        bytes[bytes.length / 2] ^= 1;
        Files.write(output, bytes);
        EngineException failure = assertThrows(EngineException.class, () -> restore(target, output));
        assertTrue(failure.getMessage().contains("does not match its manifest"), failure.getMessage());
    }

    /**
     * A dump file is data: the client loading it must run no client command written in it ({@code \\!} runs a shell
     * command as the restoring user, {@code \\.} sends a file, {@code tee} writes one), and a real dump of
     * mariadb-dump (a routine, a trigger, bytes and text a client could take for commands) still loads exactly.
     */
    @Test
    void aFileRestoreRunsNoClientCommandWrittenInTheDumpAndStillLoadsRealDumps() throws Exception {
        TestServers.sql(source, "DROP DATABASE IF EXISTS cmds", "CREATE DATABASE cmds CHARACTER SET utf8mb4",
                "CREATE TABLE cmds.t (id INT PRIMARY KEY, b BLOB, c TEXT)",
                "INSERT INTO cmds.t VALUES (1, x'000d0a5c215c2e', 'a\\r\\nb \\\\! id; system id \\\\. /etc/passwd')",
                "CREATE PROCEDURE cmds.p() BEGIN SELECT 1; SELECT 2; END",
                "CREATE TRIGGER cmds.tr BEFORE INSERT ON cmds.t FOR EACH ROW SET NEW.c = CONCAT(NEW.c, ';')");
        Path output = temp.resolve("cmds.sql");
        new Dumper(HOST, TestServers.quietLog()).dump(DumpSpec.builder().port(source.port()).user("root")
                .databases(List.of("cmds")).compression(Compression.NONE).output(output.toString()).build());
        TestServers.sql(target, "DROP DATABASE IF EXISTS cmds");
        new Restorer(HOST, TestServers.quietLog()).restore(RestoreSpec.builder().port(target.port()).user("root")
                .input(output.toString()).build());
        assertEquals(TestServers.checksums(source, "cmds"), TestServers.checksums(target, "cmds"));
        assertEquals(List.of("p"), column(target, "SELECT routine_name FROM information_schema.routines"
                + " WHERE routine_schema = 'cmds'"));
        assertEquals(List.of("tr"), column(target, "SELECT trigger_name FROM information_schema.triggers"
                + " WHERE trigger_schema = 'cmds'"));

        String secret = "SECRET-line-the-source-command-would-send-3c9a";
        Path secretFile = temp.resolve("secret.sql");
        Files.writeString(secretFile, secret + ";\n");
        Path marker = temp.resolve("ran-as-the-restoring-user");
        String dump = Files.readString(output);
        Map<String, Boolean> commands = new java.util.LinkedHashMap<>(); // command -> the client names it as one
        commands.put("\\! id > " + marker, true);
        commands.put("SELECT 1; \\! touch " + marker, true);
        commands.put("\\. " + secretFile, true);
        commands.put("system id > " + marker, false);
        commands.put("tee " + marker, false);
        int n = 0;
        for (var command : commands.entrySet()) {
            Path edited = temp.resolve("cmds-edited-" + ++n + ".sql"); // no manifest: loaded unchecked, with a warning
            // first: mariadb-dump's own first line turns a new client's sandbox on, but whoever edits the file can
            // remove it as easily
            Files.writeString(edited, command.getKey() + "\n" + dump);
            EngineException refused = assertThrows(EngineException.class, () -> new Restorer(HOST,
                    TestServers.quietLog()).restore(RestoreSpec.builder().port(target.port()).user("root")
                    .input(edited.toString()).build()), command.getKey());
            assertFalse(Files.exists(marker), command.getKey() + " ran: " + refused.getMessage());
            assertFalse(refused.getMessage().contains(secret), refused.getMessage());
            if (command.getValue()) {
                assertTrue(refused.getMessage().contains("holds a client command"), refused.getMessage());
            }
        }
    }

    @Test
    void valuesAreEscapedByteForByte() {
        SqlText.ByteSink out = new SqlText.ByteSink(4);
        append(out, SqlText.Kind.QUOTED, "a'b\\c\"\n\r\0\u001a é");
        out.write((byte) ' ');
        byte[] binary = {7, 0, (byte) 0xff, 7};
        SqlText.append(out, SqlText.Kind.HEX, binary, 1, 2);
        out.write((byte) ' ');
        SqlText.append(out, SqlText.Kind.HEX, binary, 4, 0);
        out.write((byte) ' ');
        append(out, SqlText.Kind.NUMBER, "-1.5e-7");
        out.write((byte) ' ');
        SqlText.appendNull(out);
        out.write((byte) ' ');
        append(out, SqlText.Kind.QUOTED, "''");
        out.write((byte) ' ');
        append(out, SqlText.Kind.QUOTED, "plain");
        assertEquals("'a\\'b\\\\c\\\"\\n\\r\\0\\Z é' 0x00FF '' -1.5e-7 NULL '\\'\\'' 'plain'",
                new String(out.buffer(), 0, out.length(), StandardCharsets.UTF_8));
        assertEquals("a%2Eb%20c%60", DumpNames.encode("a.b c`"));
    }

    @Test
    void quotedValuesAreEscapedAtEveryLengthAndAlignment() {
        // bytes that need an escape, control bytes that do not, ASCII and UTF-8 lead and continuation bytes
        byte[] alphabet = {0, '\n', '\r', 0x1a, '\\', '\'', '"', '\t', 0x1f, 0x20, 'a', 'Z', 0x7f, (byte) 0x80,
                (byte) 0xa2, (byte) 0xc3, (byte) 0xe6, (byte) 0xff, 0x21, 0x26, 0x28, 0x5b, 0x5d};
        java.util.Random random = new java.util.Random(3);
        SqlText.ByteSink out = new SqlText.ByteSink(16);
        for (int round = 0; round < 20_000; round++) {
            byte[] source = new byte[random.nextInt(48)];
            // mostly plain text with a special byte here and there, as values are
            for (int i = 0; i < source.length; i++) {
                source[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)]
                        : (byte) ('a' + random.nextInt(26));
            }
            int offset = source.length == 0 ? 0 : random.nextInt(source.length);
            int length = random.nextInt(source.length - offset + 1);
            out.clear();
            SqlText.append(out, SqlText.Kind.QUOTED, source, offset, length);
            byte[] written = java.util.Arrays.copyOf(out.buffer(), out.length());
            assertEquals(java.util.HexFormat.of().formatHex(escapedOneByOne(source, offset, length)),
                    java.util.HexFormat.of().formatHex(written));
        }
    }

    /** The plain definition: each byte on its own, with the escapes mysqldump writes. */
    private static byte[] escapedOneByOne(byte[] source, int offset, int length) {
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        expected.write('\'');
        for (int i = offset; i < offset + length; i++) {
            String escape = switch (source[i]) {
                case 0 -> "\\0";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case 0x1a -> "\\Z";
                case '\\' -> "\\\\";
                case '\'' -> "\\'";
                case '"' -> "\\\"";
                default -> null;
            };
            if (escape == null) {
                expected.write(source[i]);
            } else {
                expected.writeBytes(escape.getBytes(StandardCharsets.US_ASCII));
            }
        }
        expected.write('\'');
        return expected.toByteArray();
    }

    @Test
    void binaryProtocolValuesAreWrittenAsSqlText() {
        SqlText.ByteSink out = new SqlText.ByteSink(4);
        SqlText.appendInteger(out, Long.MIN_VALUE);
        out.write((byte) ' ');
        SqlText.appendInteger(out, -907);
        out.write((byte) ' ');
        SqlText.appendInteger(out, 0);
        out.write((byte) ' ');
        SqlText.appendDouble(out, 0.1);
        out.write((byte) ' ');
        SqlText.appendDouble(out, -4.9e-324);
        out.write((byte) ' ');
        // year 2024 (0x07e8), Feb 29, 23:59:58, 5 µs; each field sits inside a larger buffer, as in a row packet
        byte[] dateTime = {9, (byte) 0xe8, 0x07, 2, 29, 23, 59, 58, 5, 0, 0, 0, 9};
        SqlText.appendDateTime(out, false, dateTime, 1, 11);
        out.write((byte) ' ');
        SqlText.appendDateTime(out, false, dateTime, 1, 4);
        out.write((byte) ' ');
        SqlText.appendDateTime(out, true, dateTime, 1, 4);
        out.write((byte) ' ');
        SqlText.appendDateTime(out, false, dateTime, 1, 0);
        out.write((byte) ' ');
        // negative, 34 days 22 h 59 min 59 s and 999999 µs: -838:59:59.999999
        byte[] time = {9, 1, 34, 0, 0, 0, 22, 59, 59, 0x3f, 0x42, 0x0f, 0, 9};
        SqlText.appendTime(out, time, 1, 12);
        out.write((byte) ' ');
        byte[] shortTime = {0, 0, 0, 0, 0, 5, 4, 3};
        SqlText.appendTime(out, shortTime, 0, 8);
        out.write((byte) ' ');
        SqlText.appendTime(out, shortTime, 0, 0);
        assertEquals("-9223372036854775808 -907 0 0.1 -4.9E-324 '2024-02-29 23:59:58.000005' '2024-02-29 00:00:00'"
                        + " '2024-02-29' '0000-00-00 00:00:00' '-838:59:59.999999' '05:04:03' '00:00:00'",
                new String(out.buffer(), 0, out.length(), StandardCharsets.US_ASCII));
        assertThrows(IllegalStateException.class, () -> SqlText.appendDouble(out, Double.NaN));
        assertThrows(IllegalStateException.class, () -> SqlText.appendDateTime(out, false, dateTime, 1, 5));
    }

    /** The value sits inside a larger buffer, as it does in a row packet. */
    private static void append(SqlText.ByteSink out, SqlText.Kind kind, String value) {
        byte[] bytes = ("<" + value + ">").getBytes(StandardCharsets.UTF_8);
        SqlText.append(out, kind, bytes, 1, bytes.length - 2);
    }

    @Test
    void anInterruptedParallelDumpStopsItsConnectionsAndLeavesNothing() throws Exception {
        Path output = temp.resolve("interrupted");
        Path partial = temp.resolve("interrupted.partial");
        DumpSpec spec = DumpSpec.builder().port(source.port()).user("root").databases(List.of("bulk"))
                .method(DumpMethod.PARALLEL).threads(2).compression(Compression.GZIP).output(output.toString())
                .build();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread dumping = new Thread(() -> {
            try {
                new ParallelDumper(HOST, new Log(TestServers.quietLog()), Dumper.PROGRESS_INTERVAL, 256 * 1024)
                        .dump(spec);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        dumping.start();
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        while (!hasChunkFile(partial) && dumping.isAlive() && !deadline.hasExpired()) {
            Thread.onSpinWait();
        }
        assertTrue(hasChunkFile(partial), "the dump did not start writing chunks");
        dumping.interrupt();
        dumping.join(30_000);

        assertFalse(dumping.isAlive(), "the dump did not end");
        assertTrue(failure.get() instanceof InterruptedException, String.valueOf(failure.get()));
        assertFalse(Files.exists(partial));
        assertFalse(Files.exists(output));
        // the server ends a query whose connection is gone at its next write
        Deadline gone = Deadline.after(Duration.ofSeconds(10));
        while (workerQueries() > 0 && !gone.hasExpired()) {
            Thread.sleep(10);
        }
        assertEquals(0, workerQueries(), "a worker's query still runs");
    }

    private static int workerQueries() throws Exception {
        try (var connection = TestServers.connect(source, "root", null); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE"
                     + " 'SELECT %bulk%' AND ID <> CONNECTION_ID()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static boolean hasChunkFile(Path directory) {
        try (var files = Files.list(directory)) {
            return files.anyMatch(file -> file.getFileName().toString().startsWith("bulk.rows_."));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void withBinaryLoggingOnTheMetadataNamesTheSnapshotsBinlogPosition() throws Exception {
        Path defaults = temp.resolve("binlog.cnf");
        Files.writeString(defaults, "[mysqld]\nlog-bin=binlog\nserver-id=7\n");
        ServerHandle logged = new ServerLauncher(HOST, TestServers.quietLog()).start(ServerSpec.builder(
                temp.resolve("logged").toString()).initialize(true).defaultsFile(defaults.toString()).build());
        try {
            TestServers.sql(logged, "CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY)",
                    "INSERT INTO app.t VALUES (1), (2)");
            String file;
            long position;
            try (var connection = TestServers.connect(logged, "root", null);
                 var statement = connection.createStatement();
                 var status = statement.executeQuery("SHOW MASTER STATUS")) {
                status.next();
                file = status.getString(1);
                position = status.getLong(2);
            }
            Path output = temp.resolve("logged-dump");
            DumpResult dump = new ParallelDumper(HOST, new Log(TestServers.quietLog()), Dumper.PROGRESS_INTERVAL,
                    ParallelDumper.CHUNK_BYTES).dump(DumpSpec.builder().port(logged.port()).user("root")
                    .databases(List.of("app")).method(DumpMethod.PARALLEL).output(output.toString()).build());

            Map<?, ?> binlog = (Map<?, ?>) Json.parseObject(Files.readString(output.resolve("metadata.json")))
                    .get("binlog");
            assertEquals(file, binlog.get("file"));
            assertEquals(position, ((Number) binlog.get("position")).longValue());
            assertEquals(BinlogCoordinates.at(file, position, TestServers.query(logged, "SELECT @@gtid_binlog_pos")),
                    Manifest.read(Path.of(dump.manifest())).binlog(), "the manifest names the same coordinates");
        } finally {
            TestServers.stop(logged);
        }
        DumpResult unlogged = dumpParallel(temp.resolve("unlogged"), Compression.NONE, 1);
        Map<String, Object> withoutBinlog = Json.parseObject(Files.readString(Path.of(unlogged.file(),
                "metadata.json")));
        assertEquals("off", withoutBinlog.get("binlog"));
        assertEquals(BinlogCoordinates.OFF, Manifest.read(Path.of(unlogged.manifest())).binlog());
    }

    @Test
    void routinesTriggersAndEventsComeBackAfterTheRowsUnderTheirOwnSqlMode() throws Exception {
        TestServers.sql(source,
                "CREATE DATABASE objs",
                "CREATE TABLE objs.orders (id INT PRIMARY KEY, total DECIMAL(10,2))",
                "CREATE TABLE objs.audit (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(100))",
                "CREATE TRIGGER objs.orders_ai AFTER INSERT ON objs.orders FOR EACH ROW"
                        + " INSERT INTO objs.audit (note) VALUES (CONCAT('new order ', NEW.id))",
                "CREATE TRIGGER objs.orders_ai2 AFTER INSERT ON objs.orders FOR EACH ROW PRECEDES orders_ai"
                        + " INSERT INTO objs.audit (note) VALUES ('first of two')",
                "INSERT INTO objs.orders VALUES (1, 10.50), (2, 20.00)",
                // a body of several lines and statements, and a string with JDBC escape syntax and a line that
                // ends with ';;', the delimiter mysqldump would put around it
                "CREATE PROCEDURE objs.add_order(IN i INT, IN t DECIMAL(10,2))\nBEGIN\n"
                        + "  INSERT INTO objs.orders VALUES (i, t);\n  SELECT 'Zürich {fn now()} ;;\n$' AS said;\nEND",
                "CREATE FUNCTION objs.doubled(x INT) RETURNS INT DETERMINISTIC RETURN x * 2",
                "SET sql_mode = 'ANSI_QUOTES'",
                "CREATE PROCEDURE objs.quoted_column() SELECT \"id\" FROM objs.orders ORDER BY 1 LIMIT 1",
                "SET sql_mode = DEFAULT",
                "CREATE EVENT objs.nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE"
                        + " DO DELETE FROM objs.audit WHERE id < 0");
        dumpAndRestore("objs");

        // created after the rows: the restore fired no trigger, so the audit rows are the source's four
        assertEquals(TestServers.checksums(source, "objs"), TestServers.checksums(target, "objs"));
        String objects = "SELECT CONCAT_WS('|', ROUTINE_TYPE, ROUTINE_NAME, SQL_MODE, ROUTINE_DEFINITION) FROM"
                + " information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'objs' UNION ALL SELECT CONCAT_WS('|',"
                + " TRIGGER_NAME, ACTION_ORDER, ACTION_STATEMENT) FROM information_schema.TRIGGERS WHERE"
                + " TRIGGER_SCHEMA = 'objs' UNION ALL SELECT CONCAT_WS('|', EVENT_NAME, STATUS, EVENT_DEFINITION,"
                + " INTERVAL_VALUE, INTERVAL_FIELD, STARTS) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'objs'"
                + " ORDER BY 1";
        List<String> expected = column(source, objects);
        assertEquals(6, expected.size(), "routines, triggers and events of the source: " + expected);
        assertEquals(expected, column(target, objects));
        try (var connection = TestServers.connect(target, "root", null);
             var statement = connection.createStatement()) {
            statement.execute("CALL objs.add_order(9, 1.00)");
            assertEquals(List.of("first of two", "new order 9"), column(target, "SELECT note FROM objs.audit"
                    + " WHERE id > 4 ORDER BY id"));
            assertEquals(List.of("42"), column(target, "SELECT objs.doubled(21)"));
            // read under ANSI_QUOTES, as it was created: "id" is the column, not a string
            assertEquals(List.of("1"), column(target, "CALL objs.quoted_column()"));
        }
    }

    @Test
    void aVersionOneDumpIsReadAndAnUnknownVersionIsRefused() throws Exception {
        TestServers.sql(source, "CREATE DATABASE tiny", "CREATE TABLE tiny.t (id INT PRIMARY KEY)",
                "INSERT INTO tiny.t VALUES (1), (2)");
        assertEquals(2, dumpAndRestore("tiny").rows());
        Path output = temp.resolve("tiny-dir");

        claimFormat(output, "mysql-lifecycle-directory/1"); // before the stored objects' file: read as it is
        RestoreSpec restore = RestoreSpec.builder().port(target.port()).user("root").input(output.toString()).build();
        assertEquals(2, new Restorer(HOST, TestServers.quietLog()).restore(restore).rows());

        claimFormat(output, "mysql-lifecycle-directory/4");
        InvalidSpecException refused = assertThrows(InvalidSpecException.class,
                () -> new Restorer(HOST, TestServers.quietLog()).restore(restore));
        assertTrue(refused.getMessage().contains("which this version does not read"), refused.getMessage());
    }

    /** Rewrites the dump's metadata to another format, with a manifest that matches it. */
    private static void claimFormat(Path output, String format) throws Exception {
        Path metadataFile = output.resolve("metadata.json");
        Map<String, Object> metadata = new java.util.LinkedHashMap<>(Json.parseObject(Files.readString(metadataFile)));
        metadata.put("format", format);
        Files.writeString(metadataFile, Json.write(metadata) + "\n");
        Path manifestFile = Path.of(output + ".json");
        Map<String, Object> manifest = new java.util.LinkedHashMap<>(Json.parseObject(Files.readString(manifestFile)));
        manifest.put("sha256", Sha256.ofFile(metadataFile));
        Files.writeString(manifestFile, Json.write(manifest) + "\n");
    }

    /** A parallel dump of {@code database} from the source, loaded into the target. */
    private static RestoreResult dumpAndRestore(String database) throws Exception {
        Path output = temp.resolve(database + "-dir");
        new ParallelDumper(HOST, new Log(TestServers.quietLog()), Dumper.PROGRESS_INTERVAL, 64 * 1024)
                .dump(DumpSpec.builder().port(source.port()).user("root").databases(List.of(database))
                        .method(DumpMethod.PARALLEL).threads(2).output(output.toString()).build());
        return new Restorer(HOST, TestServers.quietLog()).restore(RestoreSpec.builder().port(target.port())
                .user("root").input(output.toString()).threads(2).build());
    }

    private static List<String> column(ServerHandle server, String query) throws Exception {
        List<String> values = new java.util.ArrayList<>();
        try (var connection = TestServers.connect(server, "root", null); var statement = connection.createStatement();
             var rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    @Test
    void aValueLargerThanOnePacketRoundTrips() throws Exception {
        // a row of more than 16 MiB arrives in several packets, and its INSERT is larger than one packet too
        for (ServerHandle server : List.of(source, target)) {
            TestServers.sql(server, "SET GLOBAL max_allowed_packet = 64 * 1024 * 1024");
        }
        TestServers.sql(source, "CREATE DATABASE huge",
                "CREATE TABLE huge.t (id INT PRIMARY KEY, b LONGBLOB, s LONGTEXT CHARACTER SET utf8mb4)",
                "INSERT INTO huge.t VALUES (1, REPEAT(x'00275c41', 5 * 1024 * 1024), REPEAT('é', 9 * 1024 * 1024)),"
                        + " (2, x'01', 'small')");
        RestoreResult restored = dumpAndRestore("huge");

        assertEquals(2, restored.rows());
        assertEquals(TestServers.checksums(source, "huge"), TestServers.checksums(target, "huge"));
        assertEquals(List.of("20971520/18874368"), column(target, "SELECT CONCAT(LENGTH(b), '/', LENGTH(s))"
                + " FROM huge.t WHERE id = 1"));
    }

    @Test
    void dataConnectionsReadTheirSocketThroughTheLargeReads() throws Exception {
        DataConnections server = DataConnections.to(HOST, "127.0.0.1", source.port(), null, "root", null, null,
                Tls.DISABLED, "the test");
        try (var connection = server.open()) {
            var session = (com.mysql.cj.NativeSession) connection.unwrap(com.mysql.cj.jdbc.JdbcConnection.class)
                    .getSession();
            var socket = session.getProtocol().getSocketConnection().getMysqlSocket();
            assertEquals(LargeReadSocketFactory.LargeReads.class, socket.getInputStream().getClass());
            try (var statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT COUNT(*), SUM(LENGTH(note)) FROM bulk.rows_")) {
                rows.next();
                assertEquals(400000, rows.getLong(1));
                assertEquals(400000L * 150, rows.getLong(2));
            }
        }
    }

    @Test
    void keepRemovesAnOlderDirectoryDumpOfTheSameDatabasesWhole() throws Exception {
        Path directory = java.nio.file.Files.createDirectories(temp.resolve("kept"));
        DumpSpec.Builder spec = DumpSpec.builder().port(source.port()).user("root").databases(List.of("shop"))
                .method(DumpMethod.PARALLEL).keep(1);
        new Dumper(HOST, TestServers.quietLog()).dump(spec.output(directory.resolve("first").toString()).build());
        DumpResult second = new Dumper(HOST, TestServers.quietLog()).dump(spec.output(directory.resolve("second")
                .toString()).build());

        assertEquals(List.of("first"), second.removed());
        try (var left = Files.list(directory)) {
            assertEquals(List.of("second", "second.json"), left.map(path -> path.getFileName().toString()).sorted()
                    .toList());
        }
    }

    @Test
    void aRestorePastItsTimeoutStopsItsConnectionsAndSaysSo() throws Exception {
        Path output = temp.resolve("bulk-dir");
        new ParallelDumper(HOST, new Log(TestServers.quietLog()), Dumper.PROGRESS_INTERVAL, 4L * 1024 * 1024)
                .dump(DumpSpec.builder().port(source.port()).user("root").databases(List.of("bulk"))
                        .method(DumpMethod.PARALLEL).threads(2).compression(Compression.NONE)
                        .output(output.toString()).build());
        TestServers.sql(target, "DROP DATABASE IF EXISTS bulk");

        Deadline took = Deadline.after(Duration.ofMinutes(1));
        OperationTimeoutException late = assertThrows(OperationTimeoutException.class, () -> new Restorer(HOST,
                TestServers.quietLog()).restore(RestoreSpec.builder().port(target.port()).user("root")
                .input(output.toString()).threads(2).timeout(Duration.ofMillis(300)).build()));

        assertTrue(late.getMessage().contains("did not finish within its timeout"), late.getMessage());
        assertTrue(took.elapsed().toMillis() < 10_000, "the restore went on for " + took.elapsed());
        try (var connection = TestServers.connect(target, "root", null); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM bulk.rows_")) {
            rows.next();
            assertTrue(rows.getLong(1) < 400_000, "everything was loaded: the timeout did not stop the restore");
        }
    }

    /**
     * The reader of the public JDBC API (what runs when a Connector/J keeps its row packets elsewhere than the packet
     * reader looks) writes every chunk of the awkward data byte for byte as the packet reader does.
     */
    @Test
    void rowsReadThroughThePublicJdbcApiGiveTheSameDumpByteForByte() throws Exception {
        Path packetRead = temp.resolve("read-from-packets");
        Path jdbcRead = temp.resolve("read-through-jdbc");
        dumpParallel(packetRead, Compression.NONE, 2);
        System.setProperty(StreamedRows.READER_PROPERTY, "jdbc");
        try {
            dumpParallel(jdbcRead, Compression.NONE, 2);
        } finally {
            System.clearProperty(StreamedRows.READER_PROPERTY);
        }
        List<Path> files;
        try (java.util.stream.Stream<Path> listing = Files.list(packetRead)) {
            files = listing.filter(file -> !file.getFileName().toString().equals(DumpNames.METADATA)).sorted()
                    .toList();
        }
        assertTrue(files.stream().filter(file -> file.getFileName().toString().endsWith(".sql")).count() > 10,
                "found almost no chunks: " + files);
        for (Path file : files) {
            Path other = jdbcRead.resolve(file.getFileName());
            assertTrue(Files.exists(other), "the JDBC reader wrote no " + other.getFileName());
            assertEquals(-1L, Files.mismatch(file, other), file.getFileName() + " differs between the readers");
        }
    }
}
