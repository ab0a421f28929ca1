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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code mysqlDump(server: s, databases: ['shop'], output: 'backup/shop.sql.gz')}: a consistent, verified, compressed
 * dump into the workspace. The password comes from the environment variable {@code passwordVariable} names (bound
 * by {@code withCredentials}), so it is never in the Jenkinsfile, the step's arguments or the log.
 */
public final class MysqlDumpStep extends Step {
    private final String output;
    @SuppressWarnings("rawtypes") // a raw Map is what pipeline arguments bind to as they are
    private Map server;
    private String host;
    private int port;
    private String socket;
    private String user;
    private String credentialsId;
    private String passwordVariable;
    private String defaultsFile;
    private List<String> databases = new ArrayList<>();
    private boolean allDatabases;
    private String compress = Specs.DEFAULT_COMPRESS;
    private int timeout = Specs.DEFAULT_DUMP_TIMEOUT;
    private Integer keep;
    private String method = Specs.DEFAULT_METHOD;
    private int threads;
    private boolean verify;
    private String tls;
    private String tlsCa;
    private int lockWaitTimeout = Specs.DEFAULT_LOCK_WAIT_TIMEOUT;
    private int longQueryGuard = Specs.DEFAULT_LONG_QUERY_GUARD;
    private boolean killLongQueries;
    private SshOptions ssh;

    @DataBoundConstructor
    public MysqlDumpStep(String output) {
        this.output = output;
    }

