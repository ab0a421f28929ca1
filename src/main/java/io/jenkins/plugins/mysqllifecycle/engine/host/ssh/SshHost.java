package io.jenkins.plugins.mysqllifecycle.engine.host.ssh;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.Signal;
import io.jenkins.plugins.mysqllifecycle.engine.SshTarget;
import io.jenkins.plugins.mysqllifecycle.engine.host.CommandResult;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.host.OutputTail;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.host.RunningCommand;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.Session;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A machine reached over SSH (JSch), for VM guests without a Jenkins agent. Every primitive is a short POSIX shell
 * command run over an exec channel, so the engine's operations are the same code as on {@link LocalHost}; the server
 * is reached for readiness through a local port forward, so it can stay bound to the remote 127.0.0.1.
 */
public final class SshHost implements Host {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final int KEEPALIVE_MILLIS = 15_000;
    private static final int KEEPALIVE_COUNT = 4;
    private static final Duration DESTROY_GRACE = Duration.ofSeconds(5);
    /** Marks "no such file or process" in the exit status of the small scripts below. */
    private static final int ABSENT = 3;

    private final SshTarget target;
    private final Session session;
    private final Map<Integer, Integer> forwards = new HashMap<>();
    private final String home;
    private final boolean root;
    private final List<String> searchPath;

    /**
     * Asks the account's shell once for what stays the same through the session: each command costs a round trip
     * and a start of that shell, which reads its rc files (100 ms each on some machines).
     */
    private SshHost(SshTarget target, Session session) throws IOException, InterruptedException,
            OperationTimeoutException {
        this.target = target;
        this.session = session;
        CommandResult account = run(List.of("sh", "-c", "pwd && id -u && printf '%s\\n' \"$PATH\""),
                COMMAND_TIMEOUT);
        String[] lines = account.stdout().split("\n");
        if (!account.succeeded() || lines.length < 3) {
            throw new IOException("a shell command failed with exit code " + account.exitCode() + ": "
                    + account.diagnostics() + " (does the account have a login shell?)");
        }
        this.home = lines[0].strip();
        this.root = lines[1].strip().equals("0");
        this.searchPath = List.of(lines[2].strip().split(":"));
    }

    /** Opens the connection, with a clear error for each way it can fail. */
    public static SshHost connect(SshTarget target, PrintStream logStream) throws EngineException,
            InterruptedException {
        Log log = new Log(logStream).about("ssh " + target.describe());
        JSch jsch = new JSch();
        String knownHosts = target.knownHosts() != null ? target.knownHosts()
                : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts").toString();
        KnownHostsCheck hostKeys;
        Session session;
        try {
            if (java.nio.file.Files.exists(Path.of(knownHosts))) {
                jsch.setKnownHosts(knownHosts);
            }
            hostKeys = new KnownHostsCheck(jsch.getHostKeyRepository(), knownHosts, target.hostKeyCheck(), log);
            jsch.setHostKeyRepository(hostKeys);
            if (target.identityFile() != null) {
                jsch.addIdentity(target.identityFile(), passphrase(target));
            }
            for (int i = 0; i < target.identityKeys().size(); i++) {
                // a fresh copy of each: JSch clears the arrays it is given
                jsch.addIdentity("key " + (i + 1) + " given as text", target.identityKeys().get(i).reveal(), null,
                        passphrase(target));
            }
            session = jsch.getSession(target.user(), target.host(), target.port());
        } catch (JSchException e) {
            throw new InvalidSpecException("Cannot use the private key " + target.describeKey() + " for "
                    + target.describe() + ": " + e.getMessage() + ". Check that " + (target.identityFile() != null
                    ? "the file exists, is readable, is" : "it is") + " an OpenSSH or PEM private key, and that the"
                    + " passphrase is right.");
        }
        session.setConfig("StrictHostKeyChecking", "yes");
        session.setConfig("PreferredAuthentications", target.password() != null ? "password" : "publickey");
        if (target.password() != null) {
            session.setPassword(target.password().reveal());
        }
        try {
            session.setServerAliveInterval(KEEPALIVE_MILLIS);
            session.setServerAliveCountMax(KEEPALIVE_COUNT);
            session.connect((int) target.connectTimeout().toMillis());
        } catch (JSchException e) {
            throw connectFailure(target, e, hostKeys, knownHosts);
        }
        try {
            SshHost host = new SshHost(target, session);
            log.info("connected");
            return host;
        } catch (IOException | OperationTimeoutException e) {
            session.disconnect();
            throw new EngineException("Connected to " + target.describe() + " but cannot run commands there: "
                    + e.getMessage(), e);
        }
    }

