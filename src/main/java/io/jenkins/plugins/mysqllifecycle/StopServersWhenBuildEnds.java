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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A server a build started and did not stop is stopped when the build ends (SIGTERM, the default stop timeout), unless
 * it was started with {@code keepRunning: true}. The build log says what happened to each.
 *
 * <p>The servers are stopped at the same time, each on a thread of its own, never on the thread that completes the
 * build (for a Pipeline, its CPS VM thread): that thread only waits, for all of them together, at most one stop
 * timeout and a margin. A stop still under way then is left to finish on its own and recorded when it does; the log
 * says which.
 */
@Extension
public final class StopServersWhenBuildEnds extends RunListener<Run<?, ?>> {
    /** What a stop over the channel may take beyond its own timeout: the call's round trip and the engine's checks. */
    static final Duration MARGIN = Duration.ofSeconds(15);

    @Override
    public void onCompleted(Run<?, ?> run, TaskListener listener) {
        stopLeftovers(run, listener, node -> {
            Computer computer = Jenkins.get().getComputer(node);
            return computer == null ? null : computer.getChannel();
        });
    }

    /** {@code channels} finds the channel to a node by name; null when the node is gone or offline. */
    static void stopLeftovers(Run<?, ?> run, TaskListener listener, Function<String, VirtualChannel> channels) {
        stopLeftovers(run, listener, channels, StopSpec.DEFAULT_TIMEOUT, StopSpec.DEFAULT_TIMEOUT.plus(MARGIN));
    }

    static void stopLeftovers(Run<?, ?> run, TaskListener listener, Function<String, VirtualChannel> channels,
                              Duration stopTimeout, Duration overallBound) {
        ServersAction action = run.getAction(ServersAction.class);
        if (action == null) {
            return;
        }
        PrintStream log = listener.getLogger();
        Map<ServerRecord, Future<?>> stops = new LinkedHashMap<>();
        ExecutorService threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "mysql-lifecycle: stop what " + run + " left running");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (ServerRecord server : action.getServers()) {
                if (server.isStopped() || server.isKeepRunning()) {
                    continue;
                }
                if (!server.getHost().equals(MysqlOnNode.hostName(null))) {
                    // Its SSH key was bound only around the steps (withCredentials); it is gone now.
                    server.stopFailed("not stopped: on an SSH host");
                    log.println("[mysql-lifecycle] the build started pid " + server.getPid() + " on "
                            + server.getHost() + " over SSH and did not stop it; it is left running, since the SSH"
                            + " credentials are no longer bound. Stop it with mysqlStop(server: ..., ssh: ...) inside"
                            + " the build.");
                    continue;
                }
                log.println("[mysql-lifecycle] the build started " + where(server) + " and did not stop it; stopping"
                        + " it now");
                stops.put(server, threads.submit(() -> stop(server, channels, stopTimeout, listener)));
            }
        } finally {
            threads.shutdown();
        }
        long deadline = System.nanoTime() + overallBound.toNanos(); // one bound for all of them together
        for (Map.Entry<ServerRecord, Future<?>> stop : stops.entrySet()) {
            try {
                stop.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                log.println("[mysql-lifecycle] " + where(stop.getKey()) + " is still stopping after "
                        + overallBound.toSeconds() + " s; it finishes on its own and the build page will say"
                        + " how it ended");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.println("[mysql-lifecycle] interrupted while waiting for the stops; they go on on their own");
                return;
            } catch (ExecutionException e) {
                log.println("[mysql-lifecycle] could not stop " + where(stop.getKey()) + ": " + e.getCause());
            }
        }
    }

    private static String where(ServerRecord server) {
        return "pid " + server.getPid() + " on " + ServerMaps.describeNode(server.getNode());
    }

    /** One server's stop, on its own thread; its outcome goes to the log and the server's record. */
    private static void stop(ServerRecord server, Function<String, VirtualChannel> channels, Duration timeout,
                             TaskListener listener) {
        PrintStream log = listener.getLogger();
        String where = where(server);
        try {
            VirtualChannel channel = channels.apply(server.getNode());
            if (channel == null) {
                server.stopFailed("node offline");
                log.println("[mysql-lifecycle] cannot stop " + where + ": the node is offline; the server may still"
                        + " run there");
                return;
            }
            StopResult result = channel.call(new EngineCall.Stop(StopSpec.of(server.getPidFile(), server.getPid(),
                    server.getStartTicks(), timeout, false), null, listener));
            server.stopped(result);
            log.println("[mysql-lifecycle] stopped " + where + " in " + result.millis() + " ms");
        } catch (EngineException e) {
            server.stopFailed(e.getMessage());
            log.println("[mysql-lifecycle] could not stop " + where + ": " + e.getMessage());
        } catch (InterruptedException e) {
            server.stopFailed("interrupted");
            log.println("[mysql-lifecycle] interrupted while stopping " + where + "; it is left as it is");
        } catch (Exception e) {
            server.stopFailed(e.toString());
            log.println("[mysql-lifecycle] could not stop " + where + ": " + e);
        }
    }
}
