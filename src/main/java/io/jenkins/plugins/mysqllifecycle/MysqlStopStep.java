package io.jenkins.plugins.mysqllifecycle;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Describable;
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

    /** What the step does; {@link MysqlStopBuilder} runs the same configuration in a freestyle build. */
    Object perform(Run<?, ?> run, FilePath workspace, EnvVars environment, TaskListener listener)
            throws IOException, InterruptedException {
        return MysqlOnNode.stopTarget(run, workspace, listener, server, pidFile, pid, timeout, killAfterTimeout,
                Specs.ssh(ssh, run, environment, "mysqlStop"));
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
            return step.perform(getContext().get(Run.class), StepContexts.workspace(getContext(), "mysqlStop"),
                    getContext().get(EnvVars.class), getContext().get(TaskListener.class));
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        /** Options whose help is written once, beside the step that owns it (one text, shown by every form). */
        @SuppressWarnings("rawtypes")
        static final Map<String, Class<? extends Describable>> SHARED_HELP = Map.of("pidFile", MysqlStartStep.class, "ssh", MysqlStartStep.class, "timeout", MysqlDumpStep.class, "server", MysqlDumpStep.class);

        public DescriptorImpl() {
            SHARED_HELP.forEach((field, owner) -> addHelpFileRedirect(field, owner, field));
        }

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
