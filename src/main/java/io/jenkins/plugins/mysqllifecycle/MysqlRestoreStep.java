package io.jenkins.plugins.mysqllifecycle;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.SshTarget;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Describable;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
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
 * {@code mysqlRestore(server: s, input: 'backup/shop')}: loads a dump from the workspace (a file {@code mysqlDump}
 * wrote, or the directory of a parallel dump) into a server, after checking it against its manifest. The password
 * comes from the environment variable {@code passwordVariable} names, as for {@code mysqlDump}.
 */
public final class MysqlRestoreStep extends Step {
    private final String input;
    @SuppressWarnings("rawtypes") // a raw Map is what pipeline arguments bind to as they are
    private Map server;
    private String host;
    private int port;
    private String socket;
    private String user;
    private String credentialsId;
    private String passwordVariable;
    private String defaultsFile;
    private int threads;
    private int timeout = Specs.DEFAULT_RESTORE_TIMEOUT;
    private String clientTool;
    private boolean skipBinaryLog;
    private boolean allowCrossFlavor;
    private String tls;
    private String tlsCa;
    private SshOptions ssh;

    @DataBoundConstructor
    public MysqlRestoreStep(String input) {
        this.input = input;
    }

    public String getInput() {
        return input;
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

    public String getHost() {
        return host;
    }

    @DataBoundSetter
    public void setHost(String host) {
        this.host = host;
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

    /** The user to log in as; null for the credential's user, or root without a credential. */
    public String getUser() {
        return user;
    }

    @DataBoundSetter
    public void setUser(String user) {
        this.user = JobCredentials.blankToNull(user);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /**
     * The id of a usernamePassword credential in the credentials store: its user and password log in (user may then
     * be left out). Instead of passwordVariable, never beside it.
     */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = JobCredentials.blankToNull(credentialsId);
    }

    public String getPasswordVariable() {
        return passwordVariable;
    }

    @DataBoundSetter
    public void setPasswordVariable(String passwordVariable) {
        this.passwordVariable = passwordVariable;
    }

    public String getDefaultsFile() {
        return defaultsFile;
    }

    @DataBoundSetter
    public void setDefaultsFile(String defaultsFile) {
        this.defaultsFile = defaultsFile;
    }

    public int getThreads() {
        return threads;
    }

    /** Connections loading a directory dump; 0 for one per core of the node. */
    @DataBoundSetter
    public void setThreads(int threads) {
        this.threads = threads;
    }

    public int getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    public String getClientTool() {
        return clientTool;
    }

    /** The mariadb or mysql client that loads a dump file; empty to find one. */
    @DataBoundSetter
    public void setClientTool(String clientTool) {
        this.clientTool = clientTool;
    }

    public boolean isSkipBinaryLog() {
        return skipBinaryLog;
    }

    /**
     * Load without writing the server's binary log (needs SUPER, SESSION_VARIABLES_ADMIN or BINLOG ADMIN): faster
     * on a server that logs, but replicas and point-in-time recovery never see the restored rows.
     */
    @DataBoundSetter
    public void setSkipBinaryLog(boolean skipBinaryLog) {
        this.skipBinaryLog = skipBinaryLog;
    }

    public boolean isAllowCrossFlavor() {
        return allowCrossFlavor;
    }

    /**
     * Load a MySQL dump into MariaDB or the reverse, which is refused by default because such a load usually fails
     * partway (collations, sql_mode values and objects one flavor lacks).
     */
    @DataBoundSetter
    public void setAllowCrossFlavor(boolean allowCrossFlavor) {
        this.allowCrossFlavor = allowCrossFlavor;
    }

    public String getTls() {
        return tls;
    }

    /**
     * disabled, preferred, required, verify-ca or verify-identity; null for the engine's choice: disabled on the
     * loopback address, required elsewhere, verify-identity with a CA file.
     */
    @DataBoundSetter
    public void setTls(String tls) {
        this.tls = JobCredentials.blankToNull(tls);
    }

    public String getTlsCa() {
        return tlsCa;
    }

    /** The PEM file of the CA that signs the server's certificate, on the node (or the SSH host); null for none. */
    @DataBoundSetter
    public void setTlsCa(String tlsCa) {
        this.tlsCa = JobCredentials.blankToNull(tlsCa);
    }

    public SshOptions getSsh() {
        return ssh;
    }

    /** Load into a server on another machine, reached over SSH from the node; null for the node itself. */
    @DataBoundSetter
    public void setSsh(SshOptions ssh) {
        this.ssh = ssh;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    /**
     * Where the restore connects: the server map's port wins over port/host/socket; with none of them, the server
     * this build started last on this node.
     */
    Specs.Connection connection(Run<?, ?> run, FilePath workspace, SshTarget target) throws AbortException {
        if (server != null) {
            ServerMaps.requireSameMachine(server, MysqlOnNode.nodeName(workspace), MysqlOnNode.hostName(target),
                    "mysqlRestore");
            return new Specs.Connection("127.0.0.1", (int) ServerMaps.number(server, "port"), null);
        }
        return MysqlOnNode.connection(run, workspace, host, port, socket, target, "mysqlRestore",
                "the server to restore into");
    }

    /**
     * What the step does; {@link MysqlRestoreBuilder} runs the same configuration in a freestyle build, with its
     * stored password (null for none).
     */
    Map<String, Object> perform(Run<?, ?> run, FilePath workspace, EnvVars environment, TaskListener listener,
                                Password storedPassword) throws IOException, InterruptedException {
        JobCredentials.Account account = JobCredentials.databaseAccount(run, environment, user, credentialsId,
                passwordVariable, storedPassword, "mysqlRestore");
        SshTarget target = Specs.ssh(ssh, run, environment, "mysqlRestore");
        String path = MysqlOnNode.inWorkspace(workspace, input, "input", "mysqlRestore");
        return MysqlOnNode.restore(workspace, listener, Specs.restore(connection(run, workspace, target).withTls(tls,
                tlsCa), account.user(), account.password(), defaultsFile, path, threads, timeout, clientTool,
                skipBinaryLog, allowCrossFlavor), target);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient MysqlRestoreStep step;

        Execution(StepContext context, MysqlRestoreStep step) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            return step.perform(getContext().get(Run.class), StepContexts.workspace(getContext(), "mysqlRestore"),
                    getContext().get(EnvVars.class), getContext().get(TaskListener.class), null);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        /** Options whose help is written once, beside the step that owns it (one text, shown by every form). */
        @SuppressWarnings("rawtypes")
        static final Map<String, Class<? extends Describable>> SHARED_HELP = Map.of("credentialsId",
                MysqlDumpStep.class, "passwordVariable", MysqlDumpStep.class, "tls", MysqlDumpStep.class, "tlsCa",
                MysqlDumpStep.class);

        public DescriptorImpl() {
            SHARED_HELP.forEach((field, owner) -> addHelpFileRedirect(field, owner, field));
        }

        @Override
        public String getFunctionName() {
            return "mysqlRestore";
        }

        @Override
        public String getDisplayName() {
            return "Restore a MySQL dump";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepContexts.REQUIRED;
        }

        @POST
        public FormValidation doCheckInput(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.workspacePath(value, "Input") : FormValidation.ok();
        }

        /** Empty means root, or the credential's user; beside credentials, only their own user is accepted. */
        @POST
        public FormValidation doCheckUser(@AncestorInPath Item item, @QueryParameter String value,
                                          @QueryParameter String credentialsId) {
            return Validation.allowed(item) && JobCredentials.given(credentialsId) ? Validation.credentialsUser(value)
                    : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item,
                                                     @QueryParameter String credentialsId) {
            return JobCredentials.fill(item, credentialsId, StandardUsernamePasswordCredentials.class);
        }

        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value,
                                                   @QueryParameter String passwordVariable) {
            return JobCredentials.check(item, value, StandardUsernamePasswordCredentials.class,
                    JobCredentials.USERNAME_PASSWORD, passwordVariable, "a password variable");
        }

        @POST
        public FormValidation doCheckPort(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.port(value, true) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckThreads(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.threads(value) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.positiveSeconds(value, "Timeout") : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillTlsItems() {
            return Validation.tlsModes();
        }

        /** The form sends the mode along: a CA file goes with verify-ca and verify-identity only. */
        @POST
        public FormValidation doCheckTlsCa(@AncestorInPath Item item, @QueryParameter String value,
                                           @QueryParameter String tls) {
            return Validation.allowed(item) ? Validation.tlsCa(value, tls) : FormValidation.ok();
        }
    }
}
