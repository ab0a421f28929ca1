package io.jenkins.plugins.mysqllifecycle;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** Small stand-ins for a build and its step context, for driving steps and builders without a Jenkins. */
final class TestBuilds {
    private TestBuilds() {
    }

    /** Only the job type a TestRun names; never made (a real Job needs its parent ItemGroup and a name). */
    abstract static class TestJob extends Job<TestJob, TestRun> {
        private TestJob() {
            super(null, null);
        }
    }

    /** A build without a job, through the real {@code protected Run(JobT job, Calendar timestamp)}. */
    static final class TestRun extends Run<TestJob, TestRun> {
        TestRun() {
            super(null, Calendar.getInstance());
        }
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

    /** What a pipeline block does with its environment: what the body of {@code withMysql { }} would be. */
    @FunctionalInterface
    interface Body {
        Object run(EnvVars environment) throws Exception;
    }

    /**
     * A step's context as Pipeline gives it: the context objects, the step's outcome (which must be set exactly once),
     * and, for block steps, a body that runs on its own thread the way Pipeline runs a body asynchronously, with the
     * overrides it was invoked with and the callback told how it ended.
     */
    static final class Context extends StepContext {
        private static final long serialVersionUID = 1L;
        private final transient Map<Class<?>, Object> values = new HashMap<>();
        private final transient List<Object> overrides = new ArrayList<>();
        private final transient Context parent;
        private final transient CompletableFuture<Object> outcome = new CompletableFuture<>();
        private final transient AtomicInteger completions = new AtomicInteger();
        private transient Body body;

        Context(FilePath workspace, Run<?, ?> run, TaskListener listener, EnvVars environment) {
            this.parent = null;
            values.put(FilePath.class, workspace);
            values.put(Run.class, run);
            values.put(TaskListener.class, listener);
            values.put(EnvVars.class, environment);
        }

        private Context(Context parent, List<Object> overrides) {
            this.parent = parent;
            this.overrides.addAll(overrides);
        }

        /** Another context object, such as the EnvironmentExpander of an enclosing withEnv. */
        <T> Context with(Class<T> key, T value) {
            values.put(key, value);
            return this;
        }

        /** The block this step is called with. */
        Context body(Body block) {
            this.body = block;
            return this;
        }

        @Override
        public <T> T get(Class<T> key) {
            for (Object override : overrides) {
                if (key.isInstance(override)) {
                    return key.cast(override);
                }
            }
            return values.containsKey(key) || parent == null ? key.cast(values.get(key)) : parent.get(key);
        }

        /** The environment a step inside the body sees, as Pipeline computes it: EnvVars, then the expander. */
        EnvVars environment() throws Exception {
            EnvVars environment = new EnvVars(get(EnvVars.class));
            EnvironmentExpander expander = get(EnvironmentExpander.class);
            if (expander != null) {
                expander.expand(environment);
            }
            return environment;
        }

        /** A body's context ends the step it belongs to, as the one Pipeline gives a body callback does. */
        @Override
        public void onSuccess(Object result) {
            if (parent != null) {
                parent.onSuccess(result);
                return;
            }
            completions.incrementAndGet();
            outcome.complete(result);
        }

        @Override
        public void onFailure(Throwable t) {
            if (parent != null) {
                parent.onFailure(t);
                return;
            }
            completions.incrementAndGet();
            outcome.completeExceptionally(t);
        }

        /** How many times the step set its outcome; it must be exactly once. */
        int completions() {
            return completions.get();
        }

        /** The step's result, once it has one; its failure is thrown as it is. */
        Object awaitResult(Duration timeout) throws Throwable {
            try {
                return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException failed) {
                throw failed.getCause();
            }
        }

        /** The step's failure, once it has one; fails if the step succeeded or did not end in time. */
        Throwable awaitFailure(Duration timeout) throws InterruptedException, TimeoutException {
            try {
                Object result = outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError("the step succeeded with " + result + "; a failure was expected");
            } catch (ExecutionException failed) {
                return failed.getCause();
            }
        }

        @Override
        public BodyInvoker newBodyInvoker() {
            if (body == null) {
                throw new IllegalStateException("this step was called without a body");
            }
            return new Invoker(this);
        }
    }

    private static final class Invoker extends BodyInvoker {
        private final Context context;
        private final List<Object> overrides = new ArrayList<>();
        private BodyExecutionCallback callback;

        Invoker(Context context) {
            this.context = context;
        }

        @Override
        public BodyInvoker withContext(Object override) {
            overrides.add(override);
            return this;
        }

        @Override
        public BodyInvoker withCallback(BodyExecutionCallback callback) {
            this.callback = callback;
            return this;
        }

        @Override
        public BodyExecution start() {
            Context bodyContext = new Context(context, overrides);
            RunningBody running = new RunningBody();
            running.thread = new Thread(() -> {
                Object result = null;
                Throwable failure = null;
                try {
                    result = context.body.run(bodyContext.environment());
                } catch (Throwable e) {
                    failure = e;
                }
                if (running.cancelCause != null) {
                    failure = running.cancelCause; // a cancelled body fails with the cause it was cancelled with
                }
                running.done = true;
                if (failure == null) {
                    callback.onSuccess(bodyContext, result);
                } else {
                    callback.onFailure(bodyContext, failure);
                }
            }, "test pipeline body");
            running.thread.start();
            return running;
        }
    }

    /** A running body; cancelling it interrupts it, as stopping the step it runs does in Pipeline. */
    private static final class RunningBody extends BodyExecution {
        private static final long serialVersionUID = 1L;
        private transient Thread thread;
        private transient volatile Throwable cancelCause;
        private transient volatile boolean done;

        @Override
        public boolean cancel(Throwable t) {
            if (done) {
                return false;
            }
            cancelCause = t;
            thread.interrupt();
            return true;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return cancel(new InterruptedException("cancelled"));
        }

        @Override
        public boolean isCancelled() {
            return cancelCause != null;
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("a test body has no result to wait for");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("a test body has no result to wait for");
        }
    }
}
