package io.jenkins.plugins.mysqllifecycle.engine.host;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.Signal;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The machine the engine itself runs on: a Jenkins agent, or wherever the CLI was started. */
public final class LocalHost implements Host {

    private static final Set<String> INHERITED_VARIABLES = Set.of("PATH", "HOME", "USER", "LOGNAME", "TZ",
            "TMPDIR");
    private static final File NO_INPUT = new File("/dev/null");
    private static final Duration DESTROY_GRACE = Duration.ofSeconds(5);
    private static final Duration SPAWN_TIMEOUT = Duration.ofSeconds(10);

    @Override
    public String describe() {
        return "localhost";
    }

    @Override
    public boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0"); // the effective uid
            }
        }
        throw new IOException("/proc/self/status has no Uid line");
    }

    /**
     * Children run in the C.UTF-8 locale, whatever the caller's: their arguments and option files are UTF-8, as
     * this JVM writes them, and their messages, which the engine reads, are in English.
     */
    private static ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(NO_INPUT);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> !INHERITED_VARIABLES.contains(name));
        environment.put("LANG", CHILD_LOCALE);
        environment.put("LC_ALL", CHILD_LOCALE);
        return builder;
    }

    private static final String CHILD_LOCALE = "C.UTF-8";

    @Override
    public CommandResult run(List<String> command, Duration timeout)
            throws IOException, InterruptedException, OperationTimeoutException {
        Process process = builder(command).start();
        OutputTail stdout = new OutputTail(process.getInputStream(), "stdout of " + command.get(0));
        OutputTail stderr = new OutputTail(process.getErrorStream(), "stderr of " + command.get(0));
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                destroyTree(process);
                throw new OperationTimeoutException("Timed out after " + Durations.describe(timeout) + " waiting for "
                        + String.join(" ", command) + " to finish; it was killed. Its last output: "
                        + stderr.text().strip(), null);
            }
        } catch (InterruptedException interrupted) {
            destroyTree(process);
            throw interrupted;
        }
        return new CommandResult(command, process.exitValue(), stdout.awaitText(1000), stderr.awaitText(1000));
    }

    @Override
    public RunningCommand start(List<String> command, InputStream stdin, OutputStream stdout) throws IOException {
        ProcessBuilder builder = builder(command);
        if (stdin != null) {
            builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        }
        Process process = builder.start();
        if (stdin != null) {
            daemon(() -> pump(stdin, process.getOutputStream()), "stdin of " + command.get(0));
        }
        daemon(() -> pump(process.getInputStream(), stdout), "stdout of " + command.get(0));
        return running(command, process);
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A pipe read returns at most 64 KiB; closing a pipe early ends a writer that outlives its reader. */
    private static void pump(InputStream from, OutputStream to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from; OutputStream out = to) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // a stream failed or the command was destroyed: both ends are closed, and their owners know why
        }
    }

    /**
     * Starts {@code command} with its standard output appended straight to {@code file}, which the caller has
     * created and keeps open, feeding it {@code stdin} (null: none) as {@link #start} does. Fails, killing the command, if its output is not that file (someone replaced the file
     * between the caller's open and this one).
     */
    public RunningCommand startWritingTo(List<String> command, InputStream stdin, Path file)
            throws IOException, InterruptedException {
        Object expected = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        ProcessBuilder builder = builder(command).redirectOutput(ProcessBuilder.Redirect.appendTo(file.toFile()));
        if (stdin != null) {
            builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        }
        Process process = builder.start();
        if (stdin != null) {
            daemon(() -> pump(stdin, process.getOutputStream()), "stdin of " + command.get(0));
        }
        RunningCommand running = running(command, process);
        // Until the child has set up its descriptors and exec'd, its fd 1 may still be the launcher's: look again for
        // a moment before calling the file replaced (a replaced file stays replaced).
        Deadline settled = Deadline.after(Duration.ofSeconds(1));
        Object actual = standardOutputOf(process);
        while (!expected.equals(actual) && !settled.hasExpired() && process.isAlive()) {
            Thread.sleep(5);
            actual = standardOutputOf(process);
        }
        if (!process.isAlive() && !expected.equals(actual)) {
            actual = expected; // whatever it wrote went through the one open it made, a moment after the caller's
        }
        if (!expected.equals(actual)) {
            running.close();
            throw new IOException(file + " was replaced while " + command.get(0) + " was starting to write it");
        }
        return running;
    }

    /** The file key of what {@code process} has open as its standard output; null when it has exited. */
    private static Object standardOutputOf(Process process) throws IOException {
        try {
            return Files.readAttributes(Path.of("/proc/" + process.pid() + "/fd/1"), BasicFileAttributes.class)
                    .fileKey();
        } catch (NoSuchFileException exitedAlready) {
            return null;
        }
    }

    private static RunningCommand running(List<String> command, Process process) {
        OutputTail stderr = new OutputTail(process.getErrorStream(), "stderr of " + command.get(0));
        return new RunningCommand() {
            @Override
            public String stderrTail() {
                return stderr.text();
            }

            @Override
            public OptionalInt waitFor(Duration timeout) throws InterruptedException {
                if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    stderr.awaitText(1000);
                    return OptionalInt.of(process.exitValue());
                }
                return OptionalInt.empty();
            }

            @Override
            public void destroy() throws InterruptedException {
                destroyTree(process);
            }

            @Override
            public void close() throws InterruptedException {
                if (process.isAlive()) {
                    destroyTree(process);
                }
                try {
                    process.getInputStream().close();
                } catch (IOException ignored) {
                    // nothing is read from it any more
                }
            }
        };
    }

    /**
     * Ends a command and everything it started (mariadb-install-db's bootstrap server, say), and returns once they
     * are gone or the grace periods have passed. Often an interrupt asks for this; it must not cut the waits short,
     * or a child would outlive the command that was called stopped. The interrupt is kept for the caller.
     */
    private static void destroyTree(Process process) throws InterruptedException {
        boolean interrupted = Thread.interrupted();
        try {
            List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
            tree.add(0, process.toHandle());
            tree.forEach(ProcessHandle::destroy);
            if (!awaitGone(tree, DESTROY_GRACE)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                awaitGone(tree, DESTROY_GRACE);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean awaitGone(List<ProcessHandle> processes, Duration grace) throws InterruptedException {
        Deadline deadline = Deadline.after(grace);
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stillThere) {
                return false;
            } catch (java.util.concurrent.ExecutionException cannotHappen) {
                // onExit completes normally
            }
        }
        return true;
    }

    /**
     * Not interruptible: the spawning shell ends within milliseconds, and killing it halfway would leave a command
     * running whose pid nobody knows (a server that an interrupted start could not stop again). An interrupt that
     * comes meanwhile is kept for the caller, which sees it once the pid is known.
     */
    @Override
    public long spawnDetached(List<String> command, String outputFile)
            throws IOException, InterruptedException, EngineException {
        List<String> spawn = Host.detached(command, outputFile);
        Process process = builder(spawn).start();
        OutputTail stdout = new OutputTail(process.getInputStream(), "stdout of the spawn of " + command.get(0));
        OutputTail stderr = new OutputTail(process.getErrorStream(), "stderr of the spawn of " + command.get(0));
        Deadline deadline = Deadline.after(SPAWN_TIMEOUT);
        boolean interrupted = Thread.interrupted();
        CommandResult result;
        try {
            while (true) {
                try {
                    if (!process.waitFor(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
                        destroyTree(process);
                        throw new EngineException("Could not spawn " + command.get(0) + ": the spawning shell did"
                                + " not finish within " + Durations.describe(SPAWN_TIMEOUT) + "; it was killed. "
                                + stderr.text().strip());
                    }
                    result = new CommandResult(spawn, process.exitValue(), stdout.awaitText(1000),
                            stderr.awaitText(1000));
                    break;
                } catch (InterruptedException keptForTheCaller) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (!result.succeeded()) {
            throw new EngineException("Could not spawn " + command.get(0) + ": " + result.diagnostics());
        }
        return Long.parseLong(result.stdout().strip());
    }

    @Override
    public Optional<ProcessInfo> process(long pid) throws IOException {
        Path directory = Path.of("/proc", Long.toString(pid));
        try {
            String stat = Files.readString(directory.resolve("stat"), StandardCharsets.UTF_8);
            byte[] cmdline = Files.readAllBytes(directory.resolve("cmdline"));
            String exe;
            try {
                exe = Files.readSymbolicLink(directory.resolve("exe")).toString();
            } catch (IOException unreadable) {
                exe = null; // another user's process, or one that has exited
            }
            return Optional.of(ProcessInfo.parse(pid, stat, cmdline, exe));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException vanishing) {
            // a process that exits while being read makes /proc answer ESRCH
            if (!Files.exists(directory)) {
                return Optional.empty();
            }
            throw vanishing;
        }
    }

    @Override
    public List<ProcessInfo> processes() throws IOException {
        List<ProcessInfo> all = new ArrayList<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : proc) {
                process(Long.parseLong(entry.getFileName().toString())).ifPresent(all::add);
            }
        }
        return all;
    }

    @Override
    public boolean signal(long pid, Signal signal) throws IOException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return false;
        }
        boolean sent = signal == Signal.SIGKILL ? handle.get().destroyForcibly() : handle.get().destroy();
        if (!sent && handle.get().isAlive()) {
            throw new IOException("Not permitted to send " + signal + " to pid " + pid
                    + ": run as the server's user or as root");
        }
        return sent;
    }

    @Override
    public Optional<String> readFile(String path) throws IOException {
        Path file = Path.of(path);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (java.nio.file.FileSystemException e) {
            if (Files.isSymbolicLink(file)) { // O_NOFOLLOW's ELOOP
                throw new IOException(Host.notFollowed(path, "a symbolic link"), e);
            }
            throw e;
        }
    }

    /**
     * The temporary file gets a new random name and is created exclusively (O_EXCL), which never follows a link: the
     * directory may be one another account writes (a data directory), and a fixed name opened as it is would let
     * that account point it at any file this one may write. The rename replaces a link at {@code path} itself.
     */
    @Override
    public void writeFile(String path, String content) throws IOException {
        Path target = Path.of(path);
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try {
            Files.writeString(temporary, content, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException notOnThisFileSystem) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /**
     * In Java: on a warm agent a start spends no process on it. Nothing here follows a link: the file is created
     * exclusively, checked without following links, and given away with lchown, so a link or a hard link planted in
     * its place is refused instead of making its target the owner's.
     */
    @Override
    public long touch(String path, String owner) throws IOException {
        Path file = Path.of(path);
        try {
            Files.createFile(file); // O_EXCL: never through a link
        } catch (java.nio.file.FileAlreadyExistsException exists) {
            // kept as it is (the server appends to its error log), once it proves to be a plain file
        }
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        String refusal = Host.notAPlainFile(path, attributes.isSymbolicLink(), attributes.isRegularFile(),
                (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS));
        if (refusal != null) {
            throw new IOException(refusal);
        }
        if (owner != null && !attributes.owner().getName().equals(owner)) {
            Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(
                    file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner));
        }
        return attributes.size();
    }

    @Override
    public String ownerOf(String path) throws IOException {
        return Files.getOwner(Path.of(path)).getName();
    }

    @Override
    public boolean deleteFile(String path) throws IOException {
        return Files.deleteIfExists(Path.of(path));
    }

    @Override
    public Optional<List<String>> listDirectory(String path) throws IOException {
        Path directory = Path.of(path);
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return Optional.of(entries.map(entry -> entry.getFileName().toString()).sorted().toList());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public int freePort(String bindAddress) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
            return socket.getLocalPort();
        }
    }

    @Override
    public InetSocketAddress loopbackAddress(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    @Override
    public List<String> searchPath() {
        String path = System.getenv("PATH");
        return path == null ? List.of() : List.of(path.split(File.pathSeparator));
    }

    @Override
    public Optional<String> firstExecutable(List<String> paths) {
        return paths.stream().filter(path -> {
            Path file = Path.of(path);
            return Files.isRegularFile(file) && Files.isExecutable(file);
        }).findFirst();
    }

    @Override
    public String absolutePath(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    @Override
    public void close() {
        // nothing is held open
    }
}
