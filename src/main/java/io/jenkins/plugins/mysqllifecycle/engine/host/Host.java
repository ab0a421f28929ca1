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
     * Shell: creates the file $1 empty when nothing is at that name, with O_EXCL (dd's conv=excl), which never
     * follows a link, and never opens anything that is already there (a shell's {@code >} would, even with
     * noclobber, when a link points at a device). Fails quietly when something is there: the caller checks it.
     */
    String CREATE_EXCLUSIVELY = "dd if=/dev/null of=\"$1\" conv=excl status=none 2>/dev/null";

    /**
     * The shell command that spawns {@code command} detached: sh backgrounds setsid, which execs the command in a new
     * session, so $! is the command's own pid; the command is re-parented once sh exits, so it survives the caller
     * and holds none of its streams. The pid is printed once that process has left the forked sh and setsid behind
     * (or has already ended), so whoever checks its command line next sees the command.
     *
     * <p>The output file lies where the command's account can write (a server's data directory) while sh may run as
     * root, and a shell cannot open a file without following links. So it is created exclusively when missing, opened
     * for reading (which changes nothing, whatever it is), and that open file is checked to be the plain file at that
     * path: a regular file, not a link, with one name. The command's output is then appended through /dev/fd/4, which
     * reopens that very file, whatever has been put at its name since.
     */
    static List<String> detached(List<String> command, String outputFile) {
        String refusal = notFollowed("$out", "a symbolic link, not a regular file, or a file with other hard links");
        List<String> wrapped = new java.util.ArrayList<>(List.of("sh", "-c",
                "out=$1; shift; " + CREATE_EXCLUSIVELY.replace("$1", "$out") + ";"
                        + " refuse() { printf '%s\\n' \"" + refusal + "\" >&2; exit 1; };"
                        + " [ -f \"$out\" ] && [ ! -L \"$out\" ] || refuse; exec 4<\"$out\" || exit 1;"
                        + " p=$(stat -c '%F:%h:%d:%i' -- \"$out\") && f=$(stat -L -c '%F:%h:%d:%i' /dev/fd/4)"
                        + " && [ \"$p\" = \"$f\" ] || refuse;"
                        + " case $p in 'regular file:1:'*|'regular empty file:1:'*) ;; *) refuse;; esac;"
                        + " setsid \"$@\" </dev/null >>/dev/fd/4 2>&1 4<&- & pid=$!; exec 4<&-; "
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

    /**
     * The content of a small text file, or empty if it does not exist. Never through a symbolic link (an
     * IOException instead): pid files and start records lie where the server's account writes, and what root reads
     * through a link it planted could end up in a message (a pid file "holding" /etc/shadow).
     */
    Optional<String> readFile(String path) throws IOException;

    /**
     * Writes a small text file, replacing it atomically, through a temporary file of a new name created
     * exclusively: never through a link someone who can write the directory left there.
     */
    void writeFile(String path, String content) throws IOException;

    /** Deletes a file; false if it did not exist. */
    boolean deleteFile(String path) throws IOException;

    /**
     * Creates {@code path} empty if it is missing, gives it to the account {@code owner} (null: as it is), and returns
     * its size. The path is in a directory another account may write (a data directory): it is created exclusively,
     * and a path that is a symbolic link, not a regular file, or a file with other hard links is refused (see
     * {@link #notAPlainFile}), so that no link makes its target someone else's.
     */
    long touch(String path, String owner) throws IOException;

    /**
     * Why {@code path} may not be created, given away or written by this tool, or null when it is a plain file: a
     * regular file, not a link, with one name. Root must not follow a link the server's account planted in a
     * directory it can write: that would give that account any file root can write (/etc/shadow, root's crontab).
     */
    static String notAPlainFile(String path, boolean symbolicLink, boolean regularFile, int links) {
        String what = symbolicLink ? "a symbolic link" : !regularFile ? "not a regular file"
                : links > 1 ? "a file with " + links + " hard links" : null;
        return what == null ? null : notFollowed(path, what);
    }

    /** The refusal of a file that may lead elsewhere: {@code what} says what it is instead of a plain file. */
    static String notFollowed(String path, String what) {
        return path + " is " + what + ". It lies in a directory another account can write, so it may point at any"
                + " file, and this tool never reads, creates, writes or gives away a file through it: remove it (and"
                + " find out who put it there), then try again.";
    }

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
