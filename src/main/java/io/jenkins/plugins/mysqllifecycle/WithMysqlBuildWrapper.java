package io.jenkins.plugins.mysqllifecycle;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildWrapperDescriptor;
import jenkins.tasks.SimpleBuildWrapper;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

import java.io.IOException;

/**
 * The freestyle form of {@code withMysql}, "Run a MySQL server during the build": the server starts before the build
 * steps, they see MYSQL_HOST, MYSQL_PORT, MYSQL_UNIX_PORT, MYSQL_PID and MYSQL_DATADIR, and it is stopped after them,
 * whatever their result. A stop that fails fails the build.
 */
public final class WithMysqlBuildWrapper extends SimpleBuildWrapper {
    private final WithMysqlStep server;

    /** The block step's own configuration, shown with its form, help and validation. */
    @DataBoundConstructor
    public WithMysqlBuildWrapper(WithMysqlStep server) {
        this.server = server;
    }

    public WithMysqlStep getServer() {
        return server;
    }

    @Override
    public void setUp(Context context, Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener,
                      EnvVars initialEnvironment) throws IOException, InterruptedException {
        BlockServer started = BlockServer.start(build, workspace, listener, server.serverSpec(),
                server.getStopTimeout(), server.isKillAfterTimeout());
        started.variables().forEach(context::env);
        context.setDisposer(new StopServer(started));
    }

    /** Runs after the build steps, whatever their result (and on abort); kept with the build, so plain values only. */
    static final class StopServer extends Disposer {
        private static final long serialVersionUID = 1L;
        private final BlockServer server;

        StopServer(BlockServer server) {
            this.server = server;
        }

        @Override
        public void tearDown(Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener)
                throws IOException, InterruptedException {
            server.stop(build, workspace, listener);
        }
    }

    @Extension
    @Symbol("withMysqlWrapper")
    public static final class DescriptorImpl extends BuildWrapperDescriptor {
        @Override
        public boolean isApplicable(AbstractProject<?, ?> item) {
            return true;
        }

        @Override
        public String getDisplayName() {
            return "Run a MySQL server during the build";
        }
    }
}
