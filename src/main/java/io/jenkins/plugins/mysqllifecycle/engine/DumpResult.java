package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished, verified dump; {@link #toManifest()} is what the manifest beside the file says.
 *
 * @param file     absolute path of the dump on the machine the engine ran on
 * @param bytes    size of the file as written (compressed, when compressed)
 * @param sha256   of the file as written, in hex
 * @param rawBytes size of the SQL text before compression
 * @param binlog   where the dump's snapshot stands in the source's binary log ({@link BinlogCoordinates#OFF} when
 *                 the source logs none); null when the engine could not learn it
 * @param removed  names (in the dump's directory) of the older dumps {@link Retention} removed after this one was
 *                 written; empty without {@code keep}
 * @param tables   tables, views and sequences the dump holds; {@link #UNCOUNTED} when the dump tool does not say
 * @param rows     rows the dump holds; {@link #UNCOUNTED} when the dump tool does not say
 */
public record DumpResult(String file, String manifest, long bytes, String sha256, Compression compression,
                         List<String> databases, boolean allDatabases, String serverVersion, String tool,
                         String toolVersion, Instant startedAt, long millis, long rawBytes, String format,
                         boolean verified, BinlogCoordinates binlog, List<String> removed, long tables,
                         long rows) implements Serializable {
    /** One file, as the dump tool writes it. */
    public static final String FILE = "file";
    /** A directory of per-table files with metadata.json; its sha256 is metadata.json's, which lists each file's. */
    public static final String DIRECTORY = "directory";

    /** Of {@link #tables} and {@link #rows}: the server's dump tool counts neither. */
    public static final long UNCOUNTED = -1;

    public DumpResult {
        removed = removed == null ? List.of() : List.copyOf(removed);
    }

    /** A dump whose tables and rows were not counted: what the server's dump tool writes. */
    public DumpResult(String file, String manifest, long bytes, String sha256, Compression compression,
                      List<String> databases, boolean allDatabases, String serverVersion, String tool,
                      String toolVersion, Instant startedAt, long millis, long rawBytes, String format,
                      boolean verified, BinlogCoordinates binlog, List<String> removed) {
        this(file, manifest, bytes, sha256, compression, databases, allDatabases, serverVersion, tool, toolVersion,
                startedAt, millis, rawBytes, format, verified, binlog, removed, UNCOUNTED, UNCOUNTED);
    }

    /** This dump, with the tables and rows it holds counted. */
    public DumpResult withCounts(long tableCount, long rowCount) {
        return new DumpResult(file, manifest, bytes, sha256, compression, databases, allDatabases, serverVersion,
                tool, toolVersion, startedAt, millis, rawBytes, format, verified, binlog, removed, tableCount,
                rowCount);
    }

    /** This dump, restored into a scratch server and found equal to the source's snapshot table by table. */
    public DumpResult asVerified() {
        return new DumpResult(file, manifest, bytes, sha256, compression, databases, allDatabases, serverVersion, tool,
                toolVersion, startedAt, millis, rawBytes, format, true, binlog, removed, tables, rows);
    }

    /** This dump, after retention removed the older dumps named. */
    public DumpResult withRemoved(List<String> names) {
        return new DumpResult(file, manifest, bytes, sha256, compression, databases, allDatabases, serverVersion,
                tool, toolVersion, startedAt, millis, rawBytes, format, verified, binlog, names, tables, rows);
    }

    public Map<String, Object> toManifest() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("file", file.substring(file.lastIndexOf('/') + 1));
        map.put("format", format);
        map.put("bytes", bytes);
        map.put("sha256", sha256);
        map.put("compress", compression.id());
        map.put("databases", allDatabases ? "all" : databases);
        map.put("serverVersion", serverVersion);
        map.put("tool", tool);
        map.put("toolVersion", toolVersion);
        map.put("startedAt", startedAt.toString());
        map.put("millis", millis);
        map.put("rawBytes", rawBytes);
        map.put("verified", verified);
        if (binlog != null) {
            map.put("binlog", binlog.toManifestValue());
        }
        if (tables != UNCOUNTED) {
            map.put("tables", tables);
            map.put("rows", rows);
        }
        return map;
    }

    /** The manifest, with where the dump and manifest are and what retention removed: what the CLI prints. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = toManifest();
        map.put("path", file);
        map.put("manifest", manifest);
        map.put("removed", removed);
        return map;
    }
}
