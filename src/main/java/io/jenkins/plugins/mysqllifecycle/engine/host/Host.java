package io.jenkins.plugins.mysqllifecycle.engine.host;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.Signal;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.WaitLoop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A machine where servers and tools run. The engine does every start, dump and stop through this interface, so
 * an operation has one copy of its logic whether the machine is the one the engine runs on or a remote one.
 *
 * <p>Child processes get a small, fixed environment (PATH, HOME, locale, TZ, TMPDIR): nothing the caller holds,
 * such as a password variable, reaches them by inheritance.
 */
public interface Host extends AutoCloseable {

    /** How log lines and messages name this machine. */
    String describe();

    boolean isRoot() throws IOException, InterruptedException;

    /** Runs {@code command} to completion, collecting (the tail of) its output; kills it when {@code timeout} passes. */
    CommandResult run(List<String> command, Duration timeout)
            throws IOException, InterruptedException, OperationTimeoutException;

    /**
     * Starts {@code command}, feeding it {@code stdin} to its end (null: standard input closed) on a thread of the
     * host's own. Its standard output is written to {@code stdout} as it arrives, by a thread of the host's own,
     * and {@code stdout} is closed once the output ends (also when the command is destroyed or the connection is
     * lost). Flushes may come after every chunk. When a write to {@code stdout} fails, the command loses its output
     * and ends.
     */
    RunningCommand start(List<String> command, InputStream stdin, OutputStream stdout) throws IOException;

    /**
     * Starts {@code command} in a new session with its output appended to {@code outputFile} and standard input
     * closed, so that it outlives the engine and holds none of the engine's streams; returns its pid.
     */
    long spawnDetached(List<String> command, String outputFile)
            throws IOException, InterruptedException, EngineException;

    /**
     * The shell command that spawns {@code command} detached: sh backgrounds setsid, which execs the command in a new
     * session, so $! is the command's own pid; the command is re-parented once sh exits, so it survives the caller
     * and holds none of its streams. The pid is printed once that process has left the forked sh and setsid behind
     * (or has already ended), so whoever checks its command line next sees the command.
     */
    static List<String> detached(List<String> command, String outputFile) {
        List<String> wrapped = new java.util.ArrayList<>(List.of("sh", "-c",
                "out=$1; shift; setsid \"$@\" </dev/null >>\"$out\" 2>&1 & pid=$!; "
                        + "while a=$(tr '\\0' ' ' </proc/$pid/cmdline 2>/dev/null) && [ -n \"$a\" ] && {"
                        + " [ \"${a%% *}\" = setsid ] || [ \"$a\" = \"$(tr '\\0' ' ' </proc/$$/cmdline)\" ]; };"
                        + " do :; done; echo $pid", "sh", outputFile));
        wrapped.addAll(command);
        return wrapped;
    }

    /** The process with this pid, if there is one (an exited but unreaped one included). */
    Optional<ProcessInfo> process(long pid) throws IOException;

    List<ProcessInfo> processes() throws IOException;

    /**
     * Waits until {@code process} has exited: its pid vanished, turned into a zombie, or belongs to a newer process.
     * The default polls {@link #process} from every 1 ms up to every 10 ms, so an exit is seen within milliseconds.
     *
     * @throws OperationTimeoutException when {@code deadline} passes first
     */
    default void awaitExit(ProcessInfo process, Deadline deadline) throws EngineException, InterruptedException {
        new WaitLoop(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(10)).await(
                "pid " + process.pid() + " to exit", deadline, WaitLoop.Liveness.ALWAYS, () -> {
                    try {
                        Optional<ProcessInfo> now = process(process.pid());
                        boolean gone = now.isEmpty() || now.get().hasExited()
                                || now.get().startTicks() != process.startTicks();
                        return gone ? Optional.of(Boolean.TRUE) : Optional.empty();
                    } catch (IOException e) {
                        throw new WaitLoop.NotYet("cannot read /proc/" + process.pid() + ": " + e.getMessage(), e);
                    }
                });
    }

    /** Sends {@code signal} to {@code pid}; false if the process was already gone. */
    boolean signal(long pid, Signal signal) throws IOException;

    /** The content of a small text file, or empty if it does not exist. */
    Optional<String> readFile(String path) throws IOException;

    /** Writes a small text file, replacing it atomically. */
    void writeFile(String path, String content) throws IOException;

    /** Creates a new file only its owner can read (mode 0600) holding {@code content}; returns its path. */
    String createPrivateFile(String prefix, String content) throws IOException;

    /** Deletes a file; false if it did not exist. */
    boolean deleteFile(String path) throws IOException;

    /**
     * Creates {@code path} empty if it is missing, gives it to the account {@code owner} (null: as it is), and returns
     * its size.
     */
    long touch(String path, String owner) throws IOException;

    /** The account that owns {@code path}. */
    String ownerOf(String path) throws IOException;

    /** The names in a directory, or empty if it does not exist. */
    Optional<List<String>> listDirectory(String path) throws IOException;

    /** A TCP port nobody listens on at {@code bindAddress} right now. */
    int freePort(String bindAddress) throws IOException;

    /** Where a client in this JVM reaches {@code port} on this host's loopback interface (through a tunnel, for SSH). */
    InetSocketAddress loopbackAddress(int port) throws IOException;

    /** The directories of PATH for programs run on this host. */
    List<String> searchPath() throws IOException;

    /** The first of {@code paths} that is an executable regular file. */
    Optional<String> firstExecutable(List<String> paths) throws IOException;

    /** The absolute, normalized form of {@code path}. */
    String absolutePath(String path);

    @Override
    void close();
}
