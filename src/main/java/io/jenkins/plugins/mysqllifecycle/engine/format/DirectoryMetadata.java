package io.jenkins.plugins.mysqllifecycle.engine.format;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code metadata.json} of a directory dump: its format version, compression, every file with its size and SHA-256
 * ({@code files}), and every table and view with its schema file, chunk files and row count ({@code tables}). The
 * manifest beside the directory holds metadata.json's SHA-256, so this file vouches for all the others.
 *
 * @param files by name, a plain relative path inside the dump's directory; a table's schema and chunks are among
 *              them, without a separator
 */
public record DirectoryMetadata(String format, Compression compression, Map<String, Listed> files,
                                List<Table> tables) {
    /**
     * Version 2 added the stored objects' file ({@code -schema-post.sql}): a reader of version 1 would load such a
     * dump without its routines, triggers and events, so it refuses it instead. Version 3 added sequences (type
     * {@code sequence}) and the history of system-versioned tables, and keys {@code tables} by both names quoted:
     * a reader of version 2 would refuse the one and fail to load the other.
     */
    public static final String FORMAT = "mysql-lifecycle-directory/3";
    /** Directory dumps this version reads: the ones it writes, and the older ones, which hold less. */
    public static final Set<String> FORMATS_READ = Set.of("mysql-lifecycle-directory/1",
            "mysql-lifecycle-directory/2", FORMAT);
    private static final int MAX_BYTES = 64 << 20;

    /** One file of the dump, as {@code files} lists it; {@code rows} is 0 for a file that holds no rows. */
    public record Listed(String file, long rows, long bytes, String sha256) {
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("file", file);
            map.put("rows", rows);
            map.put("bytes", bytes);
            map.put("sha256", sha256);
            return map;
        }
    }

    /**
     * A table or view, as {@code tables} lists it.
     *
     * @param chunks   its row files, in order; none for a view
     * @param checksum CHECKSUM TABLE in the dump's snapshot, when the dump was made to be verified; else null
     */
    public record Table(String database, String name, boolean view, String schema, List<String> chunks, long rows,
                        String checksum) {
        public String describe() {
            return database + "." + name;
        }
    }

    /** metadata.json's bytes, as they are on disk: for its SHA-256 and then {@link #parse} or {@link #listedFiles}. */
    public static byte[] readBytes(Path directory) throws DamagedDumpException, IOException, InterruptedException {
        return SmallFiles.read(directory, directory.resolve(DumpNames.METADATA), MAX_BYTES,
                "its " + DumpNames.METADATA);
    }

    /** The {@code files} list alone, which is all a dump of any version must have to be checked byte for byte. */
    public static Map<String, Listed> listedFiles(Path directory, byte[] content) throws DamagedDumpException {
        return listedFiles(directory, json(directory, content));
    }

    /**
     * The whole metadata of a directory dump this version reads.
     *
     * @throws InvalidSpecException the dump is in a format this version does not read (a newer one, say)
     */
    public static DirectoryMetadata parse(Path directory, byte[] content)
            throws DamagedDumpException, InvalidSpecException {
        Map<String, Object> json = json(directory, content);
        if (!(json.get("format") instanceof String format)) {
            throw problem(directory, "has no \"format\" string (it says " + Json.excerpt(json.get("format")) + ")");
        }
        if (!FORMATS_READ.contains(format)) {
            throw new InvalidSpecException(directory + " is a dump in format " + Json.excerpt(format) + ", which this"
                    + " version does not read (it reads " + FORMAT + ").");
        }
        Compression compression;
        try {
            if (!(json.get("compress") instanceof String compress)) {
                throw new InvalidSpecException("not a string");
            }
            compression = Compression.fromId(compress);
        } catch (InvalidSpecException e) {
            throw problem(directory, "has no valid \"compress\" (it says " + Json.excerpt(json.get("compress"))
                    + ")");
        }
        Map<String, Listed> files = listedFiles(directory, json);
        if (!(json.get("tables") instanceof Map<?, ?> tables)) {
            throw problem(directory, "has no \"tables\"");
        }
        List<Table> parsed = new ArrayList<>();
        Set<List<String>> seen = new java.util.HashSet<>();
        for (Object value : tables.values()) {
            Table table = table(directory, value);
            // an object is its database and its name, as a pair: two entries of one pair would load one twice
            if (!seen.add(List.of(table.database(), table.name()))) {
                throw problem(directory, "lists " + table.describe() + " twice in \"tables\"");
            }
            requireListed(directory, files, table.schema(), "the schema of " + table.describe());
            for (String chunk : table.chunks()) {
                requireListed(directory, files, chunk, "a chunk of " + table.describe());
            }
            parsed.add(table);
        }
        return new DirectoryMetadata(format, compression, files, parsed);
    }

    /**
     * A restore reads a table's schema and chunks by these names, so each must be one of the {@code files}, which
     * alone are checked (a plain name inside the directory, a regular file, its SHA-256). A name outside them (an
     * absolute path, {@code ../x}, an unlisted file) would make the restoring account send any file it can read to
     * the server, and a syntax error would print that file's first line.
     */
    private static void requireListed(Path directory, Map<String, Listed> files, String name, String role)
            throws DamagedDumpException {
        if (!isPlainName(name) || !files.containsKey(name)) {
            throw problem(directory, "names \"" + name + "\" as " + role + ", which is not one of the files it"
                    + " lists and checks directly inside the dump's directory; nothing was loaded");
        }
    }

    private static Table table(Path directory, Object value) throws DamagedDumpException {
        if (!(value instanceof Map<?, ?> table) || !(table.get("database") instanceof String database)
                || !(table.get("table") instanceof String name) || !(table.get("schema") instanceof String schema)) {
            throw problem(directory, "has a table without a \"database\", \"table\" and \"schema\": "
                    + Json.excerpt(value));
        }
        Object type = table.get("type");
        boolean view = "view".equals(type);
        // a sequence has no rows: its schema file creates it and sets its next value
        boolean sequence = "sequence".equals(type);
        if (!view && !sequence && !"table".equals(type)) {
            throw problem(directory, "has " + database + "." + name + " of the type " + Json.excerpt(type)
                    + ", neither \"table\", \"view\" nor \"sequence\"");
        }
        List<String> chunks = new ArrayList<>();
        long rows = 0;
        if (!view && !sequence) {
            if (!(table.get("chunks") instanceof List<?> listed) || !(table.get("rows") instanceof Long count)
                    || count < 0) {
                throw problem(directory, "has the table " + database + "." + name + " without its \"chunks\" and"
                        + " \"rows\"");
            }
            for (Object chunk : listed) {
                if (!(chunk instanceof String file)) {
                    throw problem(directory, "lists a chunk of " + database + "." + name + " that is not a file"
                            + " name: " + Json.excerpt(chunk));
                }
                chunks.add(file);
            }
            rows = count;
        }
        Object checksum = table.get("checksum");
        if (checksum != null && !(checksum instanceof String)) {
            throw problem(directory, "has a \"checksum\" of " + database + "." + name + " that is not a string: "
                    + Json.excerpt(checksum));
        }
        return new Table(database, name, view, schema, List.copyOf(chunks), rows, (String) checksum);
    }

    private static Map<String, Object> json(Path directory, byte[] content) throws DamagedDumpException {
        try {
            return Json.parseObject(new String(content, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw problem(directory, "is not valid JSON (" + e.getMessage() + ")");
        }
    }

    private static Map<String, Listed> listedFiles(Path directory, Map<String, Object> json)
            throws DamagedDumpException {
        if (!(json.get("files") instanceof List<?> files)) {
            throw problem(directory, "has no \"files\" list");
        }
        Map<String, Listed> listed = new LinkedHashMap<>();
        for (Object item : files) {
            if (!(item instanceof Map<?, ?> entry) || !(entry.get("file") instanceof String name)
                    || !(entry.get("bytes") instanceof Long bytes) || bytes < 0) {
                throw problem(directory, "has an entry without a \"file\", \"bytes\" and \"sha256\": "
                        + Json.excerpt(item));
            }
            if (!isPlainRelativePath(name) || name.equals(DumpNames.METADATA)) {
                throw problem(directory, "lists " + Json.excerpt(name) + ", which is not a file inside the dump's"
                        + " directory");
            }
            String sha256 = Sha256.parse(entry.get("sha256"));
            if (sha256 == null) {
                throw problem(directory, "has no valid \"sha256\" for " + name + " (it says "
                        + Json.excerpt(entry.get("sha256")) + ")");
            }
            Object rowsValue = entry.containsKey("rows") ? entry.get("rows") : Long.valueOf(0);
            if (!(rowsValue instanceof Long rows) || rows < 0) {
                throw problem(directory, "has no valid \"rows\" for " + name + " (it says " + Json.excerpt(rowsValue)
                        + ")");
            }
            if (listed.put(name, new Listed(name, rows, bytes, sha256)) != null) {
                throw problem(directory, "lists " + name + " twice");
            }
        }
        return listed;
    }

    private static DamagedDumpException problem(Path directory, String problem) {
        return new DamagedDumpException(directory, "its " + DumpNames.METADATA + " " + problem);
    }

    /** {@code a/b.sql}: relative, no empty, {@code .} or {@code ..} step, no backslash or NUL. */
    private static boolean isPlainRelativePath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
            return false;
        }
        for (String step : path.split("/", -1)) {
            if (step.isEmpty() || step.equals(".") || step.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * A name of a file directly inside the directory, as this tool writes every file a restore reads: a plain
     * relative path without a separator, so no absolute path and no step out or down.
     */
    private static boolean isPlainName(String name) {
        return isPlainRelativePath(name) && !name.contains("/");
    }
}
