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
 * The freestyle form of {@code mysqlStart}: the step's own configuration, shown with the step's form, help and
 * validation.
 */
public final class MysqlStartBuilder extends Builder implements SimpleBuildStep {
    private final MysqlStartStep start;

    @DataBoundConstructor
    public MysqlStartBuilder(MysqlStartStep start) {
        this.start = start;
    }

    public MysqlStartStep getStart() {
        return start;
    }

    @Override
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        start.perform(run, workspace, env, listener);
    }

    @Extension
    @Symbol("mysqlStartBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        public boolean isApplicable(@SuppressWarnings("rawtypes") Class<? extends AbstractProject> jobType) {
            return true;
        }

        @Override
        public String getDisplayName() {
            return "Start a MySQL/MariaDB server";
        }
    }
}
