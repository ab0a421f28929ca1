package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.StopResult;
import io.jenkins.plugins.mysqllifecycle.engine.StopSpec;
import hudson.Extension;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.listeners.RunListener;
import hudson.remoting.VirtualChannel;
import jenkins.model.Jenkins;

import java.io.PrintStream;
import java.util.function.Function;

/**
 * A server a build started and did not stop is stopped when the build ends (SIGTERM, the default stop timeout), unless
 * it was started with {@code keepRunning: true}. The build log says what happened to each.
 */
@Extension
public final class StopServersWhenBuildEnds extends RunListener<Run<?, ?>> {

    @Override
    public void onCompleted(Run<?, ?> run, TaskListener listener) {
        stopLeftovers(run, listener, node -> {
            Computer computer = Jenkins.get().getComputer(node);
            return computer == null ? null : computer.getChannel();
        });
    }

    /** {@code channels} finds the channel to a node by name; null when the node is gone or offline. */
    static void stopLeftovers(Run<?, ?> run, TaskListener listener, Function<String, VirtualChannel> channels) {
        ServersAction action = run.getAction(ServersAction.class);
        if (action == null) {
            return;
        }
        PrintStream log = listener.getLogger();
        for (ServerRecord server : action.getServers()) {
            if (server.isStopped() || server.isKeepRunning()) {
                continue;
            }
            String where = "pid " + server.getPid() + " on " + MysqlOnNode.describeNode(server.getNode());
            if (!server.getHost().equals(MysqlOnNode.hostName(null))) {
                // Its SSH key was bound only around the steps (withCredentials); it is gone now.
                server.stopFailed("not stopped: on an SSH host");
                log.println("[mysql-lifecycle] the build started pid " + server.getPid() + " on " + server.getHost()
                        + " over SSH and did not stop it; it is left running, since the SSH credentials are no longer"
                        + " bound. Stop it with mysqlStop(server: ..., ssh: ...) inside the build.");
                continue;
            }
            log.println("[mysql-lifecycle] the build started " + where + " and did not stop it; stopping it now");
            try {
                VirtualChannel channel = channels.apply(server.getNode());
                if (channel == null) {
                    server.stopFailed("node offline");
                    log.println("[mysql-lifecycle] cannot stop " + where + ": the node is offline; the server may"
                            + " still run there");
                    continue;
                }
                StopResult result = channel.call(new EngineCall.Stop(StopSpec.of(server.getPidFile(),
                        server.getPid(), server.getStartTicks(), StopSpec.DEFAULT_TIMEOUT, false), null, listener));
                server.stopped(result);
            } catch (EngineException e) {
                server.stopFailed(e.getMessage());
                log.println("[mysql-lifecycle] could not stop " + where + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.println("[mysql-lifecycle] interrupted while stopping " + where + "; it is left as it is");
                return;
            } catch (Exception e) {
                server.stopFailed(e.toString());
                log.println("[mysql-lifecycle] could not stop " + where + ": " + e);
            }
        }
    }
}
