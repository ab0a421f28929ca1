package io.jenkins.plugins.mysqllifecycle.engine.server;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.Signal;
import io.jenkins.plugins.mysqllifecycle.engine.StopResult;
import io.jenkins.plugins.mysqllifecycle.engine.StopSpec;
import io.jenkins.plugins.mysqllifecycle.engine.StopTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
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
            if (process.isEmpty() || process.get().hasExited()
                    || target.startTicks != 0 && process.get().startTicks() != target.startTicks) {
                // what the pid file or start record names is gone, but a newer server given this pid file may be
                // starting and not have written it yet: that one is the server to stop, never "already stopped"
                Optional<ProcessInfo> starting = spec.pid() > 0 ? Optional.empty()
                        : startingServerNaming(spec.pidFile(), target.pid);
                if (starting.isPresent()) {
                    serverLog.info(starting.get().describe() + " is starting with the pid file " + spec.pidFile()
                            + " and has not written it yet; stopping that server");
                    return stopVerified(starting.get(), false, spec, log.about(host.describe() + " pid "
                            + starting.get().pid()));
                }
            }
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
            return stopVerified(current, target.readyWhenRecorded, spec, serverLog);
        } catch (IOException e) {
            throw new EngineException("Could not stop pid " + target.pid + " on " + host.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private StopResult stopVerified(ProcessInfo server, boolean readyWhenRecorded, StopSpec spec, Log serverLog)
            throws EngineException, InterruptedException, IOException {
        Deadline deadline = Deadline.after(spec.timeout());
        if (!readyWhenRecorded) {
            awaitStartupBeforeSigterm(server, deadline, serverLog);
        }
        return terminate(server, deadline.remaining(), spec.killAfterTimeout(), spec.pidFile(), serverLog);
    }

    /**
     * A live server, other than {@code pidNamed}, whose command line gives it {@code pidFile}: one that is still
     * starting writes its pid file only partway through start-up (MySQL about a second after spawn), and its start
     * record only once it answers SQL. Servers that take the pid file from a defaults file cannot be found so.
     */
    private Optional<ProcessInfo> startingServerNaming(String pidFile, long pidNamed) throws IOException {
        if (pidFile == null) {
            return Optional.empty();
        }
        String wanted = host.absolutePath(pidFile);
        for (ProcessInfo process : host.processes()) {
            if (process.pid() != pidNamed && !process.hasExited() && process.isMysqlServer()
                    && process.option("--pid-file").map(host::absolutePath).filter(wanted::equals).isPresent()) {
                return Optional.of(process);
            }
        }
        return Optional.empty();
    }

    /**
     * A SIGTERM that reaches MariaDB 10.11 while it is still starting can hang it for good (it then answers neither
     * SQL nor a second SIGTERM). A server with a start record answered SQL when the record was written; any other
     * server whose command line names its port gets up to half the stop timeout to finish starting (answer
     * {@code SELECT 1}) before it is sent SIGTERM. If it does not, SIGTERM goes anyway, and the rest of the timeout
     * (and SIGKILL, when asked for) still bounds the stop.
     */
    private void awaitStartupBeforeSigterm(ProcessInfo server, Deadline stopDeadline, Log serverLog)
            throws InterruptedException {
        Optional<String> port = server.option("--port")
                .filter(value -> value.matches("\\d{1,5}") && Integer.parseInt(value) <= 65535);
        if (port.isEmpty()) {
            return;
        }
        Deadline startup = Deadline.after(stopDeadline.remaining().dividedBy(2));
        try {
            ReadinessCheck.awaitAll(List.of(new AnswersSql(host.loopbackAddress(Integer.parseInt(port.get())),
                    startup, serverLog)), startup, () -> {
                        try {
                            Optional<ProcessInfo> now = host.process(server.pid());
                            if (now.isEmpty() || now.get().hasExited()) {
                                throw new EngineException("pid " + server.pid() + " exited");
                            }
                        } catch (IOException e) {
                            throw new EngineException(e.getMessage(), e);
                        }
                    });
        } catch (OperationTimeoutException stillStarting) {
            serverLog.warn("the server did not answer SQL within " + Durations.describe(startup.elapsed())
                    + "; it may still be starting, where a SIGTERM can hang it. Sending SIGTERM anyway.");
        } catch (EngineException | IOException gone) {
            // it exited meanwhile, or cannot be probed: the SIGTERM and the wait for its exit handle both
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
        try {
            Optional<ServerHandle> record = spec.pidFile() == null ? Optional.empty() : readStartRecord(spec.pidFile());
            if (spec.pid() > 0) {
                boolean recorded = spec.startTicks() != 0 && record.filter(r -> r.pid() == spec.pid()
                        && r.startTicks() == spec.startTicks()).isPresent();
                return new Target(spec.pid(), spec.startTicks(), recorded);
            }
            Optional<String> content = host.readFile(spec.pidFile());
            if (content.isEmpty() || content.get().isBlank()) {
                Optional<ProcessInfo> starting = startingServerNaming(spec.pidFile(), 0);
                if (starting.isPresent()) {
                    // not yet written: the server is still starting (a start record may be an earlier server's)
                    return new Target(starting.get().pid(), starting.get().startTicks(), false);
                }
                if (record.isPresent()) {
                    // A clean exit removes the pid file; the start record still names the process.
                    return new Target(record.get().pid(), record.get().startTicks(), true);
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
            Optional<ServerHandle> matching = record.filter(r -> r.pid() == pid);
            long startTicks = spec.startTicks() != 0 ? spec.startTicks()
                    : matching.map(ServerHandle::startTicks).orElse(0L);
            return new Target(pid, startTicks, matching.isPresent() && matching.get().startTicks() == startTicks);
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

    /** @param readyWhenRecorded a start record names this very process: it answered SQL when it was written */
    private record Target(long pid, long startTicks, boolean readyWhenRecorded) {
    }
}