    private static byte[] passphrase(SshTarget target) {
        return target.passphrase() == null ? null : target.passphrase().reveal().getBytes(StandardCharsets.UTF_8);
    }

    private static EngineException connectFailure(SshTarget target, JSchException e, KnownHostsCheck hostKeys,
                                                  String knownHosts) {
        String where = target.describe();
        if (e instanceof JSchChangedHostKeyException) {
            return new EngineException("REFUSED: the host key of " + where + " has CHANGED. It presented "
                    + hostKeys.presentedFingerprint() + ", but " + knownHosts + " has " + hostKeys.knownFingerprints()
                    + ". This can be a reinstalled host or a man in the middle; if you know the change is legitimate,"
                    + " remove the old key (ssh-keygen -R " + target.host() + " -f " + knownHosts + ") and connect"
                    + " again.");
        }
        if (e instanceof JSchUnknownHostKeyException) {
            return new EngineException("REFUSED: the host key of " + where + " (" + hostKeys.presentedFingerprint()
                    + ") is not in " + knownHosts + ". Verify it and add it (ssh-keyscan -p " + target.port() + " "
                    + target.host() + " >> " + knownHosts + "), or use host key check acceptNew to add unknown keys"
                    + " on first contact.");
        }
        Throwable cause = e.getCause();
        if (cause instanceof UnknownHostException) {
            return new EngineException("Unknown host " + target.host() + ": the name does not resolve.");
        }
        if (cause instanceof ConnectException) {
            return new EngineException("Connection refused by " + target.host() + ":" + target.port()
                    + ": no SSH server listens there (is sshd running, is the port right?).");
        }
        if (cause instanceof NoRouteToHostException) {
            return new EngineException("No route to " + target.host() + ": " + cause.getMessage());
        }
        String message = String.valueOf(e.getMessage());
        if (cause instanceof SocketTimeoutException || message.contains("timeout")) {
            return new EngineException("Timed out after " + Durations.describe(target.connectTimeout())
                    + " connecting to " + where + ".");
        }
        if (message.contains("Auth fail") || message.contains("USERAUTH fail")) {
            return new EngineException("Authentication failed for user " + target.user() + " at " + where
                    + (target.password() != null ? " with the password given" : " with the key "
                    + target.describeKey()) + ". Check the user name, that the public key is in that user's"
                    + " authorized_keys, and the key's passphrase.");
        }
        return new EngineException("Cannot connect to " + where + ": " + message, e);
    }

    @Override
    public String describe() {
        return target.describe();
    }

    @Override
    public boolean isRoot() {
        return root;
    }

    /** POSIX shell quoting: one argument, whatever it holds. */
    static String quote(String argument) {
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    static String commandLine(List<String> command) {
        StringBuilder line = new StringBuilder();
        for (String argument : command) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(quote(argument));
        }
        return line.toString();
    }

    private ChannelExec open(List<String> command, byte[] stdin) throws IOException {
        if (!session.isConnected()) {
            throw new IOException("the SSH connection to " + describe() + " was lost");
        }
        try {
            ChannelExec channel = (ChannelExec) session.openChannel("exec");
            if (channel == null) { // what JSch returns when the session went down a moment ago
                throw new IOException("the SSH connection to " + describe() + " was lost");
            }
            channel.setCommand(commandLine(command));
            channel.setInputStream(new ByteArrayInputStream(stdin == null ? new byte[0] : stdin));
            return channel;
        } catch (JSchException e) {
            throw new IOException("cannot open a channel to " + describe() + ": " + e.getMessage(), e);
        }
    }

