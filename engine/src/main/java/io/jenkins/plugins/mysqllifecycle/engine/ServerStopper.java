package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Stops a server with SIGTERM sent straight to its verified process, never through {@code mysqladmin shutdown}
 * (which can hang forever in some VM guests, and against a server stuck in start-up). Two phases, each bounded: ask
 * (SIGTERM) and wait up to the timeout; then, only when asked to, force (SIGKILL) and wait a short, fixed time.
 */
public final class ServerStopper {
    /** How long a SIGKILLed process may take to disappear before the stop gives up on it. */
    static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final Host host;
    private final Log log;

    public ServerStopper(Host host, PrintStream log) {
        this(host, new Log(log));
    }

    ServerStopper(Host host, Log log) {
        this.host = host;
        this.log = log;
    }

    public StopResult stop(StopSpec spec) throws EngineException, InterruptedException {
        Target target = resolve(spec);
        Log serverLog = log.about(host.describe() + " pid " + target.pid);
        try {
            Optional<ProcessInfo> process = host.process(target.pid);
            if (process.isEmpty() || process.get().hasExited()) {
                removePidFileNaming(spec.pidFile(), target.pid);
                serverLog.info("already stopped: the process is gone" + (spec.pidFile() == null ? ""
                        : "; removed the stale pid file " + spec.pidFile()));
                return new StopResult(target.pid, 0, null, false, true);
            }
            ProcessInfo current = process.get();
            if (target.startTicks != 0 && current.startTicks() != target.startTicks) {
                // The started server has exited and its pid went to a newer process: signal nothing. A pid file
                // naming another live server may be that server's own, so it is left alone.
                if (!current.isMysqlServer()) {
                    removePidFileNaming(spec.pidFile(), target.pid);
                }
                serverLog.info("already stopped: the pid now belongs to a newer process, " + current.describe()
                        + "; nothing was signalled");
                return new StopResult(target.pid, 0, null, false, true);
            }
            if (!current.isMysqlServer()) {
                throw new EngineException(current.describe() + " is not a MySQL or MariaDB server"
                        + (spec.pidFile() == null ? "" : "; the pid file " + spec.pidFile() + " is stale")
                        + ". Nothing was signalled.");
            }
            ProcessInfo server = current;
            return terminate(server, spec.timeout(), spec.killAfterTimeout(), spec.pidFile(), serverLog);
        } catch (IOException e) {
            throw new EngineException("Could not stop pid " + target.pid + " on " + host.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    /** SIGTERM, then wait for the process to exit ({@link Host#awaitExit}); SIGKILL only when asked to. */
    StopResult terminate(ProcessInfo server, Duration timeout, boolean killAfterTimeout, String pidFile, Log serverLog)
            throws EngineException, InterruptedException, IOException {
        long pid = server.pid();
        Deadline deadline = Deadline.after(timeout);
        serverLog.info("sending SIGTERM; waiting up to " + Durations.describe(timeout) + " for the server to exit");
        host.signal(pid, Signal.SIGTERM);
        try {
            host.awaitExit(server, deadline);
        } catch (OperationTimeoutException stillRunning) {
            if (!killAfterTimeout) {
                throw new StopTimeoutException("pid " + pid + " on " + host.describe() + " did not exit within "
                        + Durations.describe(timeout) + " after SIGTERM and is still running. Look at the server's"
                        + " error log; to end it anyway, stop again with kill-after-timeout, or run 'kill -KILL "
                        + pid + "' on " + host.describe() + ".",
                        new StopResult(pid, deadline.elapsed().toMillis(), Signal.SIGTERM, false, false));
            }
            serverLog.warn("did not exit within " + Durations.describe(timeout) + " after SIGTERM; sending SIGKILL."
                    + " InnoDB runs crash recovery at the next start.");
            host.signal(pid, Signal.SIGKILL);
            host.awaitExit(server, Deadline.after(KILL_WAIT));
            removePidFileNaming(pidFile, pid);
            StopResult result = new StopResult(pid, deadline.elapsed().toMillis(), Signal.SIGKILL, true, false);
            throw new StopTimeoutException("pid " + pid + " on " + host.describe() + " did not exit within "
                    + Durations.describe(timeout) + " after SIGTERM; it was killed with SIGKILL, so it did not shut"
                    + " down cleanly.", result);
        }
        removePidFileNaming(pidFile, pid);
        long millis = deadline.elapsed().toMillis();
        serverLog.info("exited " + millis + " ms after SIGTERM");
        return new StopResult(pid, millis, Signal.SIGTERM, false, false);
    }

    /** The server removes its pid file on a clean exit; after a crash or SIGKILL the engine does. */
    private void removePidFileNaming(String pidFile, long pid) throws IOException {
        if (pidFile == null) {
            return;
        }
        Optional<String> content = host.readFile(pidFile);
        if (content.isPresent() && content.get().strip().equals(Long.toString(pid))) {
            host.deleteFile(pidFile);
        }
    }

    private Target resolve(StopSpec spec) throws EngineException {
        if (spec.pid() > 0) {
            return new Target(spec.pid(), spec.startTicks());
        }
        try {
            Optional<ServerHandle> record = readStartRecord(spec.pidFile());
            Optional<String> content = host.readFile(spec.pidFile());
            if (content.isEmpty() || content.get().isBlank()) {
                if (record.isPresent()) {
                    // A clean exit removes the pid file; the start record still names the process.
                    return new Target(record.get().pid(), record.get().startTicks());
                }
                throw new EngineException("No pid file at " + spec.pidFile() + " on " + host.describe()
                        + ": no server is running with it. If the server uses another pid file, give that one.");
            }
            long pid;
            try {
                pid = Long.parseLong(content.get().strip());
            } catch (NumberFormatException e) {
                throw new EngineException("The pid file " + spec.pidFile() + " holds '" + content.get().strip()
                        + "', not a process id.");
            }
            if (pid <= 1) {
                throw new EngineException("The pid file " + spec.pidFile() + " names pid " + pid
                        + ", which is never a MySQL server.");
            }
            long startTicks = spec.startTicks() != 0 ? spec.startTicks()
                    : record.filter(r -> r.pid() == pid).map(ServerHandle::startTicks).orElse(0L);
            return new Target(pid, startTicks);
        } catch (IOException e) {
            throw new EngineException("Could not read the pid file " + spec.pidFile() + " on " + host.describe()
                    + ": " + e.getMessage(), e);
        }
    }

    private Optional<ServerHandle> readStartRecord(String pidFile) throws IOException {
        Optional<String> json = host.readFile(ServerHandle.recordPathFor(pidFile));
        if (json.isEmpty()) {
            return Optional.empty();
        }
        try {
            Map<String, Object> map = Json.parseObject(json.get());
            return Optional.of(ServerHandle.fromMap(map));
        } catch (IllegalArgumentException | ClassCastException unreadable) {
            log.warn("ignoring the unreadable start record " + ServerHandle.recordPathFor(pidFile) + ": "
                    + unreadable.getMessage());
            return Optional.empty();
        }
    }

    private record Target(long pid, long startTicks) {
    }
}
