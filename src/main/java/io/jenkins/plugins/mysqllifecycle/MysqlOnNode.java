package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreResult;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreSpec;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.SshTarget;
import io.jenkins.plugins.mysqllifecycle.engine.StopResult;
import io.jenkins.plugins.mysqllifecycle.engine.StopSpec;
import io.jenkins.plugins.mysqllifecycle.engine.StopTimeoutException;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place the pipeline steps and the freestyle builders share: run the engine on the node that holds the
 * workspace, record started servers on the build, and turn the engine's failures into build failures that show
 * their message without a stack trace.
 */
final class MysqlOnNode {
    private MysqlOnNode() {
    }

    static String nodeName(FilePath workspace) {
        Computer computer = workspace.toComputer();
        return computer == null ? "" : computer.getName();
    }

    /** Where a server runs, as its map and record name it: "localhost" (the node itself) or an SSH destination. */
    static String hostName(SshTarget ssh) {
        return ssh == null ? new io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost().describe() : ssh.describe();
    }

    static Map<String, Object> start(Run<?, ?> run, FilePath workspace, TaskListener listener, ServerSpec spec,
                                     SshTarget ssh, boolean keepRunning) throws IOException, InterruptedException {
        String node = nodeName(workspace);
        ServerHandle server = call(workspace, new EngineCall.Start(spec, ssh, listener));
        ServersAction.of(run).add(new ServerRecord(node, server, StopSpec.DEFAULT_TIMEOUT.toSeconds(), keepRunning));
        if (keepRunning) {
            listener.getLogger().println("[mysql-lifecycle] keepRunning: pid " + server.pid() + " on "
                    + ServerMaps.describeNode(node) + " is left running when the build ends");
        }
        return ServerMaps.toMap(server, node);
    }

    /** Dumps, and records the dump, or its failure, on the build's page ({@link DumpsAction}). */
    static Map<String, Object> dump(Run<?, ?> run, FilePath workspace, TaskListener listener, DumpSpec spec,
                                    SshTarget ssh) throws IOException, InterruptedException {
        String node = nodeName(workspace);
        String host = serverHost(spec, node, ssh);
        Instant startedAt = Instant.now();
        DumpResult result;
        try {
            result = call(workspace, new EngineCall.Dump(spec, workspace.getRemote(), ssh, listener));
        } catch (IOException | RuntimeException | InterruptedException failed) {
            DumpsAction.of(run).add(DumpRecord.failed(node, host, spec.databases(), spec.allDatabases(),
                    workspaceRelative(workspace, spec.output()), startedAt, failed instanceof InterruptedException
                            ? "aborted while dumping" : failed.getMessage() == null ? failed.toString()
                            : failed.getMessage()));
            throw failed;
        }
        DumpsAction.of(run).add(DumpRecord.written(node, host, workspaceRelative(workspace, result.file()), result));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("file", workspaceRelative(workspace, result.file()));
        map.put("path", result.file());
        map.put("manifest", result.manifest());
        map.put("bytes", result.bytes());
        map.put("rawBytes", result.rawBytes());
        map.put("sha256", result.sha256());
        map.put("compress", result.compression().id());
        map.put("format", result.format());
        map.put("verified", result.verified());
        map.put("serverVersion", result.serverVersion());
        map.put("millis", result.millis());
        if (result.binlog() != null) {
            // "off", or a map of file, position and gtidSet: where the snapshot stands, for a replica or a replay
            map.put("binlog", result.binlog().toManifestValue());
        }
        map.put("removed", new ArrayList<>(result.removed()));
        return map;
    }

    /**
     * The machine a dump's server is on, as the pages of dumps name it: for a server on the loopback address or a
     * socket, the SSH destination or the node; otherwise the host the dump connected to. A server the build started
     * on a free port is the same one build after build, so the port is not part of it.
     */
    static String serverHost(DumpSpec spec, String node, SshTarget ssh) {
        boolean local = spec.socket() != null || spec.host() == null || spec.host().equals("127.0.0.1")
                || spec.host().equals("localhost") || spec.host().equals("::1");
        if (!local) {
            return spec.host() + ":" + spec.port();
        }
        return ssh != null ? ssh.describe() : node.isEmpty() ? "built-in" : node;
    }

    static Map<String, Object> restore(FilePath workspace, TaskListener listener, RestoreSpec spec, SshTarget ssh)
            throws IOException, InterruptedException {
        RestoreResult result = call(workspace, new EngineCall.Restore(spec, workspace.getRemote(), ssh, listener));
        return new LinkedHashMap<>(result.toMap());
    }

    /**
     * The absolute path on the node of a dump's output or a restore's input, which must be relative to the workspace
     * and have no ".." step; the callable checks the real path again on the node, where links are resolved.
     *
     * @param option the argument as the user wrote it: output or input
     */
    static String inWorkspace(FilePath workspace, String path, String option, String step) throws AbortException {
        return inWorkspace(workspace, path, path, option, step);
    }

    /** {@code asGiven} is the path before the build's variables were expanded into it, for the message. */
    static String inWorkspace(FilePath workspace, String path, String asGiven, String option, String step)
            throws AbortException {
        if (Validation.workspacePath(path).kind != FormValidation.Kind.OK) {
            throw new AbortException(step + ": " + option + " " + (asGiven.equals(path) ? path
                    : asGiven + " (" + path + ")") + " must be a path relative to the workspace, without '..'");
        }
        return workspace.child(path.strip()).getRemote();
    }

