package io.jenkins.plugins.mysqllifecycle;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

import java.io.IOException;

/**
 * The freestyle form of {@code mysqlStop}: the step's own configuration, shown with the step's form, help and
 * validation. With no pid file or pid, it stops the servers the build started here.
 */
public final class MysqlStopBuilder extends Builder implements SimpleBuildStep {
    private final MysqlStopStep stop;

    @DataBoundConstructor
    public MysqlStopBuilder(MysqlStopStep stop) {
        this.stop = stop == null ? new MysqlStopStep() : stop;
    }

    public MysqlStopStep getStop() {
        return stop;
    }

    @Override
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        stop.perform(run, workspace, env, listener);
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
    }
}
