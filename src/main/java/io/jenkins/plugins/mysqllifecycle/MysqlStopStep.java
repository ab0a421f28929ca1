package io.jenkins.plugins.mysqllifecycle;

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

import java.util.Map;
import java.util.Set;

/**
 * {@code mysqlStop(server: s)}: SIGTERM to the verified server process, then wait up to {@code timeout} seconds for
 * it to exit; a timeout fails the build. With no target it stops every server this build started on this node and
 * returns the list of results; otherwise one result map (pid, millis, forced, alreadyStopped, ...).
 */
public final class MysqlStopStep extends Step {
    @SuppressWarnings("rawtypes") // a raw Map is what pipeline arguments bind to as they are
    private Map server;
    private String pidFile;
    private long pid;
    private int timeout = Specs.DEFAULT_STOP_TIMEOUT;
    private boolean killAfterTimeout;
    private SshOptions ssh;

    @DataBoundConstructor
    public MysqlStopStep() {
    }

    @SuppressWarnings("rawtypes")
    public Map getServer() {
        return server;
    }

    @DataBoundSetter
    @SuppressWarnings("rawtypes")
    public void setServer(Map server) {
        this.server = server;
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
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Object> {
        private static final long serialVersionUID = 1L;
        private final transient MysqlStopStep step;

        Execution(StepContext context, MysqlStopStep step) {
            super(context);
            this.step = step;
        }

        @Override
        protected Object run() throws Exception {
            FilePath workspace = StepContexts.workspace(getContext(), "mysqlStop");
            return MysqlOnNode.stopTarget(getContext().get(Run.class), workspace, getContext().get(TaskListener.class),
                    step.server, step.pidFile, step.pid, step.timeout, step.killAfterTimeout,
                    Specs.ssh(step.ssh, getContext().get(hudson.EnvVars.class), "mysqlStop"));
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "mysqlStop";
        }

        @Override
        public String getDisplayName() {
            return "Stop a MySQL/MariaDB server with SIGTERM";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepContexts.REQUIRED;
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
