package io.jenkins.plugins.mysqllifecycle;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.io.IOException;

/** The freestyle form of {@code mysqlStart}: same fields, same defaults. */
public final class MysqlStartBuilder extends Builder implements SimpleBuildStep {
    private final String datadir;
    private int port;
    private String socket;
    private String pidFile;
    private String mysqld;
    private boolean initialize;
    private String defaultsFile;
    private int readyTimeout = Specs.DEFAULT_READY_TIMEOUT;
    private String osUser;
    private boolean keepRunning;
    private SshOptions ssh;

    @DataBoundConstructor
    public MysqlStartBuilder(String datadir) {
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

    public boolean isKeepRunning() {
        return keepRunning;
    }

    @DataBoundSetter
    public void setKeepRunning(boolean keepRunning) {
        this.keepRunning = keepRunning;
    }

    public SshOptions getSsh() {
        return ssh;
    }

    /** Work on another machine, reached over SSH from the node; null for the node itself. */
    @DataBoundSetter
    public void setSsh(SshOptions ssh) {
        this.ssh = ssh;
    }

    @Override
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        MysqlOnNode.start(run, workspace, listener, Specs.start(datadir, port, socket, pidFile, mysqld, initialize,
                defaultsFile, readyTimeout, osUser), Specs.ssh(ssh, env, "mysqlStart"), keepRunning);
    }

    @Extension
    @Symbol("mysqlStartBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        public boolean isApplicable(@SuppressWarnings("rawtypes") Class<? extends AbstractProject> jobType) {
            return true;
        }

        @Override
        public String getDisplayName() {
            return "Start a MySQL/MariaDB server";
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
    }
}
