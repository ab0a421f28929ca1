package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreResult;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreSpec;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.SshTarget;
import io.jenkins.plugins.mysqllifecycle.engine.StopResult;
import io.jenkins.plugins.mysqllifecycle.engine.StopSpec;
import io.jenkins.plugins.mysqllifecycle.engine.dump.Dumper;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ssh.SshHost;
import io.jenkins.plugins.mysqllifecycle.engine.restore.Restorer;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerLauncher;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerStopper;
import hudson.model.TaskListener;
import jenkins.security.MasterToSlaveCallable;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What runs in the agent's JVM: an immutable spec goes over the channel, the engine runs against the agent's own
 * machine, its log lines stream back through the listener, and the engine's result (or exception) comes back.
 * Aborting the build interrupts the agent thread, which the engine answers by ending its child processes.
 */
abstract class EngineCall<R> extends MasterToSlaveCallable<R, Exception> {
    private static final long serialVersionUID = 1L;
    private final SshTarget ssh;
    private final TaskListener listener;

    /** @param ssh the machine to work on over SSH from the agent; null for the agent itself */
    EngineCall(SshTarget ssh, TaskListener listener) {
        this.ssh = ssh;
        this.listener = listener;
    }

    @Override
    public final R call() throws Exception {
        try (Host host = ssh == null ? new LocalHost() : SshHost.connect(ssh, listener.getLogger())) {
            return run(host, listener.getLogger());
        }
    }

    abstract R run(Host host, PrintStream log) throws Exception;

    static final class Start extends EngineCall<ServerHandle> {
        private static final long serialVersionUID = 1L;
        private final ServerSpec spec;

        Start(ServerSpec spec, SshTarget ssh, TaskListener listener) {
            super(ssh, listener);
            this.spec = spec;
        }

        @Override
        ServerHandle run(Host host, PrintStream log) throws Exception {
            return new ServerLauncher(host, log).start(spec);
        }
    }

    /** A dump into the workspace: its directory is created there, and nothing may lead out of it. */
    static final class Dump extends EngineCall<DumpResult> {
        private static final long serialVersionUID = 1L;
        private final DumpSpec spec;
        private final String workspace;

        Dump(DumpSpec spec, String workspace, SshTarget ssh, TaskListener listener) {
            super(ssh, listener);
            this.spec = spec;
            this.workspace = workspace;
        }

        @Override
        DumpResult run(Host host, PrintStream log) throws Exception {
            Path root = Files.createDirectories(Path.of(workspace)).toRealPath();
            Path output = Path.of(spec.output()).toAbsolutePath().normalize();
            if (!output.startsWith(Path.of(workspace).toAbsolutePath().normalize())) {
                throw new InvalidSpecException("output " + spec.output() + " is outside the workspace " + workspace);
            }
            Path existing = output.getParent();
            while (!Files.exists(existing)) {
                existing = existing.getParent();
            }
            requireInside(root, existing.toRealPath(), spec.output());
            Files.createDirectories(output.getParent());
            requireInside(root, output.getParent().toRealPath(), spec.output());
            if (Files.isSymbolicLink(output)) {
                requireInside(root, output.toRealPath(), spec.output());
            }
            return new Dumper(host, log).dump(spec);
        }

        private static void requireInside(Path root, Path real, String output) throws InvalidSpecException {
            if (!real.startsWith(root)) {
                throw new InvalidSpecException("output " + output + " leads out of the workspace through a"
                        + " symbolic link (to " + real + "); give a path inside the workspace");
            }
        }
    }

    /**
     * A restore from the workspace: the dump file or directory must be there, and neither it nor a directory on its
     * way may be a link out of it. (A directory dump's own files are checked by the engine: each must be a regular
     * file directly inside it.)
     */
    static final class Restore extends EngineCall<RestoreResult> {
        private static final long serialVersionUID = 1L;
        private final RestoreSpec spec;
        private final String workspace;

        Restore(RestoreSpec spec, String workspace, SshTarget ssh, TaskListener listener) {
            super(ssh, listener);
            this.spec = spec;
            this.workspace = workspace;
        }

        @Override
        RestoreResult run(Host host, PrintStream log) throws Exception {
            Path input = Path.of(spec.input()).toAbsolutePath().normalize();
            if (!input.startsWith(Path.of(workspace).toAbsolutePath().normalize())) {
                throw new InvalidSpecException("mysqlRestore: input " + spec.input() + " is outside the workspace "
                        + workspace);
            }
            if (!Files.exists(input)) {
                throw new InvalidSpecException("mysqlRestore: input " + spec.input() + " does not exist: give the"
                        + " path of a dump file or directory in the workspace");
            }
            Path root = Path.of(workspace).toRealPath();
            Path real = input.toRealPath();
            if (!real.startsWith(root)) {
                throw new InvalidSpecException("mysqlRestore: input " + spec.input() + " leads out of the workspace"
                        + " through a symbolic link (to " + real + "); give a path inside the workspace");
            }
            return new Restorer(host, log).restore(spec);
        }
    }

    static final class Stop extends EngineCall<StopResult> {
        private static final long serialVersionUID = 1L;
        private final StopSpec spec;

        Stop(StopSpec spec, SshTarget ssh, TaskListener listener) {
            super(ssh, listener);
            this.spec = spec;
        }

        @Override
        StopResult run(Host host, PrintStream log) throws Exception {
            return new ServerStopper(host, log).stop(spec);
        }
    }
}
