package io.jenkins.plugins.mysqllifecycle.engine.tools;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.host.CommandResult;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A MySQL or MariaDB installation on a host: where its programs are, which flavor and version it is. */
public final class Installation {

    static final List<String> SERVER_NAMES = List.of("mariadbd", "mysqld");
    static final List<String> WELL_KNOWN_DIRECTORIES = List.of("/usr/sbin", "/usr/local/mysql/bin", "/usr/bin",
            "/usr/local/bin");
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);

    private final Host host;
    private final String server;
    private final Flavor flavor;
    private final String version;

    private Installation(Host host, String server, Flavor flavor, String version) {
        this.host = host;
        this.server = server;
        this.flavor = flavor;
        this.version = version;
    }

    /** The server binary given, or the first of mariadbd and mysqld found on PATH or in the usual directories. */
    public static Installation ofServer(Host host, String serverPath) throws EngineException, InterruptedException {
        String server = serverPath != null ? serverPath : findServer(host);
        String versionLine = host instanceof LocalHost ? LOCAL_VERSIONS.versionOf(host, server)
                : versionOf(host, server, "--mysqld");
        return new Installation(host, server, Flavor.fromVersionOutput(versionLine), ToolVersion.parse(versionLine));
    }

    private static final LocalVersions LOCAL_VERSIONS = new LocalVersions();

    /**
     * {@code mysqld --version} costs about 30 ms, a third of what a start on a warm agent adds to the server's own
     * start-up; on this machine a binary's answer holds until the file changes (an upgrade replaces it).
     */
    private static final class LocalVersions {
        private record Key(String path, Object fileKey, long size, long modified) {
        }

        private final java.util.Map<Key, String> known = new java.util.concurrent.ConcurrentHashMap<>();

        public String versionOf(Host host, String server) throws EngineException, InterruptedException {
            Key key;
            try {
                var attributes = java.nio.file.Files.readAttributes(java.nio.file.Path.of(server),
                        java.nio.file.attribute.BasicFileAttributes.class);
                key = new Key(server, attributes.fileKey(), attributes.size(),
                        attributes.lastModifiedTime().toMillis());
            } catch (IOException | java.nio.file.InvalidPathException e) {
                return Installation.versionOf(host, server, "--mysqld"); // it explains what is wrong with the path
            }
            String cached = known.get(key);
            if (cached != null) {
                return cached;
            }
            String version = Installation.versionOf(host, server, "--mysqld");
            known.put(key, version);
            return version;
        }
    }

    private static String findServer(Host host) throws EngineException {
        for (String name : SERVER_NAMES) {
            Optional<String> found = find(host, name, List.of());
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new EngineException("No MySQL or MariaDB server (mariadbd or mysqld) found on " + host.describe()
                + " in PATH or " + WELL_KNOWN_DIRECTORIES + ". Install one (Debian: apt-get install -y mariadb-server)"
                + " or give its path with --mysqld.");
    }

    /** Runs {@code program --version}; a missing or unrunnable program is bad input named after {@code option}. */
    public static String versionOf(Host host, String program, String option) throws EngineException, InterruptedException {
        CommandResult result;
        try {
            result = host.run(List.of(program, "--version"), VERSION_TIMEOUT);
            // asked only after a failure: on an SSH host every question is a round trip
            if (!result.succeeded() && program.contains("/") && host.firstExecutable(List.of(program)).isEmpty()) {
                throw new InvalidSpecException(option + " " + program + " is not an executable file on "
                        + host.describe() + ". Give the path of an installed server or tool.");
            }
        } catch (IOException e) {
            if (program.contains("/")) {
                throw new InvalidSpecException(option + " " + program + " is not an executable file on "
                        + host.describe() + ". Give the path of an installed server or tool.");
            }
            throw new InvalidSpecException(option + " " + program + " cannot be run on " + host.describe() + ": "
                    + e.getMessage() + ". Give the path of an installed, executable program.");
        }
        if (!result.succeeded()) {
            throw new InvalidSpecException(option + " " + program + " --version failed with exit code "
                    + result.exitCode() + ": " + result.diagnostics());
        }
        return result.stdout().strip();
    }

    /** The first executable called {@code name} in {@code preferred}, then PATH, then the usual directories. */
    public static Optional<String> find(Host host, String name, List<String> preferred) throws EngineException {
        try {
            List<String> directories = new ArrayList<>(preferred);
            directories.addAll(host.searchPath());
            directories.addAll(WELL_KNOWN_DIRECTORIES);
            return host.firstExecutable(directories.stream().filter(directory -> !directory.isEmpty()).distinct()
                    .map(directory -> directory + "/" + name).toList());
        } catch (IOException e) {
            throw new EngineException("Could not search for " + name + " on " + host.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    /** A client tool found on a host, with the flavor and version its {@code --version} names. */
    public record FoundTool(String path, Flavor flavor, String version) {
        public String describe() {
            return path + " (" + (flavor == Flavor.MARIADB ? "MariaDB " : "MySQL ") + version + ")";
        }
    }

    /**
     * Every program called one of {@code names} in {@code preferred}, then PATH, then the usual directories, in that
     * order, with its flavor: a name says little, since Debian's MariaDB client installs mysqldump as a link to
     * mariadb-dump. Programs whose {@code --version} fails are left out.
     */
    public static List<FoundTool> findTools(Host host, List<String> names, List<String> preferred)
            throws EngineException, InterruptedException {
        List<String> directories = new ArrayList<>(preferred);
        try {
            directories.addAll(host.searchPath());
        } catch (IOException e) {
            throw new EngineException("Could not read PATH on " + host.describe() + ": " + e.getMessage(), e);
        }
        directories.addAll(WELL_KNOWN_DIRECTORIES);
        List<FoundTool> found = new ArrayList<>();
        for (String name : names) {
            for (String directory : directories.stream().filter(d -> !d.isEmpty()).distinct().toList()) {
                String path = directory + "/" + name;
                try {
                    if (host.firstExecutable(List.of(path)).isEmpty()) {
                        continue;
                    }
                } catch (IOException e) {
                    throw new EngineException("Could not search for " + name + " on " + host.describe() + ": "
                            + e.getMessage(), e);
                }
                try {
                    String versionLine = versionOf(host, path, name);
                    found.add(new FoundTool(path, Flavor.fromVersionOutput(versionLine),
                            ToolVersion.parse(versionLine)));
                } catch (InvalidSpecException unusable) {
                    // a broken installation is as good as none; the next candidate may work
                }
            }
        }
        return found;
    }

    /** The first of {@code names} found beside the server binary (or its ../bin), on PATH, or in the usual places. */
    public Optional<String> findTool(List<String> names) throws EngineException {
        List<String> besideServer = new ArrayList<>();
        int slash = server.lastIndexOf('/');
        if (slash > 0) {
            String directory = server.substring(0, slash);
            besideServer.add(directory);
            besideServer.add(directory.replaceFirst("/sbin$", "/bin"));
        }
        for (String name : names) {
            Optional<String> found = find(host, name, besideServer);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    public String server() {
        return server;
    }

    public Flavor flavor() {
        return flavor;
    }

    public String version() {
        return version;
    }
}
