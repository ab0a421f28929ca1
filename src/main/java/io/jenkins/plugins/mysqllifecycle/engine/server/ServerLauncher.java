package io.jenkins.plugins.mysqllifecycle.engine.server;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.StopTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.host.CommandResult;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.tools.Installation;
import io.jenkins.plugins.mysqllifecycle.engine.tools.OptionFile;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import io.jenkins.plugins.mysqllifecycle.engine.util.WaitLoop;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a server on a data directory (creating it first when asked), detached from the caller, and returns only
 * once the server answers SQL. A server that dies during start-up fails the start at once, with the last lines of
 * its error log; one that is not ready within the ready timeout is stopped again (SIGTERM, then SIGKILL after
 * {@link #HALF_STARTED_GRACE}).
 */
public final class ServerLauncher {
    static final Duration HALF_STARTED_GRACE = Duration.ofSeconds(10);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SHORT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final int ERROR_LOG_LINES = 20;
    /** Picking a free port and binding it are not atomic: another process may take it in between. */
    private static final int FREE_PORT_ATTEMPTS = 3;

    private final Host host;
    private final Log log;

    public ServerLauncher(Host host, PrintStream log) {
        this.host = host;
        this.log = new Log(log);
    }

    public ServerHandle start(ServerSpec spec) throws EngineException, InterruptedException {
        String datadir = host.absolutePath(spec.datadir());
        String pidFile = spec.pidFile() != null ? host.absolutePath(spec.pidFile()) : datadir + "/mysqld.pid";
        String socket = spec.socket() != null ? host.absolutePath(spec.socket()) : datadir + "/mysqld.sock";
        if (socket.getBytes(StandardCharsets.UTF_8).length > ServerSpec.MAX_SOCKET_PATH_BYTES) {
            throw new InvalidSpecException("The socket path " + socket + " is longer than the "
                    + ServerSpec.MAX_SOCKET_PATH_BYTES + " bytes a Unix socket path may have; give a shorter one"
                    + " with socket (--socket).");
        }
        Installation installation = Installation.ofServer(host, spec.mysqld());
        OptionFile.checkDefaultsFile(host, spec.defaultsFile());
        // what the input names is checked before anything is made: a bad value is exit 2 with nothing written
        refuseIfNotADirectory(datadir);
        String osUser = serverAccount(spec);
        if (osUser != null) {
            refuseIfNoSuchAccount(osUser);
        }
        refuseIfInUse(datadir, pidFile);
        String tmpdir = prepareTmpdir(datadir, osUser);
        prepareDatadir(installation, datadir, tmpdir, osUser, spec);
        ErrorLog errorLog = ErrorLog.prepare(host, datadir + "/error.log", osUser);

        for (int attempt = 1; ; attempt++) {
            int port = spec.port() != 0 ? spec.port() : freePort(spec.bindAddress());
            try {
                return launch(installation, spec, datadir, tmpdir, port, socket, pidFile, osUser, errorLog);
            } catch (PortInUseException taken) {
                if (spec.port() != 0 || attempt == FREE_PORT_ATTEMPTS) {
                    throw taken;
                }
                log.info("port " + port + " was taken between picking and binding it; picking another");
            }
        }
    }

    private ServerHandle launch(Installation installation, ServerSpec spec, String datadir, String tmpdir, int port,
                                String socket, String pidFile, String osUser, ErrorLog errorLog)
            throws EngineException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(installation.server());
        command.add(spec.defaultsFile() != null ? "--defaults-file=" + spec.defaultsFile() : "--no-defaults");
        command.add("--datadir=" + datadir);
        command.add("--tmpdir=" + tmpdir);
        command.add("--port=" + port);
        command.add("--socket=" + socket);
        command.add("--pid-file=" + pidFile);
        command.add("--bind-address=" + spec.bindAddress());
        command.add("--log-error=" + errorLog.path());
        if (osUser != null) {
            command.add("--user=" + osUser);
        }
        if (installation.flavor() == Flavor.MYSQL) {
            // MySQL 8 also opens the X Protocol port 33060, which a second server on the machine would fight for.
            command.add("--loose-mysqlx=OFF");
            if (!defaultsFileSetsSecureFilePriv(installation, spec.defaultsFile())) {
                command.add(NO_SERVER_SIDE_FILES);
            }
        }

        Log serverLog = log.about(host.describe() + ":" + port);
        Instant startedAt = Instant.now();
        Deadline deadline = Deadline.after(spec.readyTimeout());
        long pid;
        try {
            pid = host.spawnDetached(command, errorLog.path());
        } catch (IOException e) {
            throw new EngineException("Could not spawn " + installation.server() + " on " + host.describe() + ": "
                    + e.getMessage(), e);
        }
        serverLog.info("started " + installation.flavor().name().toLowerCase(java.util.Locale.ROOT) + " "
                + installation.version() + " as pid " + pid + " on " + datadir + "; waiting up to "
                + Durations.describe(spec.readyTimeout()) + " for it to answer SQL");

        WaitLoop.Liveness alive = () -> {
            Optional<ProcessInfo> process = processOrNull(pid);
            if (process.isEmpty() || process.get().hasExited()) {
                throw startupFailure(installation, pid, port, datadir, errorLog);
            }
        };
        try {
            ReadinessCheck.awaitAll(List.of(
                    new PidFileNamesProcess(host, pidFile, pid),
                    new AnswersSql(reach(port), deadline, serverLog)), deadline, alive);
        } catch (OperationTimeoutException notReady) {
            stopHalfStarted(pid, pidFile, serverLog);
            throw new OperationTimeoutException("The server (pid " + pid + ", datadir " + datadir + ") was not ready"
                    + " within the ready timeout of " + Durations.describe(spec.readyTimeout()) + ": "
                    + notReady.getMessage() + ". It was stopped again. Last lines of " + errorLog.path() + ":\n"
                    + errorLog.lastLines(ERROR_LOG_LINES), notReady);
        } catch (InterruptedException interrupted) {
            serverLog.info("interrupted while waiting for the server to become ready; stopping it");
            stopHalfStarted(pid, pidFile, serverLog);
            throw interrupted;
        }

        long readyMillis = deadline.elapsed().toMillis();
        ProcessInfo process = processOrNull(pid).orElseThrow(
                () -> startupFailure(installation, pid, port, datadir, errorLog));
        ServerHandle handle = new ServerHandle(host.describe(), pid, port, socket, pidFile, datadir, errorLog.path(),
                installation.version(), installation.flavor(), startedAt, readyMillis, process.startTicks());
        try {
            host.writeFile(ServerHandle.recordPathFor(pidFile), Json.write(handle.toMap()) + "\n");
        } catch (IOException e) {
            serverLog.warn("could not write the start record " + ServerHandle.recordPathFor(pidFile) + " ("
                    + e.getMessage() + "); a stop by pid file cannot check the process's start time");
        }
        serverLog.info("ready after " + readyMillis + " ms (pid " + pid + ", socket " + socket + ")");
        return handle;
    }

    /**
     * MySQL builds have a compiled-in secure_file_priv directory (Debian's and Oracle's: /var/lib/mysql-files) that
     * only the distribution's full server package creates; without it the server refuses to start. NULL turns
     * server-side file import and export off (LOAD DATA without LOCAL, SELECT ... INTO OUTFILE, LOAD_FILE()): the
     * engine uses none of them, and it is the most restrictive value, where an empty value would open every
     * directory the server's account can reach.
     */
    static final String NO_SERVER_SIDE_FILES = "--secure-file-priv=NULL";

    /** Whether the caller's defaults file chooses secure_file_priv itself, as the server would read it. */
    private boolean defaultsFileSetsSecureFilePriv(Installation installation, String defaultsFile)
            throws EngineException, InterruptedException {
        if (defaultsFile == null) {
            return false;
        }
        // the server's own reading of the file, with its !include directives and option groups
        CommandResult printed = run(List.of(installation.server(), "--defaults-file=" + defaultsFile,
                "--print-defaults"), "read the defaults file " + defaultsFile, SHORT_COMMAND_TIMEOUT);
        return printed.stdout().contains("--secure_file_priv=") || printed.stdout().contains("--secure-file-priv=");
    }

    private String serverAccount(ServerSpec spec) throws EngineException, InterruptedException {
        boolean root;
        try {
            root = host.isRoot();
        } catch (IOException e) {
            throw new EngineException("Cannot tell which user runs on " + host.describe() + ": " + e.getMessage(), e);
        }
        if (root) {
            return spec.osUser() != null ? spec.osUser() : ServerSpec.DEFAULT_OS_USER;
        }
        if (spec.osUser() != null) {
            log.warn("osUser " + spec.osUser() + " applies only when the engine runs as root; the server runs as"
                    + " the current user");
        }
        return null;
    }

    /** A datadir path that is there must be a directory; a missing one is made by initialize. */
    private void refuseIfNotADirectory(String datadir) throws EngineException, InterruptedException {
        try {
            if (host.run(List.of("test", "-e", datadir), SHORT_COMMAND_TIMEOUT).succeeded()
                    && !host.run(List.of("test", "-d", datadir), SHORT_COMMAND_TIMEOUT).succeeded()) {
                throw new InvalidSpecException("The data directory " + datadir + " (--datadir) is a file, not a"
                        + " directory; give a directory (a missing or empty one, with --initialize, for a new"
                        + " server).");
            }
        } catch (IOException e) {
            throw new EngineException("Cannot check the data directory " + datadir + " on " + host.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private void refuseIfNoSuchAccount(String osUser) throws EngineException, InterruptedException {
        try {
            if (!host.run(List.of("id", "-u", "--", osUser), SHORT_COMMAND_TIMEOUT).succeeded()) {
                throw new InvalidSpecException("There is no account " + osUser + " (--os-user) on " + host.describe()
                        + " to run the server as; give an existing account (the default is "
                        + ServerSpec.DEFAULT_OS_USER + ").");
            }
        } catch (IOException e) {
            throw new EngineException("Cannot look up the account " + osUser + " on " + host.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private void refuseIfInUse(String datadir, String pidFile) throws EngineException {
        try {
            Optional<String> recorded = host.readFile(pidFile).map(String::strip);
            // a pid has at most 7 digits on Linux; anything longer is a damaged or foreign pid file, not a server
            if (recorded.isPresent() && recorded.get().matches("\\d{1,18}")) {
                Optional<ProcessInfo> owner = host.process(Long.parseLong(recorded.get()));
                if (owner.isPresent() && !owner.get().hasExited() && owner.get().isMysqlServer()) {
                    throw inUse(datadir, owner.get(), pidFile);
                }
            }
            List<ProcessInfo> servers = new ArrayList<>();
            for (ProcessInfo process : host.processes()) {
                if (!process.hasExited() && process.isMysqlServer()) {
                    servers.add(process);
                }
            }
            if (servers.isEmpty()) {
                return;
            }
            // a link, or a path through one, names the same directory: paths are compared with links resolved, all
            // in one command (a command per server cost about 8 ms of every start on a machine running a few)
            List<String> paths = new ArrayList<>();
            paths.add(datadir);
            for (ProcessInfo process : servers) {
                Optional<String> named = process.option("--datadir")
                        .map(dir -> stripTrailingSlash(host.absolutePath(dir)));
                if (named.filter(datadir::equals).isPresent()) {
                    throw inUse(datadir, process, pidFile);
                }
                paths.add(named.orElse(""));
                // a server works in its data directory (it changes into it at start-up), whatever its command line
                paths.add("/proc/" + process.pid() + "/cwd");
            }
            List<String> resolved = realPaths(paths);
            String real = resolved.get(0).isEmpty() ? datadir : resolved.get(0);
            for (int i = 0; i < servers.size(); i++) {
                if (real.equals(resolved.get(1 + 2 * i)) || real.equals(resolved.get(2 + 2 * i))) {
                    throw inUse(datadir, servers.get(i), pidFile);
                }
            }
        } catch (IOException e) {
            throw new EngineException("Cannot check whether " + datadir + " is in use on " + host.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Each path with every link resolved ({@code readlink -m}: missing parts are kept as they are), in one command;
     * "" for an empty path or one that cannot be read (another user's /proc entry, for a non-root engine).
     */
    private List<String> realPaths(List<String> paths) throws IOException, EngineException {
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "for p; do if [ -n \"$p\" ] && readlink -zm -- \"$p\"; then :; else printf '\\0'; fi; done", "sh"));
        command.addAll(paths);
        try {
            CommandResult result = host.run(command, SHORT_COMMAND_TIMEOUT);
            String[] names = result.stdout().split("\0", -1);
            if (!result.succeeded() || names.length < paths.size()) {
                throw new IOException("resolving links with readlink failed: " + result.stderr().strip());
            }
            List<String> resolved = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                resolved.add(stripTrailingSlash(names[i]));
            }
            return resolved;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("Interrupted while checking whether a data directory is in use", e);
        }
    }

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private EngineException inUse(String datadir, ProcessInfo owner, String pidFile) {
        return new EngineException("The data directory " + datadir + " is already used by a running server, "
                + owner.describe() + ". Stop it first (mysql-lifecycle stop --pid-file " + pidFile
                + ") or give another data directory.");
    }

    /**
     * The directory beside the datadir where the server keeps its temporary files. Servers sharing /tmp delete each
     * other's: a starting MariaDB removes the #sql temporary files it finds there, failing another server's query
     * (or installation) with "Error on delete of '/tmp/#sql-temptable…'".
     */
    public static String tmpdirFor(String datadir) {
        return datadir + ".tmp";
    }

    /** Made (and given to the server's account) once, with the datadir; a start that finds it spends no command. */
    private String prepareTmpdir(String datadir, String osUser) throws EngineException, InterruptedException {
        String tmpdir = tmpdirFor(datadir);
        try {
            if (host.listDirectory(tmpdir).isPresent()) {
                return tmpdir;
            }
        } catch (IOException e) {
            throw new EngineException("Cannot read " + tmpdir + ": " + e.getMessage(), e);
        }
        run(List.of("mkdir", "-p", tmpdir), "create " + tmpdir, SHORT_COMMAND_TIMEOUT);
        if (osUser != null) {
            ensureOwnedBy(tmpdir, osUser);
        }
        return tmpdir;
    }

    private void prepareDatadir(Installation installation, String datadir, String tmpdir, String osUser,
                                ServerSpec spec) throws EngineException, InterruptedException {
        Optional<List<String>> entries;
        try {
            entries = host.listDirectory(datadir);
        } catch (IOException e) {
            throw new EngineException("Cannot read the data directory " + datadir + ": " + e.getMessage(), e);
        }
        boolean empty = entries.isEmpty() || entries.get().isEmpty();
        if (empty) {
            if (!spec.initialize()) {
                throw new InvalidSpecException("The data directory " + datadir + " is "
                        + (entries.isEmpty() ? "missing" : "empty") + "; ask for initialize (--initialize) to"
                        + " create a new one there.");
            }
            initialize(installation, datadir, tmpdir, osUser, spec.defaultsFile());
        } else if (!isDataDirectory(entries.get())) {
            throw new InvalidSpecException("The directory " + datadir + " is not empty and is not a MySQL data"
                    + " directory (it has no mysql system schema; it holds " + preview(entries.get()) + ")."
                    + (spec.initialize() ? " Refusing to initialize it: give an empty or missing directory." : ""));
        } else if (spec.initialize()) {
            log.info(datadir + " already holds a data directory; starting it as it is");
        }
        if (osUser != null) {
            ensureOwnedBy(datadir, osUser);
        }
    }

    static boolean isDataDirectory(List<String> entries) {
        return entries.contains("mysql") || entries.contains("mysql.ibd") || entries.contains("ibdata1");
    }

    private static String preview(List<String> entries) {
        List<String> shown = entries.subList(0, Math.min(5, entries.size()));
        return String.join(", ", shown) + (entries.size() > shown.size() ? ", ..." : "");
    }

    private void initialize(Installation installation, String datadir, String tmpdir, String osUser,
                            String defaultsFile) throws EngineException, InterruptedException {
        List<String> command = new ArrayList<>();
        String defaults = defaultsFile != null ? "--defaults-file=" + defaultsFile : "--no-defaults";
        if (installation.flavor() == Flavor.MARIADB) {
            String tool = installation.findTool(installation.flavor().installTools()).orElseThrow(
                    () -> new EngineException("mariadb-install-db was not found on " + host.describe() + " beside "
                            + installation.server() + " or on PATH. Install the full server package (Debian:"
                            + " apt-get install -y mariadb-server)."));
            command.addAll(List.of(tool, defaults, "--datadir=" + datadir,
                    // root logs in over TCP from 127.0.0.1 with an empty password, as readiness and the demo do
                    "--auth-root-authentication-method=normal", "--skip-test-db", "--tmpdir=" + tmpdir));
        } else {
            command.addAll(List.of(installation.server(), defaults, "--initialize-insecure",
                    "--datadir=" + datadir, "--tmpdir=" + tmpdir));
        }
        if (osUser != null) {
            command.add("--user=" + osUser);
        }
        run(List.of("mkdir", "-p", datadir), "create " + datadir, SHORT_COMMAND_TIMEOUT);
        if (osUser != null) {
            ensureOwnedBy(datadir, osUser);
        }
        log.info("initializing a new data directory in " + datadir + " with " + command.get(0));
        Deadline took = Deadline.after(INSTALL_TIMEOUT);
        run(command, "initialize the data directory " + datadir, INSTALL_TIMEOUT);
        log.info("initialized " + datadir + " in " + Durations.describe(took.elapsed()));
    }

    private void ensureOwnedBy(String path, String user) throws EngineException, InterruptedException {
        String owner;
        try {
            owner = host.ownerOf(path);
        } catch (IOException e) {
            throw new EngineException("Could not read the owner of " + path + " on " + host.describe() + ": "
                    + e.getMessage(), e);
        }
        if (!owner.equals(user)) {
            log.info("giving " + path + " to the server's account " + user);
            run(List.of("chown", "-R", user + ":", path), "give " + path + " to " + user, INSTALL_TIMEOUT);
        }
    }

    private CommandResult run(List<String> command, String purpose, Duration timeout)
            throws EngineException, InterruptedException {
        try {
            CommandResult result = host.run(command, timeout);
            if (!result.succeeded()) {
                throw new EngineException("Could not " + purpose + " on " + host.describe() + ": "
                        + String.join(" ", command) + " exited with " + result.exitCode() + ": "
                        + result.diagnostics());
            }
            return result;
        } catch (IOException e) {
            throw new EngineException("Could not " + purpose + " on " + host.describe() + ": " + e.getMessage(), e);
        }
    }

    private java.net.InetSocketAddress reach(int port) throws EngineException {
        try {
            return host.loopbackAddress(port);
        } catch (IOException e) {
            throw new EngineException("Cannot reach port " + port + " on " + host.describe() + ": " + e.getMessage(),
                    e);
        }
    }

    private int freePort(String bindAddress) throws EngineException {
        try {
            return host.freePort(bindAddress);
        } catch (IOException e) {
            throw new EngineException("Cannot find a free port on " + host.describe() + ": " + e.getMessage(), e);
        }
    }

    private Optional<ProcessInfo> processOrNull(long pid) throws EngineException {
        try {
            return host.process(pid);
        } catch (IOException e) {
            throw new EngineException("Cannot read /proc/" + pid + " on " + host.describe() + ": " + e.getMessage(),
                    e);
        }
    }

    private EngineException startupFailure(Installation installation, long pid, int port, String datadir,
                                           ErrorLog errorLog) {
        String lines;
        try {
            lines = errorLog.lastLines(ERROR_LOG_LINES);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            lines = "(interrupted while reading " + errorLog.path() + ")";
        }
        String message = installation.server() + " (pid " + pid + ") exited during start-up on " + host.describe()
                + " with datadir " + datadir + " before it answered SQL" + firstError(lines) + "." + hint(lines, port)
                + " Last lines of " + errorLog.path() + ":\n" + lines;
        return lines.contains("Address already in use") ? new PortInUseException(message) : new EngineException(message);
    }

    /** The server's own first error line, which usually names the cause. */
    private static String firstError(String errorLines) {
        for (String line : errorLines.split("\n")) {
            int error = line.indexOf("[ERROR] ");
            if (error >= 0) {
                return ": " + line.substring(error + "[ERROR] ".length()).strip();
            }
        }
        return "";
    }

    private static String hint(String errorLines, int port) {
        if (errorLines.contains("Address already in use")) {
            return " Port " + port + " is taken by another process: give another port, or 0 to pick a free one.";
        }
        if (errorLines.contains("Permission denied") || errorLines.contains("Errcode: 13")) {
            return " The server's account cannot read or write a file it needs: check the owner and mode of the"
                    + " data directory, its parent directories, and the socket and pid file locations.";
        }
        if (errorLines.contains("unknown variable") || errorLines.contains("unknown option")) {
            return " An option the server does not know was given, probably in the defaults file.";
        }
        return "";
    }

    private void stopHalfStarted(long pid, String pidFile, Log serverLog) throws EngineException {
        boolean interrupted = Thread.interrupted();
        try {
            Optional<ProcessInfo> process = processOrNull(pid);
            if (process.isPresent() && !process.get().hasExited()) {
                new ServerStopper(host, log).terminate(process.get(), HALF_STARTED_GRACE, true, pidFile, serverLog);
            }
        } catch (StopTimeoutException forced) {
            serverLog.info("the half-started server ignored SIGTERM and was killed");
        } catch (IOException | InterruptedException e) {
            serverLog.warn("could not stop the half-started server pid " + pid + ": " + e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final class PortInUseException extends EngineException {
        private static final long serialVersionUID = 1L;

        PortInUseException(String message) {
            super(message);
        }
    }
}