    private void connect(ChannelExec channel) throws IOException {
        try {
            channel.connect((int) target.connectTimeout().toMillis());
        } catch (JSchException e) {
            throw new IOException("cannot start a command on " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout)
            throws IOException, InterruptedException, OperationTimeoutException {
        return run(command, null, timeout);
    }

    CommandResult run(List<String> command, byte[] stdin, Duration timeout)
            throws IOException, InterruptedException, OperationTimeoutException {
        Deadline deadline = Deadline.after(timeout); // starting the command counts against its time
        ChannelExec channel = open(command, stdin);
        OutputTail stdout = new OutputTail(channel.getInputStream(), "ssh stdout of " + command.get(0));
        OutputTail stderr = new OutputTail(channel.getErrStream(), "ssh stderr of " + command.get(0));
        connect(channel);
        try {
            if (!awaitClosed(channel, deadline)) {
                throw new OperationTimeoutException("Timed out after " + Durations.describe(timeout) + " waiting for "
                        + String.join(" ", command) + " on " + describe() + "; it was stopped.", null);
            }
            int exit = exitStatus(channel);
            return new CommandResult(command, exit, stdout.awaitText(1000), stderr.awaitText(1000));
        } finally {
            destroy(channel);
        }
    }

    /**
     * Whether a channel that closed without an exit status did so because the connection broke. JSch closes the
     * channels of a broken session before it marks the session down, so that mark may come a moment later.
     */
    private boolean sessionWentDown() throws InterruptedException {
        Deadline deadline = Deadline.after(Duration.ofSeconds(2));
        while (session.isConnected() && !deadline.hasExpired()) {
            Thread.sleep(5);
        }
        return !session.isConnected();
    }

    private int exitStatus(ChannelExec channel) throws IOException {
        int exit = channel.getExitStatus();
        if (exit < 0 && !session.isConnected()) {
            throw new IOException("the SSH connection to " + describe() + " was lost");
        }
        return exit < 0 ? 255 : exit;
    }

    /** A closed channel has delivered its exit status; polled quickly at first, then every 10 ms. */
    private static boolean awaitClosed(ChannelExec channel, Deadline deadline) throws InterruptedException {
        long pauseMillis = 1;
        while (!channel.isClosed()) {
            if (deadline.hasExpired()) {
                return false;
            }
            Thread.sleep(Math.min(pauseMillis, Math.max(1, deadline.remaining().toMillis())));
            pauseMillis = Math.min(pauseMillis * 2, 10);
        }
        return true;
    }

    private static void destroy(ChannelExec channel) {
        if (!channel.isClosed()) {
            try {
                channel.sendSignal("KILL");
            } catch (Exception ignored) {
                // the channel is closed next whatever the server makes of the signal
            }
        }
        channel.disconnect();
    }

    private CommandResult checked(List<String> command) throws IOException, InterruptedException {
        try {
            CommandResult result = run(command, COMMAND_TIMEOUT);
            if (!result.succeeded() && result.exitCode() != ABSENT) {
                throw new IOException(String.join(" ", command) + " failed on " + describe() + " with exit code "
                        + result.exitCode() + ": " + result.diagnostics());
            }
            return result;
        } catch (OperationTimeoutException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private CommandResult script(String script, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        command.addAll(List.of(arguments));
        return checked(command);
    }

    /**
     * JSch's session thread writes each packet of output straight into {@code stdout}; a pipe to another thread
     * would hand over every packet, and a dump tool's output arrives in packets of 4 KiB.
     */
    @Override
    public RunningCommand start(List<String> command, InputStream stdin, OutputStream stdout) throws IOException {
        ChannelExec channel = open(command, null);
        if (stdin != null) {
            channel.setInputStream(stdin, false);
        }
        channel.setOutputStream(stdout, false);
        OutputTail stderr = new OutputTail(channel.getErrStream(), "ssh stderr of " + command.get(0));
        connect(channel);
        return new RunningCommand() {
            @Override
            public String stderrTail() {
                return stderr.text() + (session.isConnected() ? "" : "\nthe SSH connection to " + describe()
                        + " was lost");
            }

            @Override
            public OptionalInt waitFor(Duration timeout) throws InterruptedException {
                if (!awaitClosed(channel, Deadline.after(timeout))) {
                    return OptionalInt.empty();
                }
                stderr.awaitText(1000);
                int exit = channel.getExitStatus();
                if (exit < 0) {
                    return OptionalInt.of(sessionWentDown() ? -1 : 255);
                }
                return OptionalInt.of(exit);
            }

            @Override
            public void destroy() throws InterruptedException {
                try {
                    channel.sendSignal("TERM");
                } catch (Exception ignored) {
                    // closing the channel below ends the command's output pipe, which ends a dump tool too
                }
                if (!awaitClosed(channel, Deadline.after(DESTROY_GRACE))) {
                    SshHost.destroy(channel);
                }
                channel.disconnect();
            }

            @Override
            public void close() throws InterruptedException {
                if (!channel.isClosed()) {
                    destroy();
                }
                channel.disconnect();
            }
        };
    }

    @Override
    public long spawnDetached(List<String> command, String outputFile)
            throws IOException, InterruptedException, EngineException {
        CommandResult result = uninterruptedSpawn(Host.detached(command, outputFile));
        if (!result.succeeded()) {
            throw new EngineException("Could not spawn " + command.get(0) + " on " + describe() + ": "
                    + result.diagnostics());
        }
        return Long.parseLong(result.stdout().strip());
    }

    /**
     * The spawn runs on a thread of its own, which an interrupt of the caller does not reach: closing the channel
     * halfway would leave a server running on the remote host whose pid nobody knows. The interrupt is kept for the
     * caller, which sees it once the pid is known; the spawn itself is bounded by {@link #COMMAND_TIMEOUT}.
     */
    private CommandResult uninterruptedSpawn(List<String> spawn)
            throws IOException, InterruptedException, EngineException {
        java.util.concurrent.FutureTask<CommandResult> task = new java.util.concurrent.FutureTask<>(
                () -> run(spawn, COMMAND_TIMEOUT));
        Thread thread = new Thread(task, "spawn on " + describe());
        thread.setDaemon(true);
        thread.start();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException keptForTheCaller) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException failed) {
                    Throwable cause = failed.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof EngineException engine) {
                        throw engine;
                    }
                    if (cause instanceof InterruptedException lost) {
                        throw lost;
                    }
                    throw new IOException("spawning on " + describe() + " failed: " + cause, cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Optional<ProcessInfo> process(long pid) throws IOException {
        try {
            CommandResult result = script("s=$(cat /proc/$1/stat 2>/dev/null) || exit " + ABSENT
                    + "; printf '%s\\n' \"$s\"; base64 -w0 /proc/$1/cmdline 2>/dev/null; echo;"
                    + " readlink /proc/$1/exe 2>/dev/null | base64 -w0; echo", Long.toString(pid));
            if (result.exitCode() == ABSENT) {
                return Optional.empty();
            }
            String[] lines = result.stdout().split("\n", -1);
            return Optional.of(ProcessInfo.parse(pid, lines[0], lines.length > 1
                    ? Base64.getDecoder().decode(lines[1].strip()) : new byte[0],
                    lines.length > 2 ? executable(lines[2]) : null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading /proc/" + pid + " on " + describe(), e);
        }
    }

    /** The executable from a base64 line of readlink's output: null when it could not be read. */
    private static String executable(String base64) {
        String exe = new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8).strip();
        return exe.isEmpty() ? null : exe;
    }

    @Override
    public List<ProcessInfo> processes() throws IOException {
        try {
            CommandResult result = script("for d in /proc/[0-9]*; do s=$(cat $d/stat 2>/dev/null) || continue;"
                    + " c=$(base64 -w0 $d/cmdline 2>/dev/null); e=$(readlink $d/exe 2>/dev/null | base64 -w0);"
                    + " printf '%s\\n%s\\n%s\\n' \"$s\" \"$c\" \"$e\"; done");
            List<ProcessInfo> all = new ArrayList<>();
            String[] lines = result.stdout().split("\n", -1);
            for (int i = 0; i + 2 < lines.length; i += 3) {
                long pid = Long.parseLong(lines[i].substring(0, lines[i].indexOf(' ')));
                all.add(ProcessInfo.parse(pid, lines[i], Base64.getDecoder().decode(lines[i + 1].strip()),
                        executable(lines[i + 2])));
            }
            return all;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing processes on " + describe(), e);
        }
    }

    /**
     * Watches the process on the remote host itself, every 5 ms, in one command: an exit is seen within milliseconds
     * without a round trip per look.
     */
    @Override
    public void awaitExit(ProcessInfo process, Deadline deadline) throws EngineException, InterruptedException {
        // Bounded on both sides: the guest's loop by a number of rounds, this side by the deadline itself.
        long rounds = deadline.remaining().toMillis() / 5 + 1;
        String watch = "n=$3; while [ $n -gt 0 ]; do read -r s < /proc/$1/stat 2>/dev/null || exit 0;"
                + " set -- $1 $2 $n ${s##*) }; [ \"$4\" = Z ] && exit 0; [ \"${23}\" != \"$2\" ] && exit 0;"
                + " sleep 0.005; n=$(( $3 - 1 )); done; exit 1";
        OperationTimeoutException timedOut = new OperationTimeoutException("Timed out after "
                + Durations.describe(deadline.remaining()) + " waiting for pid " + process.pid() + " on "
                + describe() + " to exit", null);
        try {
            CommandResult result = run(List.of("sh", "-c", watch, "sh", Long.toString(process.pid()),
                    Long.toString(process.startTicks()), Long.toString(rounds)), deadline.remaining());
            if (result.exitCode() != 0) {
                throw timedOut;
            }
        } catch (OperationTimeoutException deadlinePassed) {
            throw timedOut;
        } catch (IOException e) {
            throw new EngineException("Lost track of pid " + process.pid() + " on " + describe() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public boolean signal(long pid, Signal signal) throws IOException {
        try {
            CommandResult result = script("[ -e /proc/$1 ] || exit " + ABSENT + "; kill -s $2 $1", Long.toString(pid),
                    signal.name().substring(3));
            return result.exitCode() != ABSENT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling pid " + pid + " on " + describe(), e);
        }
    }

    @Override
    public Optional<String> readFile(String path) throws IOException {
        // never through a link (see Host#readFile): dd's iflag=nofollow opens with O_NOFOLLOW
        CommandResult result = uninterruptibly(() -> script("[ -e \"$1\" ] || [ -L \"$1\" ] || exit " + ABSENT
                + "; if [ -L \"$1\" ]; then printf '%s\\n' \"" + Host.notFollowed("$1", "a symbolic link")
                + "\" >&2; exit 1; fi; dd if=\"$1\" iflag=nofollow status=none", path));
        if (result.exitCode() == ABSENT) {
            return Optional.empty();
        }
        if (!result.succeeded()) {
            throw new IOException(result.diagnostics());
        }
        return Optional.of(result.stdout());
    }

    /**
     * Through a temporary file of a new name that dd creates exclusively (conv=excl, O_EXCL) and without following
     * a link (oflag=nofollow): the directory may be one the server's account writes. Its mode comes from the umask,
     * never from a chmod by name, which would follow a link put there in between.
     */
    @Override
    public void writeFile(String path, String content) throws IOException {
        uninterruptibly(() -> checkedWithInput(content, "umask 022; t=\"$1.$$.$(od -An -N6 -tx1 /dev/urandom"
                + " | tr -d ' \\n').tmp\"; dd of=\"$t\" conv=excl oflag=nofollow status=none && mv -f \"$t\" \"$1\""
                + " || { rm -f \"$t\"; exit 1; }", path));
    }

    private CommandResult checkedWithInput(String content, String script, String argument)
            throws IOException, InterruptedException {
        try {
            CommandResult result = run(List.of("sh", "-c", script, "sh", argument),
                    content.getBytes(StandardCharsets.UTF_8), COMMAND_TIMEOUT);
            if (!result.succeeded()) {
                throw new IOException("writing " + argument + " on " + describe() + " failed: "
                        + result.diagnostics());
            }
            return result;
        } catch (OperationTimeoutException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** As {@link Host#touch} says: created exclusively, checked without following links, given away with chown -h. */
    @Override
    public long touch(String path, String owner) throws IOException {
        String refusal = Host.notFollowed("$1", "a symbolic link, not a regular file, or a file with other hard"
                + " links");
        CommandResult result = uninterruptibly(() -> script(Host.CREATE_EXCLUSIVELY + ";"
                + " [ -f \"$1\" ] && [ ! -L \"$1\" ] && [ \"$(stat -c %h -- \"$1\")\" = 1 ]"
                + " || { printf '%s\\n' \"" + refusal + "\" >&2; exit 1; };"
                + " { [ -z \"$2\" ] || chown -h \"$2:\" \"$1\"; } && stat -c %s -- \"$1\"", path,
                owner == null ? "" : owner));
        if (!result.succeeded()) {
            throw new IOException(result.diagnostics());
        }
        return Long.parseLong(result.stdout().strip());
    }

    @Override
    public String ownerOf(String path) throws IOException {
        return uninterruptibly(() -> script("stat -c %U \"$1\"", path)).stdout().strip();
    }

    @Override
    public boolean deleteFile(String path) throws IOException {
        return uninterruptibly(() -> script("[ -e \"$1\" ] || exit " + ABSENT + "; rm -f \"$1\"", path))
                .exitCode() != ABSENT;
    }

    @Override
    public Optional<List<String>> listDirectory(String path) throws IOException {
        CommandResult result = uninterruptibly(() -> script("[ -d \"$1\" ] || exit " + ABSENT + "; ls -A \"$1\"",
                path));
        if (result.exitCode() == ABSENT) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (String name : result.stdout().split("\n")) {
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return Optional.of(names);
    }

    /** A port in 20000–32767 that no socket on the remote host uses now (from /proc/net/tcp and tcp6). */
    @Override
    public int freePort(String bindAddress) throws IOException {
        String table = uninterruptibly(() -> script("cat /proc/net/tcp /proc/net/tcp6 2>/dev/null")).stdout();
        Set<Integer> used = new HashSet<>();
        for (String line : table.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 2 && fields[1].contains(":")) {
                try {
                    used.add(Integer.parseInt(fields[1].substring(fields[1].lastIndexOf(':') + 1), 16));
                } catch (NumberFormatException header) {
                    // the table's header line
                }
            }
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 32768);
            if (!used.contains(port)) {
                return port;
            }
        }
        throw new IOException("found no free port on " + describe());
    }

    @Override
    public synchronized InetSocketAddress loopbackAddress(int port) throws IOException {
        Integer local = forwards.get(port);
        if (local == null) {
            try {
                local = session.setPortForwardingL("127.0.0.1", 0, "127.0.0.1", port);
            } catch (JSchException e) {
                throw new IOException("cannot forward a local port to 127.0.0.1:" + port + " on " + describe() + ": "
                        + e.getMessage(), e);
            }
            forwards.put(port, local);
        }
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), local);
    }

    @Override
    public List<String> searchPath() {
        return searchPath;
    }

    /** One round trip for the whole list. */
    @Override
    public Optional<String> firstExecutable(List<String> paths) throws IOException {
        if (paths.isEmpty()) {
            return Optional.empty();
        }
        CommandResult result = uninterruptibly(() -> script("for f in \"$@\"; do if [ -f \"$f\" ] && [ -x \"$f\" ];"
                + " then printf '%s' \"$f\"; exit 0; fi; done; exit " + ABSENT, paths.toArray(String[]::new)));
        return result.exitCode() == 0 ? Optional.of(result.stdout()) : Optional.empty();
    }

    @Override
    public String absolutePath(String path) {
        String absolute = path.startsWith("/") ? path : home + "/" + path;
        return Path.of(absolute).normalize().toString();
    }

    @Override
    public void close() {
        session.disconnect();
    }

    @FunctionalInterface
    private interface Remote {
        CommandResult call() throws IOException, InterruptedException;
    }

    /** The file primitives declare no InterruptedException: an interrupt is kept in the flag and reported as I/O. */
    private CommandResult uninterruptibly(Remote remote) throws IOException {
        try {
            return remote.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while talking to " + describe(), e);
        }
    }
}
