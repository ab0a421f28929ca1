package io.jenkins.plugins.mysqllifecycle;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.io.IOException;
import java.util.Set;

/** What the steps need from their context: a node's workspace above all. */
final class StepContexts {
    static final Set<? extends Class<?>> REQUIRED = Set.of(FilePath.class, TaskListener.class, EnvVars.class,
            Run.class, Launcher.class);

    private StepContexts() {
    }

    /** The workspace, or a failure that says the step belongs inside {@code node { }}. */
    static FilePath workspace(StepContext context, String step) throws IOException, InterruptedException {
        FilePath workspace = context.get(FilePath.class);
        if (workspace == null) {
            throw new AbortException(step + " needs a node: call it inside node { ... } (or agent { ... } in a"
                    + " declarative pipeline), where the server is to run");
        }
        return workspace;
    }
}
