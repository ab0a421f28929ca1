package io.jenkins.plugins.mysqllifecycle.engine.format;

import io.jenkins.plugins.mysqllifecycle.engine.BinlogCoordinates;
import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The manifest {@code FILE.json} beside a dump FILE: what was written (its format, size and SHA-256, for a
 * directory dump its metadata.json's), of which databases, and when. The one reader and writer of manifests: what it
 * reads is checked field by field, so a damaged or foreign file is refused with the field that is wrong.
 *
 * @param path      the manifest itself
 * @param file      the dump's name, in the manifest's directory
 * @param directory a directory dump (format {@link DumpResult#DIRECTORY}), else one file
 * @param bytes     the dump file's size; -1 when the manifest does not say (the SHA-256 still covers it)
 * @param serverVersion the source server's VERSION(), which names its flavor; null when the manifest does not say
 * @param binlog    where the dump stands in the source's binary log; null when the manifest does not say
 * @param run       how the dump was made (tool, time, size of its SQL, verified, counts), as far as the manifest says
 */
public record Manifest(Path path, String file, boolean directory, String sha256, long bytes, Compression compression,
                       Databases databases, Instant startedAt, String serverVersion, BinlogCoordinates binlog,
                       Run run) {
    /** Larger than any manifest this tool writes by far; a larger file is not one of them. */
    private static final int MAX_BYTES = 1 << 20;

    /** The databases a dump holds: all of them, or a set of names. */
    public record Databases(boolean all, Set<String> names) {
        /** From a manifest's {@code databases}: "all" or a non-empty list of names; null for anything else. */
        static Databases of(Object databases) {
            if ("all".equals(databases)) {
                return new Databases(true, Set.of());
            }
            if (!(databases instanceof List<?> list) || list.isEmpty()) {
                return null;
            }
            Set<String> names = new TreeSet<>();
            for (Object item : list) {
                if (!(item instanceof String name) || name.isEmpty()) {
                    return null;
                }
                names.add(name);
            }
            return new Databases(false, Collections.unmodifiableSet(names));
        }

        @Override
        public String toString() {
            return all ? "all databases" : String.join(", ", names);
        }
    }

    /**
     * How a dump was made, as its manifest records it. Manifests of older versions say less: what one does not say
     * is null, or {@link #UNKNOWN} for a number.
     *
     * @param tool        the dump tool's name (mariadb-dump, mysqldump) or mysql-lifecycle for a parallel dump
     * @param millis      how long the dump took
     * @param rawBytes    size of the SQL before compression
     * @param verified    restored into a scratch server and found equal to the source, table by table
     * @param tables      tables and views a parallel dump holds; the dump tool counts none
     * @param rows        rows a parallel dump holds
     */
    public record Run(String tool, String toolVersion, long millis, long rawBytes, boolean verified, long tables,
                      long rows) {
        public static final long UNKNOWN = -1;
    }

    /** The dump this manifest describes. */
    public Path dump() {
        return path.resolveSibling(file);
    }

    /** The manifest of {@code dump}; null when it has none (no regular file or link of that name). */
    public static Manifest besideOrNull(Path dump) throws DamagedDumpException, IOException, InterruptedException {
        Path manifest = DumpNames.manifestOf(dump);
        return Files.exists(manifest, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? read(manifest) : null;
    }

    /** Reads and checks the manifest at {@code manifest}; a problem names the dump it would describe. */
    public static Manifest read(Path manifest) throws DamagedDumpException, IOException, InterruptedException {
        String name = manifest.getFileName().toString();
        if (!name.endsWith(DumpNames.MANIFEST_SUFFIX) || name.length() == DumpNames.MANIFEST_SUFFIX.length()) {
            throw new IllegalArgumentException(manifest + " is not named as a manifest");
        }
        String expected = name.substring(0, name.length() - DumpNames.MANIFEST_SUFFIX.length());
        Path dump = manifest.resolveSibling(expected);
        if (expected.equals(".") || expected.equals("..") || expected.endsWith(DumpNames.PARTIAL_SUFFIX)) {
            throw new DamagedDumpException(dump, "its manifest " + name + " names no dump in its directory");
        }
        byte[] content = SmallFiles.read(dump, manifest, MAX_BYTES, "its manifest " + name);
        Map<String, Object> json;
        try {
            json = Json.parseObject(new String(content, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new DamagedDumpException(dump, "its manifest " + name + " is not valid JSON (" + e.getMessage()
                    + ")");
        }
        Object file = json.get("file");
        if (!(file instanceof String fileName) || !fileName.equals(expected)) {
            throw new DamagedDumpException(dump, "its manifest " + name + " does not name it as its \"file\" (it says "
                    + (file == null ? "nothing" : Json.excerpt(file)) + ")");
        }
        Object format = json.getOrDefault("format", DumpResult.FILE);
        if (!DumpResult.FILE.equals(format) && !DumpResult.DIRECTORY.equals(format)) {
            throw new DamagedDumpException(dump, "its manifest " + name + " has the format " + Json.excerpt(format)
                    + ", which this version does not know");
        }
        Databases databases = Databases.of(json.get("databases"));
        if (databases == null) {
            throw new DamagedDumpException(dump, "its manifest " + name + " has no valid \"databases\" (\"all\" or a"
                    + " list of names)");
        }
        Object startedAt = json.get("startedAt");
        Instant started;
        try {
            if (!(startedAt instanceof String text)) {
                throw new DateTimeParseException("not a string", String.valueOf(startedAt), 0);
            }
            started = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new DamagedDumpException(dump, "its manifest " + name + " has no valid \"startedAt\" (it says "
                    + Json.excerpt(startedAt) + ")");
        }
        long bytes = -1;
        if (json.get("bytes") instanceof Long number && number >= 0) {
            bytes = number;
        } else if (json.containsKey("bytes") && DumpResult.FILE.equals(format)) {
            throw new DamagedDumpException(dump, "its manifest " + name + " has no valid \"bytes\" (it says "
                    + Json.excerpt(json.get("bytes")) + ")");
        }
        String sha256 = Sha256.parse(json.get("sha256"));
        if (sha256 == null) {
            throw new DamagedDumpException(dump, "its manifest " + name + " has no valid \"sha256\" (it says "
                    + Json.excerpt(json.get("sha256")) + ")");
        }
        Compression compression;
        try {
            if (!(json.getOrDefault("compress", Compression.NONE.id()) instanceof String compress)) {
                throw new InvalidSpecException("not a string");
            }
            compression = Compression.fromId(compress);
        } catch (InvalidSpecException e) {
            throw new DamagedDumpException(dump, "its manifest " + name + " has no valid \"compress\" (it says "
                    + Json.excerpt(json.get("compress")) + ")");
        }
        BinlogCoordinates binlog = null;
        if (json.containsKey("binlog")) {
            binlog = binlogOf(json.get("binlog"));
            if (binlog == null) {
                throw new DamagedDumpException(dump, "its manifest " + name + " has no valid \"binlog\" (\""
                        + BinlogCoordinates.OFF_IN_MANIFEST + "\", or a file and a position; it says "
                        + Json.excerpt(json.get("binlog")) + ")");
            }
        }
        Run run = new Run(text(json, "tool", dump, name), text(json, "toolVersion", dump, name),
                count(json, "millis", dump, name), count(json, "rawBytes", dump, name),
                Boolean.TRUE.equals(flag(json, "verified", dump, name)), count(json, "tables", dump, name),
                count(json, "rows", dump, name));
        return new Manifest(manifest, expected, DumpResult.DIRECTORY.equals(format), sha256, bytes, compression,
                databases, started, json.get("serverVersion") instanceof String version && !version.isBlank()
                        ? version : null, binlog, run);
    }

    /** An optional string: null when absent or null; anything but a string is damage. */
    private static String text(Map<String, Object> json, String key, Path dump, String name)
            throws DamagedDumpException {
        Object value = json.get(key);
        if (value != null && !(value instanceof String)) {
            throw new DamagedDumpException(dump, "its manifest " + name + " has no valid \"" + key + "\" (it says "
                    + Json.excerpt(value) + ")");
        }
        return value == null || ((String) value).isBlank() ? null : (String) value;
    }

    /** An optional count or duration: {@link Run#UNKNOWN} when absent; anything but a whole number >= 0 is damage. */
    private static long count(Map<String, Object> json, String key, Path dump, String name)
            throws DamagedDumpException {
        Object value = json.get(key);
        if (value == null) {
            return Run.UNKNOWN;
        }
        if (!(value instanceof Long number) || number < 0) {
            throw new DamagedDumpException(dump, "its manifest " + name + " has no valid \"" + key + "\" (it says "
                    + Json.excerpt(value) + ")");
        }
        return number;
    }

    /** An optional true or false: null when absent. */
    private static Boolean flag(Map<String, Object> json, String key, Path dump, String name)
            throws DamagedDumpException {
        Object value = json.get(key);
        if (value != null && !(value instanceof Boolean)) {
            throw new DamagedDumpException(dump, "its manifest " + name + " has no valid \"" + key + "\" (it says "
                    + Json.excerpt(value) + ")");
        }
        return (Boolean) value;
    }

    /** What {@link BinlogCoordinates#toManifestValue()} wrote; null for anything else. */
    private static BinlogCoordinates binlogOf(Object value) {
        if (BinlogCoordinates.OFF_IN_MANIFEST.equals(value)) {
            return BinlogCoordinates.OFF;
        }
        if (!(value instanceof Map<?, ?> map) || map.get("gtidSet") != null && !(map.get("gtidSet") instanceof String)) {
            return null;
        }
        String gtidSet = (String) map.get("gtidSet");
        if (map.get("file") instanceof String file && !file.isEmpty() && map.get("position") instanceof Long position
                && position >= 0) {
            return BinlogCoordinates.at(file, position, gtidSet);
        }
        return map.get("file") == null && map.get("position") == null && gtidSet != null && !gtidSet.isBlank()
                ? new BinlogCoordinates(true, null, -1, gtidSet) : null;
    }

    /**
     * The databases a file at {@code manifest} says its dump holds, even when the rest of it is not a valid
     * manifest; null when it says nothing valid about them (or cannot be read).
     */
    public static Databases claimedDatabases(Path manifest) throws InterruptedException {
        try {
            byte[] content = SmallFiles.read(manifest, manifest, MAX_BYTES, "it");
            return Databases.of(Json.parseObject(new String(content, StandardCharsets.UTF_8)).get("databases"));
        } catch (DamagedDumpException | IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Writes a manifest durably and atomically: into {@code FILE.json.partial}, forced to disk, then renamed, so a
     * reader sees the old manifest or the new one, never a part.
     *
     * <p>Whatever is at the partial name (a manifest left by a crash, or a link someone who can write the output
     * directory planted) is removed, and the file is then created new, never opened through a link: opening an
     * existing name would truncate and overwrite a link's target with the rights of the account running the dump.
     */
    public static void write(Path manifest, Map<String, ?> content) throws IOException {
        prepare(manifest, content).commit();
    }

    /**
     * Writes the manifest to {@code FILE.json.partial} and forces it to disk, for {@link Pending#commit} to rename
     * once its dump has its final name. A dump takes its name only with its manifest complete on disk: what is left
     * to do then is two renames, which need no space, so a disk that fills up cannot leave a new dump beside the old
     * dump's manifest. A failed write leaves no partial manifest.
     */
    public static Pending prepare(Path manifest, Map<String, ?> content) throws IOException {
        Path partial = DumpNames.partialOf(manifest);
        Files.deleteIfExists(partial); // a link itself, never its target
        try (FileChannel channel = FileChannel.open(partial, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer bytes = ByteBuffer.wrap((Json.write(content) + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        return new Pending(partial, manifest);
    }

    /** A manifest complete on disk under {@code FILE.json.partial}: renamed into place, or discarded. */
    public static final class Pending {
        private final Path partial;
        private final Path manifest;

        private Pending(Path partial, Path manifest) {
            this.partial = partial;
            this.manifest = manifest;
        }

        public void commit() throws IOException {
            Files.move(partial, manifest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        /** For a dump that did not take its name after all; best effort, the dump's failure is what is reported. */
        public void discard() {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a stray FILE.json.partial is overwritten by the next dump of FILE
            }
        }
    }
}
