package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.Password;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.Secret;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.io.IOException;

/**
 * The freestyle form of {@code mysqlDump}: the step's own configuration, shown with the step's form, help and
 * validation. New jobs log in with the step's {@code credentialsId}; jobs configured before it keep working with a
 * password of their own, a {@link Secret} (stored encrypted, shown as a password field, under "Stored password"),
 * which wins over the step's {@code passwordVariable} and may not be given beside a {@code credentialsId}.
 */
public final class MysqlDumpBuilder extends Builder implements SimpleBuildStep {
    private final MysqlDumpStep dump;
    private Secret password;

    @DataBoundConstructor
    public MysqlDumpBuilder(MysqlDumpStep dump) {
        this.dump = dump;
    }

    public MysqlDumpStep getDump() {
        return dump;
    }

    public Secret getPassword() {
        return password;
    }

    @DataBoundSetter
    public void setPassword(Secret password) {
        this.password = password;
    }

    @Override
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        Password stored = password == null || Secret.toString(password).isEmpty() ? null
                : Password.of(password.getPlainText());
        // variables such as ${BUILD_ID} give each build's dump its own name, which keep needs to have older ones
        dump.perform(run, workspace, env, listener, stored,
                env == null ? dump.getOutput() : env.expand(dump.getOutput()));
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
    }
}
