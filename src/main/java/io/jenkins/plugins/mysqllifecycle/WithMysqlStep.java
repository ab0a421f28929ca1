package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Describable;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code withMysql(datadir: ...) { ... }}: starts a server on the current node, runs the block with its connection
 * details in MYSQL_HOST, MYSQL_PORT, MYSQL_UNIX_PORT, MYSQL_PID and MYSQL_DATADIR, and stops it (SIGTERM, up to
 * {@code stopTimeout} seconds, then SIGKILL only with {@code killAfterTimeout}) when the block ends: after success,
 * failure or abort. A stop that fails fails the step; when the block failed too, the block's failure is the one
 * reported, with the stop's added to it as suppressed.
 */
public final class WithMysqlStep extends Step {
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
    public WithMysqlStep(String datadir) {
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

    /** Seconds the server may take to exit after SIGTERM when the block ends (mysqlStop's {@code timeout}). */
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

    ServerSpec serverSpec() throws AbortException {
        return Specs.start(BlockServer.STEP, datadir, port, socket, pidFile, mysqld, initialize, defaultsFile,
                readyTimeout, osUser);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    /**
     * Starting and stopping the server wait on the node, so both run on a background thread, never on the CPS VM
     * thread: the start from {@link #start()}, the stop from the body's tail call.
     */
    static final class Execution extends GeneralNonBlockingStepExecution {
        private static final long serialVersionUID = 1L;
        private final transient WithMysqlStep step;
        private BlockServer server;
        private BodyExecution body;
        private boolean bodyEnded;
        private transient Throwable abortCause;

        Execution(StepContext context, WithMysqlStep step) {
            super(context);
            this.step = step;
        }

        @Override
        public boolean start() {
            run(this::startServerThenBody);
            return false;
        }

        private void startServerThenBody() throws Exception {
            StepContext context = getContext();
            FilePath workspace = StepContexts.workspace(context, BlockServer.STEP);
            Run<?, ?> run = context.get(Run.class);
            TaskListener listener = context.get(TaskListener.class);
            EnvironmentExpander enclosing = context.get(EnvironmentExpander.class);
            BodyInvoker invoker = bodyInvoker(context);
            BlockServer started = BlockServer.start(run, workspace, listener, step.serverSpec(), step.stopTimeout,
                    step.killAfterTimeout);
            invoker.withContext(EnvironmentExpander.merge(enclosing, new ConnectionVariables(started.variables())))
                    .withCallback(new StopServerWhenBodyEnds());
            RuntimeException cannotRun = null;
            synchronized (this) {
                server = started;
                if (abortCause == null) {
                    try {
                        body = invoker.start(); // schedules the body; Pipeline runs it on the CPS VM thread
                        return;
                    } catch (RuntimeException e) {
                        cannotRun = e;
                    }
                }
            }
            // Aborted just as the server became ready (the step has failed already, see stop), or the body could not
            // be scheduled: the block never runs, and nothing else would stop the server before the build ends.
            boolean interrupted = Thread.interrupted();
            try {
                started.stop(run, workspace, listener);
            } catch (IOException | RuntimeException stopFailed) {
                if (cannotRun == null) {
                    throw stopFailed;
                }
                cannotRun.addSuppressed(stopFailed);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (cannotRun != null) {
                throw cannotRun;
            }
        }

        /** Refuses a call without a block before anything starts. */
        private static BodyInvoker bodyInvoker(StepContext context) throws AbortException {
            try {
                return context.newBodyInvoker();
            } catch (IllegalStateException noBlock) {
                throw new AbortException(BlockServer.STEP + " needs a block: withMysql(datadir: ...) { steps that use"
                        + " the server }");
            }
        }

        /**
         * An abort while the block runs ends the block; its tail call then stops the server and fails the step with
         * the block's failure. An abort while the server starts or stops interrupts that (a half-started server is
         * stopped by the engine; a stopping one was sent SIGTERM and is left to exit) and fails the step at once.
         */
        @Override
        public void stop(Throwable cause) throws Exception {
            BodyExecution running;
            synchronized (this) {
                abortCause = cause;
                running = bodyEnded ? null : body;
            }
            if (running != null) {
                running.cancel(cause);
            } else {
                super.stop(cause);
            }
        }

        /** Stops the server when the block ends, however it ends (see TailCall for the outcome of the step). */
        private final class StopServerWhenBodyEnds extends TailCall {
            private static final long serialVersionUID = 1L;

            @Override
            protected void finished(StepContext bodyContext) throws Exception {
                synchronized (Execution.this) {
                    bodyEnded = true;
                }
                StepContext context = getContext();
                server.stop(context.get(Run.class), StepContexts.workspace(context, BlockServer.STEP),
                        context.get(TaskListener.class));
            }
        }
    }

    /** Adds the server's connection details to the block's environment, on top of what the block had. */
    static final class ConnectionVariables extends EnvironmentExpander {
        private static final long serialVersionUID = 1L;
        private final LinkedHashMap<String, String> variables;

        ConnectionVariables(Map<String, String> variables) {
            this.variables = new LinkedHashMap<>(variables);
        }

        @Override
        public void expand(EnvVars env) throws IOException, InterruptedException {
            env.overrideAll(variables);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        /** Options whose help is written once, beside the step that owns it (one text, shown by every form). */
        @SuppressWarnings("rawtypes")
        static final Map<String, Class<? extends Describable>> SHARED_HELP = Map.of("defaultsFile", MysqlStartStep.class, "initialize", MysqlStartStep.class, "mysqld", MysqlStartStep.class, "osUser", MysqlStartStep.class, "readyTimeout", MysqlStartStep.class);

        public DescriptorImpl() {
            SHARED_HELP.forEach((field, owner) -> addHelpFileRedirect(field, owner, field));
        }

        @Override
        public String getFunctionName() {
            return "withMysql";
        }

        @Override
        public String getDisplayName() {
            return "Run a MySQL/MariaDB server around a block";
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        /** The workspace (which node), the build (its server records) and the log; an EnvironmentExpander if any. */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, Run.class, TaskListener.class);
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
