package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.SshTarget;
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
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.io.IOException;
import java.util.List;

/**
 * The freestyle form of {@code mysqlDump}. The password is a {@link Secret} (stored encrypted, shown as a password
 * field) or, as in pipelines, an environment variable named by {@code passwordVariable}.
 */
public final class MysqlDumpBuilder extends Builder implements SimpleBuildStep {
    private final String output;
    private String host;
    private int port;
    private String socket;
    private String user = "root";
    private Secret password;
    private String passwordVariable;
    private String defaultsFile;
    private String databases;
    private boolean allDatabases;
    private String compress = Specs.DEFAULT_COMPRESS;
    private int timeout = Specs.DEFAULT_DUMP_TIMEOUT;
    private Integer keep;
    private String method = Specs.DEFAULT_METHOD;
    private int threads;
    private boolean verify;
    private SshOptions ssh;

    @DataBoundConstructor
    public MysqlDumpBuilder(String output) {
        this.output = output;
    }

    public String getOutput() {
        return output;
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

    public String getUser() {
        return user;
    }

    @DataBoundSetter
    public void setUser(String user) {
        this.user = user;
    }

    public Secret getPassword() {
        return password;
    }

    @DataBoundSetter
    public void setPassword(Secret password) {
        this.password = password;
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

    /** Database names separated by commas or white space. */
    public String getDatabases() {
        return databases;
    }

    @DataBoundSetter
    public void setDatabases(String databases) {
        this.databases = databases;
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
        Password secret = password != null && !Secret.toString(password).isEmpty()
                ? Password.of(password.getPlainText())
                : MysqlDumpStep.passwordFrom(env, passwordVariable, "mysqlDump");
        // variables such as ${BUILD_ID} give each build's dump its own name, which keep needs to have older ones
        String path = MysqlOnNode.inWorkspace(workspace, env == null ? output : env.expand(output), output,
                "output", "mysqlDump");
        SshTarget target = Specs.ssh(ssh, env, "mysqlDump");
        Specs.Connection connection = MysqlOnNode.connection(run, workspace, host, port, socket, target, "mysqlDump",
                "the server to dump");
        List<String> names = databases == null ? List.of() : List.of(databases);
        MysqlOnNode.dump(workspace, listener, Specs.dump(connection, user, secret, defaultsFile, names, allDatabases,
                path, compress, timeout, method, threads, verify, keep), target);
    }

    @Extension
    @Symbol("mysqlDumpBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        public boolean isApplicable(@SuppressWarnings("rawtypes") Class<? extends AbstractProject> jobType) {
            return true;
        }

        @Override
        public String getDisplayName() {
            return "Dump MySQL/MariaDB databases into the workspace";
        }

        @POST
        public FormValidation doCheckOutput(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.workspacePath(value) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckUser(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.required(value, "User") : FormValidation.ok();
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
        public FormValidation doCheckKeep(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.keep(value) : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCompressItems(@AncestorInPath Item item) {
            return Validation.compressions(item);
        }

        @POST
        public ListBoxModel doFillMethodItems(@AncestorInPath Item item) {
            return Validation.methods(item);
        }

        /** The form sends the method along (a check method's other parameters are fields it depends on). */
        @POST
        public FormValidation doCheckThreads(@AncestorInPath Item item, @QueryParameter String value,
                                             @QueryParameter String method) {
            return Validation.allowed(item) ? Validation.dumpThreads(value, method) : FormValidation.ok();
        }
    }
}
