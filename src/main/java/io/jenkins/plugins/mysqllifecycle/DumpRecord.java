package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.util.Bytes;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One dump a build made, or tried to make, as its page shows it and as the job's trend and the controller's page of
 * dump ages count it. Plain fields only: Jenkins saves it with the build (build.xml). It holds what describes the
 * dump, never how the dump logged in (no password, key or credentials id; a failure's first line may name the
 * account, as the server's error and the build log do).
 */
public final class DumpRecord {
    /** How many characters of the SHA-256 the build page shows: enough to tell dumps apart and to find one. */
    static final int SHA256_SHOWN = 12;
    /** Of a count the dump tool did not make. */
    static final long UNKNOWN = -1;

    private final String node;
    private final String host;
    private final List<String> databases;
    private final boolean allDatabases;
    private final String file;
    private final String startedAt;
    private final String failure;
    private final String format;
    private final String tool;
    private final String toolVersion;
    private final String compression;
    private final String serverVersion;
    private final long bytes;
    private final long rawBytes;
    private final long millis;
    private final long tables;
    private final long rows;
    private final boolean verified;
    private final String binlog;
    private final String sha256;
    private final List<String> removed;

    private DumpRecord(String node, String host, List<String> databases, boolean allDatabases, String file,
                       Instant startedAt, String failure, DumpResult result) {
        this.node = node;
        this.host = host;
        this.databases = new ArrayList<>(allDatabases ? List.of() : databases);
        this.allDatabases = allDatabases;
        this.file = file;
        this.startedAt = startedAt.toString();
        this.failure = failure;
        this.format = result == null ? null : result.format();
        this.tool = result == null ? null : result.tool();
        this.toolVersion = result == null ? null : result.toolVersion();
        this.compression = result == null ? null : result.compression().id();
        this.serverVersion = result == null ? null : result.serverVersion();
        this.bytes = result == null ? UNKNOWN : result.bytes();
        this.rawBytes = result == null ? UNKNOWN : result.rawBytes();
        this.millis = result == null ? UNKNOWN : result.millis();
        this.tables = result == null ? UNKNOWN : result.tables();
        this.rows = result == null ? UNKNOWN : result.rows();
        this.verified = result != null && result.verified();
        this.binlog = result == null || result.binlog() == null ? null : result.binlog().toString();
        this.sha256 = result == null ? null : result.sha256();
        this.removed = new ArrayList<>(result == null ? List.of() : result.removed());
    }

    /**
     * A dump that was written.
     *
     * @param node the Jenkins node it ran on ("" for the built-in node)
     * @param host the machine the database server is on, as {@link MysqlOnNode#serverHost} names it
     * @param file the dump as the build sees it: relative to the workspace when it is inside it
     */
    static DumpRecord written(String node, String host, String file, DumpResult result) {
        return new DumpRecord(node, host, result.databases(), result.allDatabases(), file, result.startedAt(), null,
                result);
    }

    /** A dump that failed, with the first line of why; nothing of it was kept. */
    static DumpRecord failed(String node, String host, List<String> databases, boolean allDatabases, String file,
                             Instant startedAt, String failure) {
        String firstLine = failure == null || failure.isBlank() ? "failed" : failure.strip().lines().findFirst()
                .orElse("failed");
        return new DumpRecord(node, host, databases, allDatabases, file, startedAt, firstLine, null);
    }

    /** The node as a page names it. */
    public String getNode() {
        return node.isEmpty() ? "built-in" : node;
    }

    public String getHost() {
        return host;
    }

    /** "shop, stock", or "all databases". */
    public String getDatabases() {
        return allDatabases ? "all databases" : String.join(", ", databases);
    }

    /** What the trend and the page of ages group by: the same databases on the same host. */
    String series() {
        return host + ": " + getDatabases();
    }

    public String getFile() {
        return file;
    }

    public boolean isDirectory() {
        return DumpResult.DIRECTORY.equals(format);
    }

    public String getStartedAt() {
        return startedAt;
    }

    Instant startedAt() {
        return Instant.parse(startedAt);
    }

    /** Why the dump failed (one line); null for a dump that was written. */
    public String getFailure() {
        return failure;
    }

    public boolean isFailed() {
        return failure != null;
    }

    /** The dump tool, the format and the compression: "mariadb-dump 10.11.9, file, gzip". */
    public String getMethod() {
        if (isFailed()) {
            return "";
        }
        return (tool == null ? "" : tool + (toolVersion == null ? "" : " " + toolVersion) + ", ")
                + (isDirectory() ? "directory" : "file") + ", " + compression;
    }

    public String getServerVersion() {
        return serverVersion;
    }

    long bytes() {
        return bytes;
    }

    long millis() {
        return millis;
    }

    public String getSize() {
        return bytes < 0 ? "" : Bytes.describe(bytes);
    }

    public String getRawSize() {
        return rawBytes < 0 ? "" : Bytes.describe(rawBytes);
    }

    public String getDuration() {
        return millis < 0 ? "" : Durations.describe(Duration.ofMillis(millis));
    }

    /** Counted by a parallel dump; empty for the dump tool's. */
    public String getTables() {
        return tables < 0 ? "" : Long.toString(tables);
    }

    public String getRows() {
        return rows < 0 ? "" : String.format(Locale.ROOT, "%,d", rows);
    }

    public boolean isVerified() {
        return verified;
    }

    /** Where the dump stands in the source's binary log ("binlog.000042:1234 (GTIDs ...)"); null when unknown. */
    public String getBinlog() {
        return binlog;
    }

    public String getSha256() {
        return sha256;
    }

    public String getSha256Start() {
        return sha256 == null ? "" : sha256.substring(0, Math.min(SHA256_SHOWN, sha256.length()));
    }

    /** The older dumps retention removed after this one (names in its directory). */
    public List<String> getRemoved() {
        return new ArrayList<>(removed);
    }

    /** What the build archived, asked by path relative to the root of its artifacts. */
    interface Archive {
        boolean hasFile(String path) throws IOException;

        boolean hasDirectory(String path) throws IOException;
    }

    /**
     * The link, relative to the build's page, to this dump among the build's archived artifacts; null when it was
     * not archived (under the same path relative to the workspace) or the archive cannot be read. A directory dump
     * links to its directory.
     */
    String artifactHref(Archive archive) {
        if (isFailed()) {
            return null;
        }
        try {
            if (!(isDirectory() ? archive.hasDirectory(file) : archive.hasFile(file))) {
                return null;
            }
        } catch (IOException e) {
            return null; // the page shows the dump without its link
        }
        try {
            // the multi-argument constructor quotes what a path may not hold (space, ?, #, %); ASCII for the href
            return "artifact/" + new URI(null, null, file, null).toASCIIString() + (isDirectory() ? "/" : "");
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
