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

/** The freestyle form of {@code mysqlStop}: with no pid file or pid, it stops the servers the build started here. */
public final class MysqlStopBuilder extends Builder implements SimpleBuildStep {
    private String pidFile;
    private long pid;
    private int timeout = Specs.DEFAULT_STOP_TIMEOUT;
    private boolean killAfterTimeout;
    private SshOptions ssh;

    @DataBoundConstructor
    public MysqlStopBuilder() {
    }

    public String getPidFile() {
        return pidFile;
    }

    @DataBoundSetter
    public void setPidFile(String pidFile) {
        this.pidFile = pidFile;
    }

    public long getPid() {
        return pid;
    }

    @DataBoundSetter
    public void setPid(long pid) {
        this.pid = pid;
    }

    public int getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    public boolean isKillAfterTimeout() {
        return killAfterTimeout;
    }

    @DataBoundSetter
    public void setKillAfterTimeout(boolean killAfterTimeout) {
        this.killAfterTimeout = killAfterTimeout;
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
        MysqlOnNode.stopTarget(run, workspace, listener, null, pidFile, pid, timeout, killAfterTimeout,
                Specs.ssh(ssh, env, "mysqlStop"));
    }

    @Extension
    @Symbol("mysqlStopBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        public boolean isApplicable(@SuppressWarnings("rawtypes") Class<? extends AbstractProject> jobType) {
            return true;
        }

        @Override
        public String getDisplayName() {
            return "Stop a MySQL/MariaDB server with SIGTERM";
        }

        @POST
        public FormValidation doCheckPidFile(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.absolutePath(value, "Pid file", false) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.positiveSeconds(value, "Timeout") : FormValidation.ok();
        }
    }
}
