package io.jenkins.plugins.mysqllifecycle;


import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.StopResult;
import java.time.Instant;

/**
 * One server a build started, as the build page shows it and as the end-of-build clean-up finds it. Plain fields:
 * Jenkins saves it with the build.
 */
public final class ServerRecord {
    private final String node;
    private final String host;
    private final long pid;
    private final int port;
    private final String socket;
    private final String pidFile;
    private final String datadir;
    private final String version;
    private final String startedAt;
    private final long startTicks;
    private final long stopTimeoutSeconds;
    private final boolean keepRunning;
    private String stoppedAt;
    private Long stopMillis;
    private String stopOutcome;

    ServerRecord(String node, ServerHandle server, long stopTimeoutSeconds, boolean keepRunning) {
        this.node = node;
        this.host = server.host();
        this.pid = server.pid();
        this.port = server.port();
        this.socket = server.socket();
        this.pidFile = server.pidFile();
        this.datadir = server.datadir();
        this.version = server.version();
        this.startedAt = server.startedAt().toString();
        this.startTicks = server.startTicks();
        this.stopTimeoutSeconds = stopTimeoutSeconds;
        this.keepRunning = keepRunning;
    }

    boolean isSameServer(String otherNode, long otherPid, long otherStartTicks) {
        return node.equals(otherNode) && pid == otherPid && (otherStartTicks == 0 || startTicks == otherStartTicks);
    }

    synchronized void stopped(StopResult result) {
        stoppedAt = Instant.now().toString();
        stopMillis = result.millis();
        stopOutcome = result.alreadyStopped() ? "already stopped" : result.forced() ? "killed (SIGKILL)" : "SIGTERM";
    }

    synchronized void stopFailed(String why) {
        stopOutcome = "stop failed: " + why;
    }

    public String getNode() {
        return node;
    }

    /** "localhost" for the node itself, or the SSH destination the server was started on. */
    public String getHost() {
        return host == null ? "localhost" : host;
    }

    public long getPid() {
        return pid;
    }

    public int getPort() {
        return port;
    }

    public String getSocket() {
        return socket;
    }

    public String getPidFile() {
        return pidFile;
    }

    public String getDatadir() {
        return datadir;
    }

    public String getVersion() {
        return version;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public long getStartTicks() {
        return startTicks;
    }

    public long getStopTimeoutSeconds() {
        return stopTimeoutSeconds;
    }

    public boolean isKeepRunning() {
        return keepRunning;
    }

    public synchronized boolean isStopped() {
        return stoppedAt != null;
    }

    public synchronized String getStoppedAt() {
        return stoppedAt;
    }

    public synchronized Long getStopMillis() {
        return stopMillis;
    }

    public synchronized String getStopOutcome() {
        return stopOutcome;
    }
}
