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
import hudson.util.Secret;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.io.IOException;

/**
 * The freestyle form of {@code mysqlRestore}. The password is a {@link Secret} (stored encrypted, shown as a password
 * field) or, as in pipelines, an environment variable named by {@code passwordVariable}.
 */
public final class MysqlRestoreBuilder extends Builder implements SimpleBuildStep {
    private final String input;
    private String host;
    private int port;
    private String socket;
    private String user = "root";
    private Secret password;
    private String passwordVariable;
    private String defaultsFile;
    private int threads;
    private int timeout = Specs.DEFAULT_RESTORE_TIMEOUT;
    private String clientTool;
    private SshOptions ssh;

    @DataBoundConstructor
    public MysqlRestoreBuilder(String input) {
        this.input = input;
    }

    public String getInput() {
        return input;
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

    public int getThreads() {
        return threads;
    }

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

    @DataBoundSetter
    public void setClientTool(String clientTool) {
        this.clientTool = clientTool;
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
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        Password secret = password != null && !Secret.toString(password).isEmpty()
                ? Password.of(password.getPlainText())
                : MysqlDumpStep.passwordFrom(env, passwordVariable, "mysqlRestore");
        String path = MysqlOnNode.inWorkspace(workspace, input, "input", "mysqlRestore");
        SshTarget target = Specs.ssh(ssh, env, "mysqlRestore");
        Specs.Connection connection = MysqlOnNode.connection(run, workspace, host, port, socket, target,
                "mysqlRestore", "the server to restore into");
        MysqlOnNode.restore(workspace, listener, Specs.restore(connection, user, secret, defaultsFile, path, threads,
                timeout, clientTool), target);
    }

    @Extension
    @Symbol("mysqlRestoreBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        public boolean isApplicable(@SuppressWarnings("rawtypes") Class<? extends AbstractProject> jobType) {
            return true;
        }

        @Override
        public String getDisplayName() {
            return "Restore a MySQL dump";
        }

        @POST
        public FormValidation doCheckInput(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.workspacePath(value, "Input") : FormValidation.ok();
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
        public FormValidation doCheckThreads(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.threads(value) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.positiveSeconds(value, "Timeout") : FormValidation.ok();
        }
    }
}