    public String getOutput() {
        return output;
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

    public List<String> getDatabases() {
        return databases;
    }

    @DataBoundSetter
    public void setDatabases(List<String> databases) {
        this.databases = databases == null ? new ArrayList<>() : new ArrayList<>(databases);
    }

    public boolean isAllDatabases() {
        return allDatabases;
    }

    @DataBoundSetter
    public void setAllDatabases(boolean allDatabases) {
        this.allDatabases = allDatabases;
    }

    public String getCompress() {
        return compress;
    }

    @DataBoundSetter
    public void setCompress(String compress) {
        this.compress = compress;
    }

    public int getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    public Integer getKeep() {
        return keep;
    }

    /**
     * After the dump, keep the newest {@code keep} dumps of the same databases in the output's directory (this one
     * included) and remove older ones; null (the default) removes none.
     */
    @DataBoundSetter
    public void setKeep(Integer keep) {
        this.keep = keep;
    }

    public String getMethod() {
        return method;
    }

    /** mysqldump (the server's dump tool, one file) or parallel (several connections, a directory). */
    @DataBoundSetter
    public void setMethod(String method) {
        this.method = method;
    }

    public int getThreads() {
        return threads;
    }

    /** Connections of a parallel dump; 0 for one per core of the node. */
    @DataBoundSetter
    public void setThreads(int threads) {
        this.threads = threads;
    }

    public boolean isVerify() {
        return verify;
    }

    /** Restore the finished dump into a scratch server and compare every table with the source's snapshot. */
    @DataBoundSetter
    public void setVerify(boolean verify) {
        this.verify = verify;
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

    public int getLockWaitTimeout() {
        return lockWaitTimeout;
    }

    /** Seconds each request for the snapshot's lock may wait (and writers wait behind it). */
    @DataBoundSetter
    public void setLockWaitTimeout(int lockWaitTimeout) {
        this.lockWaitTimeout = lockWaitTimeout;
    }

    public int getLongQueryGuard() {
        return longQueryGuard;
    }

    /** Seconds the dump tries in all to get that lock, waiting for statements that would hold it up to end. */
    @DataBoundSetter
    public void setLongQueryGuard(int longQueryGuard) {
        this.longQueryGuard = longQueryGuard;
    }

    public boolean isKillLongQueries() {
        return killLongQueries;
    }

    /** Past the guard, stop the statements that hold the lock up (KILL QUERY) instead of failing. */
    @DataBoundSetter
    public void setKillLongQueries(boolean killLongQueries) {
        this.killLongQueries = killLongQueries;
    }

    public SshOptions getSsh() {
        return ssh;
    }

    /** Work on another machine, reached over SSH from the node; null for the node itself. */
    @DataBoundSetter
    public void setSsh(SshOptions ssh) {
        this.ssh = ssh;
    }

    /**
     * A freestyle job saved before the lock options existed has them as 0 when loaded: XStream runs no field
     * initializer. Their defaults are what that job ran with.
     */
    private Object readResolve() {
        if (lockWaitTimeout == 0) {
            lockWaitTimeout = Specs.DEFAULT_LOCK_WAIT_TIMEOUT;
        }
        if (longQueryGuard == 0) {
            longQueryGuard = Specs.DEFAULT_LONG_QUERY_GUARD;
        }
        return this;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    /**
     * Where the dump connects: the server map's port wins over port/host/socket, which are for other servers; with
     * none of them, the server this build started last on this node.
     */
    Specs.Connection connection(Run<?, ?> run, FilePath workspace, SshTarget target) throws AbortException {
        if (server != null) {
            ServerMaps.requireSameMachine(server, MysqlOnNode.nodeName(workspace), MysqlOnNode.hostName(target),
                    "mysqlDump");
            return new Specs.Connection("127.0.0.1", (int) ServerMaps.number(server, "port"), null);
        }
        return MysqlOnNode.connection(run, workspace, host, port, socket, target, "mysqlDump", "the server to dump");
    }

    /**
     * What the step does; {@link MysqlDumpBuilder} runs the same configuration in a freestyle build, with its stored
     * password (null for none) and the build's variables expanded into the output path.
     */
    Map<String, Object> perform(Run<?, ?> run, FilePath workspace, EnvVars environment, TaskListener listener,
                                Password storedPassword, String expandedOutput) throws IOException,
            InterruptedException {
        JobCredentials.Account account = JobCredentials.databaseAccount(run, environment, user, credentialsId,
                passwordVariable, storedPassword, "mysqlDump");
        SshTarget target = Specs.ssh(ssh, run, environment, "mysqlDump");
        String path = MysqlOnNode.inWorkspace(workspace, expandedOutput, output, "output", "mysqlDump");
        return MysqlOnNode.dump(run, workspace, listener, Specs.dump(connection(run, workspace, target)
                .withTls(tls, tlsCa), account.user(), account.password(), defaultsFile, databases, allDatabases, path,
                compress, timeout, method, threads, verify, keep,
                new Specs.SnapshotLocking(lockWaitTimeout, longQueryGuard, killLongQueries)), target);
    }

    static Password passwordFrom(EnvVars environment, String variable, String step) throws AbortException {
        if (variable == null || variable.isBlank()) {
            return null;
        }
        String value = environment == null ? null : environment.get(variable);
        if (value == null) {
            throw new AbortException(step + ": passwordVariable names " + variable + ", but the build has no such"
                    + " environment variable. Bind it around the step, e.g. withCredentials([string(credentialsId:"
                    + " 'db-backup', variable: '" + variable + "')]) { ... }");
        }
        return Password.of(value);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient MysqlDumpStep step;

        Execution(StepContext context, MysqlDumpStep step) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            return step.perform(getContext().get(Run.class), StepContexts.workspace(getContext(), "mysqlDump"),
                    getContext().get(EnvVars.class), getContext().get(TaskListener.class), null, step.output);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        /** Options whose help is written once, beside the step that owns it (one text, shown by every form). */
        @SuppressWarnings("rawtypes")
        static final Map<String, Class<? extends Describable>> SHARED_HELP = Map.of("defaultsFile", MysqlStartStep.class, "socket", MysqlStartStep.class, "ssh", MysqlStartStep.class);

        public DescriptorImpl() {
            SHARED_HELP.forEach((field, owner) -> addHelpFileRedirect(field, owner, field));
        }

        @Override
        public String getFunctionName() {
            return "mysqlDump";
        }

        @Override
        public String getDisplayName() {
            return "Dump MySQL/MariaDB databases into the workspace";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepContexts.REQUIRED;
        }

        @POST
        public FormValidation doCheckOutput(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.workspacePath(value) : FormValidation.ok();
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
        public FormValidation doCheckTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.positiveSeconds(value, "Timeout") : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckLockWaitTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.positiveSeconds(value, "Lock wait timeout")
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckLongQueryGuard(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.positiveSeconds(value, "Long query guard")
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckKeep(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.keep(value) : FormValidation.ok();
        }

        /** The databases as the form's text box shows them. */
        public String databasesText(MysqlDumpStep step) {
            return step == null ? "" : String.join(", ", step.getDatabases());
        }

        @POST
        public ListBoxModel doFillCompressItems() {
            return Validation.compressions();
        }

        @POST
        public ListBoxModel doFillMethodItems() {
            return Validation.methods();
        }

        /** The form sends the method along (a check method's other parameters are fields it depends on). */
        @POST
        public FormValidation doCheckThreads(@AncestorInPath Item item, @QueryParameter String value,
                                             @QueryParameter String method) {
            return Validation.allowed(item) ? Validation.dumpThreads(value, method) : FormValidation.ok();
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
