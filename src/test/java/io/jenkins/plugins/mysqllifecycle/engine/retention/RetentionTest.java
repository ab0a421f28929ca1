package io.jenkins.plugins.mysqllifecycle.engine.retention;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.dump.Dumper;
import io.jenkins.plugins.mysqllifecycle.engine.format.DumpNames;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

// MariaDB only: retention reads manifests and files, never the server.
/**
 * {@code keep: N} against a real server's dumps and real files: what is removed, and everything that must never be.
 * Each test fills its own backup directory with older dumps (real ones whose manifests get a chosen
 * {@code startedAt}, and directory dumps built by hand in the directory format), then writes a new dump with keep.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionTest {
    private ServerHandle server;
    @TempDir
    Path temp;
    private Path backups;
    private ByteArrayOutputStream log;

    @BeforeAll
    void startServer(@TempDir Path serverDir) throws Exception {
        server = TestServers.start(serverDir, "source");
        TestServers.sql(server,
                "CREATE DATABASE shop CHARACTER SET utf8mb4",
                "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(40))",
                "INSERT INTO shop.items SELECT seq, CONCAT('item ', seq) FROM shop.seq_1_to_2000",
                "CREATE DATABASE other CHARACTER SET utf8mb4",
                "CREATE TABLE other.t (id INT PRIMARY KEY)",
                "INSERT INTO other.t VALUES (1), (2)");
    }

    @AfterAll
    void stopServer() throws Exception {
        TestServers.stop(server);
    }

    @BeforeEach
    void freshDirectory() throws IOException {
        backups = Files.createDirectories(temp.resolve("backups"));
        log = new ByteArrayOutputStream();
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    /** A real dump into the backup directory; databases "all" dumps all of them. */
    private DumpResult dump(String name, Integer keep, String... databases) throws Exception {
        DumpSpec.Builder spec = DumpSpec.builder().port(server.port()).user("root")
                .output(backups.resolve(name).toString()).compression(Compression.GZIP).keep(keep);
        if (databases.length == 1 && databases[0].equals("all")) {
            spec.allDatabases(true);
        } else {
            spec.databases(List.of(databases));
        }
        return new Dumper(new LocalHost(), new PrintStream(log, true, StandardCharsets.UTF_8)).dump(spec.build());
    }

    /** An older dump: a real one whose manifest says it started at {@code startedAt}. */
    private DumpResult olderDump(String name, String startedAt, String... databases) throws Exception {
        DumpResult result = dump(name, null, databases);
        rewriteManifest(Path.of(result.manifest()), "startedAt", startedAt);
        return result;
    }

    private static void rewriteManifest(Path manifest, String key, Object value) throws IOException {
        Map<String, Object> json = Json.parseObject(Files.readString(manifest));
        json.put(key, value);
        Files.writeString(manifest, Json.write(json) + "\n");
    }

    private boolean dumpAndManifestExist(String name) {
        return Files.exists(backups.resolve(name)) && Files.exists(backups.resolve(name + ".json"));
    }

    private boolean dumpAndManifestGone(String name) {
        return !Files.exists(backups.resolve(name)) && !Files.exists(backups.resolve(name + ".json"));
    }

    @Test
    void keepsTheNewestDumpsOfTheSameDatabasesByStartedAtNotByNameOrFileTime() throws Exception {
        // names sort differently from startedAt, and file times run the other way round
        olderDump("c.sql.gz", "2026-01-01T01:00:00Z", "shop");
        olderDump("b.sql.gz", "2026-01-01T02:00:00Z", "shop");
        olderDump("a.sql.gz", "2026-01-01T03:00:00Z", "shop");
        olderDump("d.sql.gz", "2026-01-01T04:00:00Z", "shop");
        List<String> byFileTime = List.of("d.sql.gz", "a.sql.gz", "b.sql.gz", "c.sql.gz");
        for (int i = 0; i < byFileTime.size(); i++) {
            Files.setLastModifiedTime(backups.resolve(byFileTime.get(i)), FileTime.from(Instant.parse(
                    "2026-02-01T00:00:00Z").plusSeconds(i)));
        }

        DumpResult result = dump("e.sql.gz", 3, "shop");

        assertEquals(List.of("b.sql.gz", "c.sql.gz"), result.removed());
        for (String kept : List.of("e.sql.gz", "d.sql.gz", "a.sql.gz")) {
            assertTrue(dumpAndManifestExist(kept), kept + " was removed\n" + log());
        }
        for (String removed : List.of("b.sql.gz", "c.sql.gz")) {
            assertTrue(dumpAndManifestGone(removed), removed + " or its manifest is still there");
            assertTrue(log().contains("removed " + removed + " ("), log());
        }
        assertEquals(List.of("b.sql.gz", "c.sql.gz"), result.toMap().get("removed"));
    }

    @Test
    void withoutKeepNothingIsRemoved() throws Exception {
        olderDump("old.sql.gz", "2026-01-01T01:00:00Z", "shop");
        DumpResult result = dump("new.sql.gz", null, "shop");
        assertEquals(List.of(), result.removed());
        assertTrue(dumpAndManifestExist("old.sql.gz"));
        assertFalse(log().contains("keep"), log());
    }

    @Test
    void neverRemovesDumpsOfOtherDatabasesAndComparesDatabasesAsSets() throws Exception {
        olderDump("other.sql.gz", "2026-01-01T01:00:00Z", "other");
        olderDump("shop.sql.gz", "2026-01-01T01:00:00Z", "shop");
        olderDump("both.sql.gz", "2026-01-01T01:00:00Z", "shop", "other");
        olderDump("all.sql.gz", "2026-01-01T01:00:00Z", "all");

        DumpResult both = dump("both-again.sql.gz", 1, "other", "shop");
        assertEquals(List.of("both.sql.gz"), both.removed());
        assertTrue(dumpAndManifestGone("both.sql.gz"));

        DumpResult all = dump("all-again.sql.gz", 1, "all");
        assertEquals(List.of("all.sql.gz"), all.removed(), "\"all\" matches only \"all\"");
        for (String untouched : List.of("other.sql.gz", "shop.sql.gz", "both-again.sql.gz", "all-again.sql.gz")) {
            assertTrue(dumpAndManifestExist(untouched), untouched + " was removed\n" + log());
        }
    }

    @Test
    void neverTouchesADumpWithoutManifestNorOneChangedAfterItsManifestWasWritten() throws Exception {
        olderDump("no-manifest.sql.gz", "2026-01-01T01:00:00Z", "shop");
        Files.delete(backups.resolve("no-manifest.sql.gz.json"));
        olderDump("flipped.sql.gz", "2026-01-01T02:00:00Z", "shop");
        byte[] flipped = Files.readAllBytes(backups.resolve("flipped.sql.gz"));
        flipped[flipped.length / 2] ^= 0x01; // same size: only the SHA-256 can tell
        Files.write(backups.resolve("flipped.sql.gz"), flipped);
        olderDump("grown.sql.gz", "2026-01-01T03:00:00Z", "shop");
        Files.write(backups.resolve("grown.sql.gz"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        olderDump("broken-manifest.sql.gz", "2026-01-01T04:00:00Z", "shop");
        Files.writeString(backups.resolve("broken-manifest.sql.gz.json"), "{\"file\": \"broken-manifest.sql.gz\",");
        Map<String, String> before = tree(backups);

        DumpResult result = dump("new.sql.gz", 1, "shop");

        assertEquals(List.of(), result.removed());
        Map<String, String> after = tree(backups);
        after.keySet().removeAll(List.of("new.sql.gz", "new.sql.gz.json"));
        assertEquals(before, after, "an unverifiable dump or manifest was changed\n" + log());
        String log = log();
        assertTrue(log.contains("WARNING: keep 1 (shop): left " + backups.resolve("flipped.sql.gz")
                + " alone: its SHA-256"), log);
        assertTrue(log.contains("left " + backups.resolve("grown.sql.gz") + " alone: it has "), log);
        assertTrue(log.contains("left " + backups.resolve("broken-manifest.sql.gz") + " alone: its manifest"
                + " broken-manifest.sql.gz.json is not valid JSON"), log);
        assertTrue(log.lines().filter(line -> line.contains("keep 1")).noneMatch(line -> line.contains(
                "no-manifest.sql.gz")), "a file without a manifest is none of retention's business\n" + log);
    }

    @Test
    void aDamagedDumpIsNotCountedSoItNeverCostsAGoodOneItsPlace() throws Exception {
        olderDump("good.sql.gz", "2026-01-01T01:00:00Z", "shop");
        olderDump("truncated.sql.gz", "2026-01-01T02:00:00Z", "shop");
        byte[] content = Files.readAllBytes(backups.resolve("truncated.sql.gz"));
        Files.write(backups.resolve("truncated.sql.gz"), java.util.Arrays.copyOf(content, content.length / 2));

        DumpResult result = dump("new.sql.gz", 2, "shop");

        assertEquals(List.of(), result.removed());
        assertTrue(dumpAndManifestExist("good.sql.gz"), "the only other intact dump was removed\n" + log());
        assertTrue(dumpAndManifestExist("truncated.sql.gz"));
    }

    @Test
    void aManifestLeftWithoutItsDumpIsWarnedAboutNeverCountedAndKept() throws Exception {
        olderDump("good.sql.gz", "2026-01-01T01:00:00Z", "shop");
        olderDump("interrupted.sql.gz", "2026-01-01T02:00:00Z", "shop");
        Files.delete(backups.resolve("interrupted.sql.gz")); // what a removal cut off between its two steps leaves

        DumpResult result = dump("new.sql.gz", 2, "shop");

        assertEquals(List.of(), result.removed());
        assertTrue(dumpAndManifestExist("good.sql.gz"), "the orphan manifest was counted instead\n" + log());
        assertTrue(Files.exists(backups.resolve("interrupted.sql.gz.json")));
        assertTrue(log().contains("left " + backups.resolve("interrupted.sql.gz") + " alone: it is missing"), log());
    }

    @Test
    void symbolicLinksAndManifestsNamingOtherFilesAreLeftAlone() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        DumpResult real = olderDump("real.sql.gz", "2026-01-01T01:00:00Z", "shop");
        Files.move(Path.of(real.file()), outside.resolve("real.sql.gz"));
        Files.move(Path.of(real.manifest()), outside.resolve("real.sql.gz.json"));
        byte[] outsideDump = Files.readAllBytes(outside.resolve("real.sql.gz"));
        // a dump that is a link out of the directory, with a regular manifest naming it
        Files.createSymbolicLink(backups.resolve("linked.sql.gz"), outside.resolve("real.sql.gz"));
        Files.copy(outside.resolve("real.sql.gz.json"), backups.resolve("linked.sql.gz.json"));
        rewriteManifest(backups.resolve("linked.sql.gz.json"), "file", "linked.sql.gz");
        // a regular dump whose manifest is a link
        olderDump("manifest-linked.sql.gz", "2026-01-01T02:00:00Z", "shop");
        Files.move(backups.resolve("manifest-linked.sql.gz.json"), outside.resolve("manifest-linked.sql.gz.json"));
        Files.createSymbolicLink(backups.resolve("manifest-linked.sql.gz.json"),
                outside.resolve("manifest-linked.sql.gz.json"));
        // a manifest that names a file outside the directory
        olderDump("escape.sql.gz", "2026-01-01T03:00:00Z", "shop");
        rewriteManifest(backups.resolve("escape.sql.gz.json"), "file", "../outside/real.sql.gz");
        Map<String, String> before = tree(backups);
        Map<String, String> outsideBefore = tree(outside);

        DumpResult result = dump("new.sql.gz", 1, "shop");

        assertEquals(List.of(), result.removed());
        Map<String, String> after = tree(backups);
        after.keySet().removeAll(List.of("new.sql.gz", "new.sql.gz.json"));
        assertEquals(before, after, log());
        assertEquals(outsideBefore, tree(outside));
        assertArrayEquals(outsideDump, Files.readAllBytes(outside.resolve("real.sql.gz")));
        String log = log();
        assertTrue(log.contains("left " + backups.resolve("linked.sql.gz") + " alone: it is a symbolic link"), log);
        assertTrue(log.contains("left " + backups.resolve("manifest-linked.sql.gz") + " alone: its manifest"
                + " manifest-linked.sql.gz.json is a symbolic link"), log);
        assertTrue(log.contains("left " + backups.resolve("escape.sql.gz") + " alone: its manifest escape.sql.gz.json"
                + " does not name it"), log);
    }

    @Test
    void theDumpJustWrittenIsNeverRemovedEvenWithKeepOne() throws Exception {
        // an older dump whose manifest claims a later start than the new one (a clock that ran ahead)
        olderDump("ahead.sql.gz", "2999-01-01T00:00:00Z", "shop");
        DumpResult result = dump("now.sql.gz", 1, "shop");
        assertTrue(dumpAndManifestExist("now.sql.gz"), log());
        assertEquals(List.of("ahead.sql.gz"), result.removed());

        DumpResult again = dump("now.sql.gz", 1, "shop"); // the same name replaced
        assertEquals(List.of(), again.removed());
        assertTrue(dumpAndManifestExist("now.sql.gz"), log());
        assertEquals(sha256(Files.readAllBytes(backups.resolve("now.sql.gz"))), again.sha256());
        assertTrue(log().contains("keep 1 (shop): in " + backups + " 1 dump is kept (now.sql.gz), 0 removed"), log());
    }

    @Test
    void anIntactDirectoryDumpIsRemovedCompletely() throws Exception {
        directoryDump("shop-dir", "2020-01-01T00:00:00Z", List.of("shop"), Map.of("schema.sql", "CREATE ...;\n",
                "shop/items.sql", "INSERT ...;\n", "shop/log.sql", ""));
        olderDump("shop-old.sql.gz", "2021-01-01T00:00:00Z", "shop");

        DumpResult result = dump("new.sql.gz", 2, "shop");

        assertEquals(List.of("shop-dir"), result.removed());
        assertFalse(Files.exists(backups.resolve("shop-dir"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(backups.resolve("shop-dir.json")));
        assertTrue(dumpAndManifestExist("shop-old.sql.gz"));
        assertTrue(log().contains("removed the directory dump shop-dir/ (3 files, "), log());
    }

    @Test
    void aNewDirectoryDumpRemovesOlderFileDumpsOfTheSameDatabases() throws Exception {
        olderDump("shop-old.sql.gz", "2021-01-01T00:00:00Z", "shop");
        olderDump("other-old.sql.gz", "2021-01-01T00:00:00Z", "other");
        directoryDump("shop-new", Instant.now().toString(), List.of("shop"), Map.of("shop/items.sql", "x"));

        List<String> removed = new Retention(new Log(new PrintStream(log, true, StandardCharsets.UTF_8)))
                .prune(backups.resolve("shop-new.json"), 1);

        assertEquals(List.of("shop-old.sql.gz"), removed);
        assertTrue(dumpAndManifestGone("shop-old.sql.gz"));
        assertTrue(dumpAndManifestExist("other-old.sql.gz"));
        assertTrue(Files.exists(backups.resolve("shop-new/shop/items.sql")));
    }

    @Test
    void aDirectoryDumpWithAChangedMissingOrUnlistedFileOrALinkIsLeftAloneWhole() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("precious.txt"), "not a dump");
        Map<String, String> files = Map.of("shop/items.sql", "INSERT INTO items VALUES (1);\n", "schema.sql",
                "CREATE TABLE items (id INT);\n");
        String old = "2020-01-01T00:00:00Z";
        Path changed = directoryDump("changed", old, List.of("shop"), files);
        Files.writeString(changed.resolve("shop/items.sql"), "INSERT INTO items VALUES (2);\n"); // same size
        Path missing = directoryDump("missing", old, List.of("shop"), files);
        Files.delete(missing.resolve("schema.sql"));
        Path unlisted = directoryDump("unlisted", old, List.of("shop"), files);
        Files.writeString(unlisted.resolve("shop/notes.txt"), "a DBA's notes");
        Path linked = directoryDump("linked", old, List.of("shop"), files);
        Files.createSymbolicLink(linked.resolve("precious.txt"), outside.resolve("precious.txt"));
        Path metadata = directoryDump("metadata", old, List.of("shop"), files);
        Files.writeString(metadata.resolve(DumpNames.METADATA), Files.readString(metadata.resolve(DumpNames.METADATA))
                .replace("schema.sql", "schema.sq1"));
        Path linkedDirectory = Files.createSymbolicLink(backups.resolve("whole-link"), changed);
        Files.copy(backups.resolve("changed.json"), backups.resolve("whole-link.json"));
        rewriteManifest(backups.resolve("whole-link.json"), "file", "whole-link");
        Map<String, String> before = tree(backups);

        DumpResult result = dump("new.sql.gz", 1, "shop");

        assertEquals(List.of(), result.removed());
        Map<String, String> after = tree(backups);
        after.keySet().removeAll(List.of("new.sql.gz", "new.sql.gz.json"));
        assertEquals(before, after, log());
        assertEquals("not a dump", Files.readString(outside.resolve("precious.txt")));
        String log = log();
        assertTrue(log.contains("left " + changed + " alone: the SHA-256 of shop/items.sql differs"), log);
        assertTrue(log.contains("left " + missing + " alone: schema.sql, which its metadata.json lists, is missing"),
                log);
        assertTrue(log.contains("left " + unlisted + " alone: it holds shop/notes.txt, which its metadata.json does"
                + " not list"), log);
        assertTrue(log.contains("left " + linked + " alone: it holds the symbolic link precious.txt"), log);
        assertTrue(log.contains("left " + metadata + " alone: its metadata.json does not have the SHA-256"), log);
        assertTrue(log.contains("left " + linkedDirectory + " alone: it is a symbolic link"), log);
    }

    @Test
    void aFailedDumpRemovesNothing() throws Exception {
        olderDump("old.sql.gz", "2026-01-01T01:00:00Z", "shop");
        DumpSpec refused = DumpSpec.builder().port(server.port()).user("root").password(Password.of("wrong"))
                .databases(List.of("shop")).output(backups.resolve("new.sql.gz").toString()).keep(1).build();
        EngineException failed = assertThrows(EngineException.class, () -> new Dumper(new LocalHost(),
                new PrintStream(log, true, StandardCharsets.UTF_8)).dump(refused));
        assertTrue(failed.getMessage().contains("Access denied"), failed.getMessage());
        assertTrue(dumpAndManifestExist("old.sql.gz"));
        assertFalse(log().contains("keep 1"), log());
    }

    @Test
    void anInterruptStopsRetentionBeforeItRemovesAnything() throws Exception {
        olderDump("old.sql.gz", "2026-01-01T01:00:00Z", "shop");
        DumpResult fresh = dump("new.sql.gz", null, "shop");
        Retention retention = new Retention(new Log(new PrintStream(log, true, StandardCharsets.UTF_8)));
        Thread.currentThread().interrupt(); // what aborting the build does to the thread running the dump
        try {
            assertThrows(InterruptedException.class, () -> retention.prune(Path.of(fresh.manifest()), 1));
        } finally {
            Thread.interrupted();
        }
        assertTrue(dumpAndManifestExist("old.sql.gz"));
        assertTrue(dumpAndManifestExist("new.sql.gz"));
    }

    @Test
    void invalidKeepIsRejectedBeforeAnythingRuns() {
        for (int keep : new int[] {0, -1}) {
            InvalidSpecException bad = assertThrows(InvalidSpecException.class, () -> DumpSpec.builder()
                    .port(server.port()).user("root").databases(List.of("shop"))
                    .output(backups.resolve("never.sql.gz").toString()).keep(keep).build());
            assertTrue(bad.getMessage().startsWith("keep must be at least 1"), bad.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new Retention(new Log(TestServers.quietLog()))
                .prune(backups.resolve("x.json"), 0));
        assertFalse(Files.exists(backups.resolve("never.sql.gz")));
    }

    /**
     * A directory dump as the directory format writes it: NAME/ with the files, NAME/metadata.json listing each with
     * its size and SHA-256, and NAME.json whose sha256 is metadata.json's.
     */
    private Path directoryDump(String name, String startedAt, List<String> databases, Map<String, String> files)
            throws Exception {
        Path root = Files.createDirectories(backups.resolve(name));
        List<Map<String, Object>> listed = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, String> file : new TreeMap<>(files).entrySet()) {
            byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
            Path path = root.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.write(path, content);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", file.getKey());
            entry.put("bytes", (long) content.length);
            entry.put("sha256", sha256(content));
            listed.add(entry);
            total += content.length;
        }
        byte[] metadata = (Json.write(Map.of("files", listed)) + "\n").getBytes(StandardCharsets.UTF_8);
        Files.write(root.resolve(DumpNames.METADATA), metadata);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", "directory");
        manifest.put("file", name);
        manifest.put("bytes", total);
        manifest.put("sha256", sha256(metadata));
        manifest.put("compress", "none");
        manifest.put("databases", databases);
        manifest.put("startedAt", startedAt);
        Files.writeString(backups.resolve(name + ".json"), Json.write(manifest) + "\n");
        return root;
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    /** Every entry under {@code root}, links not followed: its path, and its content's SHA-256 or link target. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                entries.put(root.relativize(directory) + "/", "directory");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                try {
                    entries.put(root.relativize(file).toString(), attributes.isSymbolicLink()
                            ? "link to " + Files.readSymbolicLink(file) : sha256(Files.readAllBytes(file)));
                } catch (IOException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return entries;
    }
}
