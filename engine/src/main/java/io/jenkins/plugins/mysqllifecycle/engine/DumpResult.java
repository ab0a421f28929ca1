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
 * @param removed  names (in the dump's directory) of the older dumps {@link Retention} removed after this one was
 *                 written; empty without {@code keep}
 */
public record DumpResult(String file, String manifest, long bytes, String sha256, Compression compression,
                         List<String> databases, boolean allDatabases, String serverVersion, String tool,
                         String toolVersion, Instant startedAt, long millis, long rawBytes, List<String> removed)
        implements Serializable {

    public DumpResult {
        removed = removed == null ? List.of() : List.copyOf(removed);
    }

    /** A dump that removed nothing (yet): what the dumper builds before retention runs. */
    public DumpResult(String file, String manifest, long bytes, String sha256, Compression compression,
                      List<String> databases, boolean allDatabases, String serverVersion, String tool,
                      String toolVersion, Instant startedAt, long millis, long rawBytes) {
        this(file, manifest, bytes, sha256, compression, databases, allDatabases, serverVersion, tool, toolVersion,
                startedAt, millis, rawBytes, List.of());
    }

    public DumpResult withRemoved(List<String> names) {
        return new DumpResult(file, manifest, bytes, sha256, compression, databases, allDatabases, serverVersion,
                tool, toolVersion, startedAt, millis, rawBytes, names);
    }

    public Map<String, Object> toManifest() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("file", file.substring(file.lastIndexOf('/') + 1));
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
