package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A server started for the length of a block ({@code withMysql { }} or the freestyle build wrapper): the environment
 * variables the block sees, and the stop when it ends. Plain values only: Pipeline saves it with the running step, a
 * build wrapper's disposer carries it.
 */
final class BlockServer implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String STEP = "withMysql";

    private final String host;
    private final long pid;
    private final int port;
    private final String socket;
    private final String pidFile;
    private final String datadir;
    private final long startTicks;
    private final int stopTimeoutSeconds;
    private final boolean killAfterTimeout;

    private BlockServer(String host, Map<String, Object> server, int stopTimeoutSeconds, boolean killAfterTimeout)
            throws AbortException {
        this.host = host;
        this.pid = ServerMaps.number(server, "pid");
        this.port = (int) ServerMaps.number(server, "port");
        this.socket = ServerMaps.text(server, "socket");
        this.pidFile = ServerMaps.text(server, "pidFile");
        this.datadir = ServerMaps.text(server, "datadir");
        this.startTicks = ServerMaps.number(server, "startTicks");
        this.stopTimeoutSeconds = stopTimeoutSeconds;
        this.killAfterTimeout = killAfterTimeout;
    }

    /**
     * Starts the server on the workspace's node and records it on the build, as {@code mysqlStart} does. The stop
     * options are checked first, so that nothing starts that could not be stopped as asked.
     */
    static BlockServer start(Run<?, ?> run, FilePath workspace, TaskListener listener, ServerSpec spec,
                             int stopTimeoutSeconds, boolean killAfterTimeout)
            throws IOException, InterruptedException {
        if (stopTimeoutSeconds <= 0) {
            throw new AbortException(STEP + ": stopTimeout must be a positive number of seconds; got "
                    + stopTimeoutSeconds);
        }
        Map<String, Object> server = MysqlOnNode.start(run, workspace, listener, spec, null, false);
        BlockServer started = new BlockServer(spec.bindAddress(), server, stopTimeoutSeconds, killAfterTimeout);
        StringBuilder variables = new StringBuilder();
        started.variables().forEach((name, value) -> variables.append(' ').append(name).append('=').append(value));
        listener.getLogger().println("[mysql-lifecycle] " + STEP + ": the block runs with" + variables);
        return started;
    }

    /**
     * The connection details, under the names the block sees. No MYSQL_USER: a start names no user (an initialized
     * data directory has root with an empty password); and never a password.
     */
    Map<String, String> variables() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("MYSQL_HOST", host);
        variables.put("MYSQL_PORT", Integer.toString(port));
        variables.put("MYSQL_UNIX_PORT", socket);
        variables.put("MYSQL_PID", Long.toString(pid));
        variables.put("MYSQL_DATADIR", datadir);
        return variables;
    }

    long pid() {
        return pid;
    }

    /**
     * Stops the server with SIGTERM, waiting up to the stop timeout (then SIGKILL when asked to), and records the
     * outcome on the build. A stop that failed or had to kill fails with an {@link AbortException}, whose message is
     * also written to the log here: when the block itself failed, that failure is the one reported, and this one only
     * rides along with it.
     */
    void stop(Run<?, ?> run, FilePath workspace, TaskListener listener) throws IOException, InterruptedException {
        PrintStream log = listener.getLogger();
        log.println("[mysql-lifecycle] " + STEP + ": the block ended; stopping the server, pid " + pid);
        try {
            MysqlOnNode.stop(run, workspace, listener, Specs.stop(STEP, pidFile, pid, startTicks, stopTimeoutSeconds,
                    killAfterTimeout), null);
        } catch (AbortException failed) {
            log.println("[mysql-lifecycle] " + STEP + ": the server did not stop cleanly: " + failed.getMessage());
            throw failed;
        }
    }
}
