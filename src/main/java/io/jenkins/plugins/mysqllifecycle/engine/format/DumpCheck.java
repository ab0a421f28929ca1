package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Whether a dump on disk is still what its manifest and metadata say was written: every byte, by SHA-256. */
final class DumpCheck {
    record Table(String database, String name, boolean view, String schema, List<String> chunks, long rows,
                 String checksum) {
        String describe() {
            return database + "." + name;
        }
    }

    record Directory(Compression compression, long bytes, List<String> databaseSchemas, List<Table> tables,
                     List<String> storedObjects, Map<String, Object> metadata) {
    }

    private DumpCheck() {
    }

    /** Checks a dump file against its manifest, when it has one; returns its compression. */
    static Compression checkFile(Path file, Log log) throws IOException, EngineException {
        Map<String, Object> manifest = Restorer.manifestOf(file);
        if (manifest == null) {
            log.warn(file + " has no manifest (" + file.getFileName() + ".json): it is loaded unchecked");
            String name = file.getFileName().toString();
            return name.endsWith(".gz") ? Compression.GZIP : name.endsWith(".zst") ? Compression.ZSTD
                    : Compression.NONE;
        }
        String expected = String.valueOf(manifest.get("sha256"));
        String actual = sha256(file);
        if (!expected.equals(actual)) {
            throw new EngineException(file + " does not match its manifest (sha256 " + actual + ", the manifest"
                    + " says " + expected + "): it was changed or damaged after it was written, and was not loaded.");
        }
        return Compression.fromId(String.valueOf(manifest.getOrDefault("compress", "none")));
    }

    /** Checks metadata.json against the manifest and every file against metadata.json; nothing else may be there. */
    static Directory checkDirectory(Path directory) throws IOException, EngineException {
        Path metadataFile = directory.resolve(ParallelDumper.METADATA);
        if (!Files.isRegularFile(metadataFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidSpecException(directory + " is not a directory dump of this tool: it has no "
                    + ParallelDumper.METADATA + ".");
        }
        Map<String, Object> manifest = Restorer.manifestOf(directory);
        if (manifest != null && !String.valueOf(manifest.get("sha256")).equals(sha256(metadataFile))) {
            throw new EngineException(metadataFile + " does not match the manifest " + directory + ".json: the dump"
                    + " was changed or damaged after it was written, and was not loaded.");
        }
        Map<String, Object> metadata = Json.parseObject(Files.readString(metadataFile));
        if (!ParallelDumper.FORMATS_READ.contains(String.valueOf(metadata.get("format")))) {
            throw new InvalidSpecException(directory + " is a dump in format " + metadata.get("format")
                    + ", which this version does not read (it reads " + ParallelDumper.FORMAT + ").");
        }
        long bytes = 0;
        List<String> databaseSchemas = new ArrayList<>();
        List<String> storedObjects = new ArrayList<>();
        for (Object listed : (List<?>) metadata.get("files")) {
            Map<?, ?> entry = (Map<?, ?>) listed;
            String name = String.valueOf(entry.get("file"));
            Path file = directory.resolve(name).normalize();
            if (!file.getParent().equals(directory) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new EngineException(directory + " lacks " + name + ", which its metadata lists: the dump is"
                        + " incomplete and was not loaded.");
            }
            String actual = sha256(file);
            if (!actual.equals(entry.get("sha256"))) {
                throw new EngineException(file + " does not match the dump's metadata (sha256 " + actual + "): it"
                        + " was changed or damaged after it was written, and nothing was loaded.");
            }
            bytes += Files.size(file);
            if (name.endsWith("-schema-create.sql")) {
                databaseSchemas.add(name);
            } else if (name.endsWith("-schema-post.sql")) {
                storedObjects.add(name);
            }
        }
        List<Table> tables = new ArrayList<>();
        for (Object value : ((Map<?, ?>) metadata.get("tables")).values()) {
            Map<?, ?> table = (Map<?, ?>) value;
            boolean view = "view".equals(table.get("type"));
            List<String> chunks = new ArrayList<>();
            if (!view) {
                ((List<?>) table.get("chunks")).forEach(chunk -> chunks.add(String.valueOf(chunk)));
            }
            tables.add(new Table(String.valueOf(table.get("database")), String.valueOf(table.get("table")), view,
                    String.valueOf(table.get("schema")), chunks, view ? 0 : ((Number) table.get("rows")).longValue(),
                    table.get("checksum") == null ? null : String.valueOf(table.get("checksum"))));
        }
        return new Directory(Compression.fromId(String.valueOf(metadata.get("compress"))), bytes, databaseSchemas,
                tables, storedObjects, metadata);
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = DumpCopier.sha256Digest();
        byte[] buffer = new byte[1024 * 1024];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
