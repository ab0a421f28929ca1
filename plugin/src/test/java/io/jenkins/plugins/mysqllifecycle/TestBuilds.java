package io.jenkins.plugins.mysqllifecycle;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Small stand-ins for a build and its step context, for driving steps and builders without a Jenkins. */
final class TestBuilds {
    private TestBuilds() {
    }

    static final class TestJob extends Job<TestJob, TestRun> {
    }

    static final class TestRun extends Run<TestJob, TestRun> {
    }

    /** Collects the build log; serializable, as a TaskListener shipped to an agent must be. */
    static final class Listener implements TaskListener {
        private static final long serialVersionUID = 1L;
        private final transient ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final transient PrintStream logger = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        @Override
        public PrintStream getLogger() {
            return logger;
        }

        String log() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    static final class Context extends StepContext {
        private static final long serialVersionUID = 1L;
        private final transient Map<Class<?>, Object> values = new HashMap<>();

        Context(FilePath workspace, Run<?, ?> run, TaskListener listener, EnvVars environment) {
            values.put(FilePath.class, workspace);
            values.put(Run.class, run);
            values.put(TaskListener.class, listener);
            values.put(EnvVars.class, environment);
        }

        @Override
        public <T> T get(Class<T> key) {
            return key.cast(values.get(key));
        }
    }
}
