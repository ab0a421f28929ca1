package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.Serializable;
import java.time.Duration;

/**
 * Which server to stop and how long to wait. Give a pid file, or a pid; {@code startTicks} (from the start
 * handle, or the start record beside the pid file) lets the stop refuse a pid that was recycled.
 *
 * @param startTicks 0 when unknown
 */
public record StopSpec(String pidFile, long pid, long startTicks, Duration timeout, boolean killAfterTimeout)
        implements Serializable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    public static StopSpec of(ServerHandle server, Duration timeout, boolean killAfterTimeout)
            throws InvalidSpecException {
        return of(server.pidFile(), server.pid(), server.startTicks(), timeout, killAfterTimeout);
    }

    public static StopSpec ofPidFile(String pidFile, Duration timeout, boolean killAfterTimeout)
            throws InvalidSpecException {
        return of(pidFile, 0, 0, timeout, killAfterTimeout);
    }

    public static StopSpec ofPid(long pid, long startTicks, Duration timeout, boolean killAfterTimeout)
            throws InvalidSpecException {
        return of(null, pid, startTicks, timeout, killAfterTimeout);
    }

    /**
     * A pid (with its start ticks when known) is what gets signalled; the pid file is then only cleaned up. Without
     * a pid, the pid file (and the start record beside it) names the process.
     */
    public static StopSpec of(String pidFile, long pid, long startTicks, Duration timeout, boolean killAfterTimeout)
            throws InvalidSpecException {
        if ((pidFile == null || pidFile.isBlank()) && pid <= 0) {
            throw new InvalidSpecException("name the server to stop: a pid file or a pid greater than 0");
        }
        if (pid == 1 || pid < 0) {
            throw new InvalidSpecException("pid " + pid + " can never be a MySQL server");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw InvalidSpecException.notPositiveSeconds("timeout", timeout);
        }
        return new StopSpec(pidFile == null || pidFile.isBlank() ? null : pidFile, pid, startTicks, timeout,
                killAfterTimeout);
    }
}