    static Map<String, Object> stop(Run<?, ?> run, FilePath workspace, TaskListener listener, StopSpec spec,
                                    SshTarget ssh) throws IOException, InterruptedException {
        String node = nodeName(workspace);
        ServerRecord record = findRecord(run, node, hostName(ssh), spec);
        StopResult result;
        try {
            result = call(workspace, new EngineCall.Stop(spec, ssh, listener));
        } catch (AbortException failed) {
            if (record != null) {
                record.stopFailed(failed.getMessage());
            }
            throw failed;
        } catch (InterruptedException aborted) {
            listener.getLogger().println("[mysql-lifecycle] aborted while waiting for the server to exit; it is"
                    + " left as it is (it was sent SIGTERM and was not killed)");
            throw aborted;
        }
        if (record != null) {
            record.stopped(result);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("pid", result.pid());
        map.put("node", node);
        map.put("host", hostName(ssh));
        map.put("millis", result.millis());
        map.put("signal", result.signal() == null ? null : result.signal().name());
        map.put("forced", result.forced());
        map.put("alreadyStopped", result.alreadyStopped());
        return map;
    }

    /**
     * Stops the server a {@code mysqlStop} names: by the map {@code mysqlStart} returned, by pid or pid file, or,
     * with none of them, every server the build started on this node (then the result is a list).
     */
    static Object stopTarget(Run<?, ?> run, FilePath workspace, TaskListener listener, Map<?, ?> server,
                             String pidFile, long pid, int timeoutSeconds, boolean killAfterTimeout, SshTarget ssh)
            throws IOException, InterruptedException {
        if (server != null) {
            ServerMaps.requireSameMachine(server, nodeName(workspace), hostName(ssh), "mysqlStop");
            return stop(run, workspace, listener, Specs.stop(ServerMaps.text(server, "pidFile"),
                    ServerMaps.number(server, "pid"), ServerMaps.number(server, "startTicks"), timeoutSeconds,
                    killAfterTimeout), ssh);
        }
        if (pid > 0 || (pidFile != null && !pidFile.isBlank())) {
            return stop(run, workspace, listener, Specs.stop(pidFile, pid, 0, timeoutSeconds, killAfterTimeout), ssh);
        }
        if (timeoutSeconds <= 0) {
            throw new AbortException("mysqlStop: timeout must be a positive number of seconds; got " + timeoutSeconds);
        }
        return stopAll(run, workspace, listener, timeoutSeconds, killAfterTimeout, ssh);
    }

    /** Stops every server this build started on the workspace's node (or the SSH host) that is not stopped yet. */
    static List<Map<String, Object>> stopAll(Run<?, ?> run, FilePath workspace, TaskListener listener,
                                             int timeoutSeconds, boolean killAfterTimeout, SshTarget ssh)
            throws IOException, InterruptedException {
        String node = nodeName(workspace);
        String host = hostName(ssh);
        List<Map<String, Object>> results = new ArrayList<>();
        for (ServerRecord record : ServersAction.of(run).getServers()) {
            if (record.getNode().equals(node) && record.getHost().equals(host) && !record.isStopped()) {
                results.add(stop(run, workspace, listener, Specs.stop(record.getPidFile(), record.getPid(),
                        record.getStartTicks(), timeoutSeconds, killAfterTimeout), ssh));
            }
        }
        if (results.isEmpty()) {
            listener.getLogger().println("[mysql-lifecycle] this build started no server on " + host + " through "
                    + ServerMaps.describeNode(node) + " that is still running; nothing to stop");
        }
        return results;
    }

    /**
     * Where a dump or restore connects when it names no server, port or socket: the server this build started last
     * on this node and has not stopped (what a freestyle job, which cannot pass a map between steps, means).
     *
     * @param step   mysqlDump or mysqlRestore, for the message
     * @param wanted what the step needs, for the message: "the server to dump"
     */
    static Specs.Connection connection(Run<?, ?> run, FilePath workspace, String host, int port, String socket,
                                       SshTarget ssh, String step, String wanted) throws AbortException {
        if (port != 0 || (socket != null && !socket.isBlank())) {
            return new Specs.Connection(host, port, socket);
        }
        String node = nodeName(workspace);
        List<ServerRecord> servers = ServersAction.of(run).getServers();
        for (int i = servers.size() - 1; i >= 0; i--) {
            ServerRecord server = servers.get(i);
            if (server.getNode().equals(node) && server.getHost().equals(hostName(ssh)) && !server.isStopped()) {
                return new Specs.Connection("127.0.0.1", server.getPort(), null);
            }
        }
        throw new AbortException(step + ": give " + wanted + " (server:, port: or socket:); this build started no"
                + " running server on " + ServerMaps.describeNode(node) + " to default to");
    }

    private static ServerRecord findRecord(Run<?, ?> run, String node, String host, StopSpec spec) {
        for (ServerRecord record : ServersAction.of(run).getServers()) {
            if (!record.getHost().equals(host)) {
                continue;
            }
            if (spec.pid() > 0 ? record.isSameServer(node, spec.pid(), spec.startTicks())
                    : record.getNode().equals(node) && record.getPidFile().equals(spec.pidFile())) {
                return record;
            }
        }
        return null;
    }

    private static String workspaceRelative(FilePath workspace, String path) {
        String root = workspace.getRemote();
        return path.startsWith(root + "/") ? path.substring(root.length() + 1) : path;
    }

    /**
     * Runs a call on the workspace's node. The engine's own failures become an {@link AbortException}: the build
     * log shows the message, which names the cause and the fix, without a stack trace.
     */
    static <R> R call(FilePath workspace, EngineCall<R> call) throws IOException, InterruptedException {
        try {
            return workspace.act(call);
        } catch (StopTimeoutException timedOut) {
            throw new AbortException(timedOut.getMessage() + " (" + ServerMaps.describeNode(nodeName(workspace)) + ")");
        } catch (EngineException failed) {
            throw new AbortException(failed.getMessage());
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception unexpected) {
            throw new IOException(unexpected);
        }
    }
}
