package io.jenkins.plugins.mysqllifecycle;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildWrapperDescriptor;
import hudson.util.FormValidation;
import jenkins.tasks.SimpleBuildWrapper;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.io.IOException;

/**
 * The freestyle form of {@code withMysql}, "Run a MySQL server during the build": the server starts before the build
 * steps, they see MYSQL_HOST, MYSQL_PORT, MYSQL_UNIX_PORT, MYSQL_PID and MYSQL_DATADIR, and it is stopped after them,
 * whatever their result. A stop that fails fails the build.
 */
public final class WithMysqlBuildWrapper extends SimpleBuildWrapper {
    private final String datadir;
    private int port;
    private String socket;
    private String pidFile;
    private String mysqld;
    private boolean initialize;
    private String defaultsFile;
    private int readyTimeout = Specs.DEFAULT_READY_TIMEOUT;
    private String osUser;
    private int stopTimeout = Specs.DEFAULT_STOP_TIMEOUT;
    private boolean killAfterTimeout;

    @DataBoundConstructor
    public WithMysqlBuildWrapper(String datadir) {
        this.datadir = datadir;
    }

    public String getDatadir() {
        return datadir;
    }

    public int getPort() {
        return port;
    }

    @DataBoundSetter
    public void setPort(int port) {
        this.port = port;
    }

    public String getSocket() {
        return socket;
    }

    @DataBoundSetter
    public void setSocket(String socket) {
        this.socket = socket;
    }

    public String getPidFile() {
        return pidFile;
    }

    @DataBoundSetter
    public void setPidFile(String pidFile) {
        this.pidFile = pidFile;
    }

    public String getMysqld() {
        return mysqld;
    }

    @DataBoundSetter
    public void setMysqld(String mysqld) {
        this.mysqld = mysqld;
    }

    public boolean isInitialize() {
        return initialize;
    }

    @DataBoundSetter
    public void setInitialize(boolean initialize) {
        this.initialize = initialize;
    }

    public String getDefaultsFile() {
        return defaultsFile;
    }

    @DataBoundSetter
    public void setDefaultsFile(String defaultsFile) {
        this.defaultsFile = defaultsFile;
    }

    public int getReadyTimeout() {
        return readyTimeout;
    }

    @DataBoundSetter
    public void setReadyTimeout(int readyTimeout) {
        this.readyTimeout = readyTimeout;
    }

    public String getOsUser() {
        return osUser;
    }

    @DataBoundSetter
    public void setOsUser(String osUser) {
        this.osUser = osUser;
    }

    public int getStopTimeout() {
        return stopTimeout;
    }

    @DataBoundSetter
    public void setStopTimeout(int stopTimeout) {
        this.stopTimeout = stopTimeout;
    }

    public boolean isKillAfterTimeout() {
        return killAfterTimeout;
    }

    @DataBoundSetter
    public void setKillAfterTimeout(boolean killAfterTimeout) {
        this.killAfterTimeout = killAfterTimeout;
    }

    @Override
    public void setUp(Context context, Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener,
                      EnvVars initialEnvironment) throws IOException, InterruptedException {
        BlockServer server = BlockServer.start(build, workspace, listener, Specs.start(BlockServer.STEP, datadir, port,
                socket, pidFile, mysqld, initialize, defaultsFile, readyTimeout, osUser), stopTimeout,
                killAfterTimeout);
        server.variables().forEach(context::env);
        context.setDisposer(new StopServer(server));
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

        @POST
        public FormValidation doCheckDatadir(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.absolutePath(value, "Data directory", true)
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckPort(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.port(value, true) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckReadyTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.positiveSeconds(value, "Ready timeout") : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckStopTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.positiveSeconds(value, "Stop timeout") : FormValidation.ok();
        }
    }
}
