package io.jenkins.plugins.mysqllifecycle;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * {@code mysqlStart(datadir: ...)}: starts a server on the current node and returns its map (pid, port, socket,
 * pidFile, datadir, version, flavor, readyMillis, node, ...), which {@code mysqlDump} and {@code mysqlStop} accept
 * as {@code server:}.
 */
public final class MysqlStartStep extends Step {
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
    public MysqlStartStep(String datadir) {
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

    /** What the step does; {@link MysqlStartBuilder} runs the same configuration in a freestyle build. */
    Map<String, Object> perform(Run<?, ?> run, FilePath workspace, EnvVars environment, TaskListener listener)
            throws IOException, InterruptedException {
        return MysqlOnNode.start(run, workspace, listener, Specs.start(datadir, port, socket, pidFile, mysqld,
                initialize, defaultsFile, readyTimeout, osUser), Specs.ssh(ssh, run, environment, "mysqlStart"),
                keepRunning);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient MysqlStartStep step;

        Execution(StepContext context, MysqlStartStep step) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            return step.perform(getContext().get(Run.class), StepContexts.workspace(getContext(), "mysqlStart"),
                    getContext().get(EnvVars.class), getContext().get(TaskListener.class));
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "mysqlStart";
        }

        @Override
        public String getDisplayName() {
            return "Start a MySQL/MariaDB server";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepContexts.REQUIRED;
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
