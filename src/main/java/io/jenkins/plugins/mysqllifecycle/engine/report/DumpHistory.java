package io.jenkins.plugins.mysqllifecycle.engine.report;

import io.jenkins.plugins.mysqllifecycle.engine.format.DamagedDumpException;
import io.jenkins.plugins.mysqllifecycle.engine.format.DumpNames;
import io.jenkins.plugins.mysqllifecycle.engine.format.Manifest;
import io.jenkins.plugins.mysqllifecycle.engine.retention.Retention;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dumps in one directory, as their manifests describe them, and everything else there that is not one: what
 * {@code report} shows. The dumps are those retention counts ({@link Retention#manifestsIn}, then
 * {@link Retention#problemOf}): a manifest this tool can read, beside a dump that is there as it says. No byte of a
 * dump is read, so a report of a directory of large dumps is quick; {@code verified} is what the dump's own
 * {@code --verify} found when it was written.
 *
 * @param dumps   newest first
 * @param skipped what is in the directory but is not one of the dumps, by name, each with why
 */
public record DumpHistory(Path directory, Instant generatedAt, List<Dump> dumps, List<Skipped> skipped) {

    /** One dump, by its manifest. */
    public record Dump(Manifest manifest) {
        public String file() {
            return manifest.file();
        }

        public Instant startedAt() {
            return manifest.startedAt();
        }

        /** The databases it holds, as a series of dumps of the same source is named: "shop, stock" or "all". */
        public String databases() {
            Manifest.Databases databases = manifest.databases();
            return databases.all() ? "all" : String.join(", ", databases.names());
        }

        public boolean verified() {
            return manifest.run().verified();
        }

        public Map<String, Object> toMap() {
            Manifest.Run run = manifest.run();
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("file", manifest.file());
            map.put("format", manifest.directory() ? "directory" : "file");
            map.put("databases", manifest.databases().all() ? "all" : List.copyOf(manifest.databases().names()));
            map.put("startedAt", manifest.startedAt().toString());
            map.put("millis", known(run.millis()));
            map.put("bytes", known(manifest.bytes()));
            map.put("rawBytes", known(run.rawBytes()));
            map.put("compress", manifest.compression().id());
            map.put("tool", run.tool());
            map.put("toolVersion", run.toolVersion());
            map.put("serverVersion", manifest.serverVersion());
            map.put("verified", run.verified());
            map.put("binlog", manifest.binlog() == null ? null : manifest.binlog().toManifestValue());
            map.put("sha256", manifest.sha256());
            map.put("tables", known(run.tables()));
            map.put("rows", known(run.rows()));
            return map;
        }

        private static Long known(long value) {
            return value < 0 ? null : value;
        }
    }

    /**
     * Something in the directory that is not one of the dumps.
     *
     * @param file   its name in the directory
     * @param reason why, as a clause about it: "its manifest x.sql.gz.json is not valid JSON (...)"
     */
    public record Skipped(String file, String reason) {
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("file", file);
            map.put("reason", reason);
            return map;
        }
    }

    /**
     * The dumps of the same databases, oldest first: one line in a chart, one row of the summary.
     *
     * @param databases as {@link Dump#databases()} names them
     */
    public record Series(String databases, List<Dump> dumps) {
        public Dump last() {
            return dumps.get(dumps.size() - 1);
        }

        /** The newest verified dump; null when none is. */
        public Dump lastVerified() {
            for (int i = dumps.size() - 1; i >= 0; i--) {
                if (dumps.get(i).verified()) {
                    return dumps.get(i);
                }
            }
            return null;
        }
    }

    public DumpHistory {
        dumps = List.copyOf(dumps);
        skipped = List.copyOf(skipped);
    }

    /**
     * Reads the manifests in {@code directory}. A manifest that cannot be read or is not one of this tool's, a dump
     * that is not there as its manifest says, and any other entry is skipped with its reason; none of them is an
     * error.
     *
     * @param ignored names in the directory to leave out altogether (the report itself, when it is written there)
     * @throws IOException when the directory cannot be listed
     */
    public static DumpHistory read(Path directory, Set<String> ignored) throws IOException, InterruptedException {
        List<Dump> dumps = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        // names a manifest accounts for: the manifest itself and the dump it describes (or would)
        Set<String> accounted = new HashSet<>(ignored);
        for (Path manifestPath : Retention.manifestsIn(directory)) {
            String manifestName = manifestPath.getFileName().toString();
            String dumpName = manifestName.substring(0, manifestName.length() - DumpNames.MANIFEST_SUFFIX.length());
            if (ignored.contains(manifestName)) {
                continue;
            }
            boolean dumpThere = Files.exists(directory.resolve(dumpName), LinkOption.NOFOLLOW_LINKS);
            String problem;
            Manifest manifest = null;
            try {
                manifest = Manifest.read(manifestPath);
                problem = Retention.problemOf(manifest);
            } catch (DamagedDumpException e) {
                problem = e.problem();
            } catch (IOException e) {
                problem = "its manifest " + manifestName + " cannot be read: " + e.getMessage();
            }
            accounted.add(manifestName);
            if (problem == null) {
                accounted.add(dumpName);
                dumps.add(new Dump(manifest));
            } else if (dumpThere) {
                accounted.add(dumpName);
                skipped.add(new Skipped(dumpName, problem));
            } else if (manifest != null) {
                skipped.add(new Skipped(dumpName, problem));
            } else {
                // a JSON file beside nothing of its name: not a manifest at all, most likely
                skipped.add(new Skipped(manifestName, "not the manifest of a dump in this directory: " + problem));
            }
        }
        for (String name : otherEntries(directory)) {
            if (accounted.contains(name)) {
                continue;
            }
            skipped.add(new Skipped(name, name.endsWith(DumpNames.PARTIAL_SUFFIX)
                    ? "still being written, or left by a dump or manifest that was interrupted"
                    : "it has no manifest " + name + DumpNames.MANIFEST_SUFFIX + " beside it: not a dump of this"
                    + " tool, or one whose manifest was removed"));
        }
        dumps.sort(Comparator.comparing(Dump::startedAt).thenComparing(Dump::file).reversed());
        skipped.sort(Comparator.comparing(Skipped::file));
        return new DumpHistory(directory, Instant.now(), dumps, skipped);
    }

    private static Set<String> otherEntries(Path directory) throws IOException {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return names;
    }

    /** The dumps grouped by their databases, each series oldest first; the series by their newest dump, newest first. */
    public List<Series> series() {
        Map<String, List<Dump>> byDatabases = new LinkedHashMap<>();
        for (Dump dump : dumps) {
            byDatabases.computeIfAbsent(dump.databases(), key -> new ArrayList<>()).add(0, dump);
        }
        List<Series> series = new ArrayList<>();
        byDatabases.forEach((databases, list) -> series.add(new Series(databases, List.copyOf(list))));
        return series;
    }

    /** How long before {@link #generatedAt} an instant was; never negative (a clock set back reads as now). */
    public Duration age(Instant at) {
        Duration age = Duration.between(at, generatedAt);
        return age.isNegative() ? Duration.ZERO : age;
    }

    /** What {@code report --json} prints. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("directory", directory.toString());
        map.put("generatedAt", generatedAt.toString());
        map.put("dumps", dumps.stream().map(Dump::toMap).toList());
        map.put("skipped", skipped.stream().map(Skipped::toMap).toList());
        return map;
    }
}
