package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.Jdbc;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code withMysql { }} against a real MariaDB, driven as Pipeline drives a block step: start() returns at once, the
 * server starts on a background thread, the body runs on its own thread with the context the step gave it, and the
 * step's outcome is what the tail call sets. A hung server is a real one stopped with SIGSTOP: it cannot act on SIGTERM
 * until it is continued.
 */
class WithMysqlStepTest {
    private static final Duration OUTCOME = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    private FilePath workspace;
    private final TestBuilds.TestRun run = new TestBuilds.TestRun();
    private final TestBuilds.Listener listener = new TestBuilds.Listener();
    private final EnvVars environment = new EnvVars(Map.of("BUILD_TAG", "jenkins-p-7"));

    @BeforeEach
    void setUp() throws Exception {
        TestServers.traversable(temp);
        workspace = new FilePath(Files.createDirectories(temp.resolve("workspace")).toFile());
    }

    @AfterEach
    void stopWhatIsLeft() {
        StopServersWhenBuildEnds.stopLeftovers(run, listener, node -> StepsOnRealServerTest.LOCAL_CHANNEL);
    }

    private WithMysqlStep step(String name) {
        WithMysqlStep step = new WithMysqlStep(temp.resolve(name).toString());
        step.setInitialize(true);
        return step;
    }

    private TestBuilds.Context context(TestBuilds.Body body) {
        return new TestBuilds.Context(workspace, run, listener, environment).body(body);
    }

    /** Starts the step as Pipeline does; the outcome comes later, through the context. */
    private static WithMysqlStep.Execution start(WithMysqlStep step, TestBuilds.Context context) throws Exception {
        WithMysqlStep.Execution execution = (WithMysqlStep.Execution) step.start(context);
        assertFalse(execution.start(), "a block step ends asynchronously");
        return execution;
    }

    private ServerRecord onlyServer() {
        List<ServerRecord> servers = run.getAction(ServersAction.class).getServers();
        assertEquals(1, servers.size(), servers.toString());
        return servers.get(0);
    }

    @Test
    void blockSeesTheServerInItsEnvironmentAndTheServerIsStoppedAfterwards() throws Throwable {
        AtomicReference<EnvVars> seen = new AtomicReference<>();
        AtomicReference<List<String>> fromServer = new AtomicReference<>();
        TestBuilds.Context context = context(env -> {
            seen.set(env);
            fromServer.set(ask(env, "SELECT @@port, @@socket, @@datadir, @@pid_file"));
            return "block result";
        }).with(EnvironmentExpander.class, new Outer());

        start(step("data"), context);

        assertEquals("block result", context.awaitResult(OUTCOME));
        assertEquals(1, context.completions());
        ServerRecord server = onlyServer();
        EnvVars env = seen.get();
        assertEquals("127.0.0.1", env.get("MYSQL_HOST"));
        assertEquals(Integer.toString(server.getPort()), env.get("MYSQL_PORT"));
        assertEquals(server.getSocket(), env.get("MYSQL_UNIX_PORT"));
        assertEquals(Long.toString(server.getPid()), env.get("MYSQL_PID"));
        assertEquals(temp.resolve("data").toString(), env.get("MYSQL_DATADIR"));
        assertEquals(List.of(env.get("MYSQL_PORT"), env.get("MYSQL_UNIX_PORT"), env.get("MYSQL_DATADIR") + "/",
                server.getPidFile()), fromServer.get(), "the variables name another server than the one that answered");
        assertNull(env.get("MYSQL_USER"));
        assertNull(env.get("MYSQL_PWD"));
        assertEquals("jenkins-p-7", env.get("BUILD_TAG"), "the build's own environment was lost");
        assertEquals("from an enclosing withEnv", env.get("OUTER"), "the enclosing EnvironmentExpander was dropped");
        assertFalse(environment.containsKey("MYSQL_PORT"), "the variables leaked out of the block");

        assertTrue(server.isStopped(), "the server is not recorded as stopped");
        assertEquals("SIGTERM", server.getStopOutcome());
        assertTrue(exited(server.getPid()), "the server still runs after the block");
        assertTrue(listener.log().contains("the block runs with MYSQL_HOST=127.0.0.1 MYSQL_PORT=" + server.getPort()),
                listener.log());
    }

    @Test
    void blockFailureFailsTheStepAndTheServerIsStoppedAnyway() throws Exception {
        AbortException testsFailed = new AbortException("3 tests failed");
        TestBuilds.Context context = context(env -> {
            throw testsFailed;
        });

        start(step("data"), context);

        assertSame(testsFailed, context.awaitFailure(OUTCOME));
        assertEquals(0, testsFailed.getSuppressed().length, List.of(testsFailed.getSuppressed()).toString());
        assertEquals(1, context.completions());
        ServerRecord server = onlyServer();
        assertTrue(server.isStopped());
        assertEquals("SIGTERM", server.getStopOutcome());
        assertTrue(exited(server.getPid()), "the server still runs after the failed block");
    }

    @Test
    void stopThatTimesOutFailsTheStepAlthoughTheBlockSucceeded() throws Exception {
        WithMysqlStep step = step("data");
        step.setStopTimeout(1);
        AtomicReference<Long> pid = new AtomicReference<>();
        TestBuilds.Context context = context(env -> {
            pid.set(Long.parseLong(env.get("MYSQL_PID")));
            signal(pid.get(), "STOP"); // hangs: SIGTERM is not acted on until SIGCONT
            return "fine";
        });
        try {
            start(step, context);

            Throwable failure = context.awaitFailure(OUTCOME);
            assertInstanceOf(AbortException.class, failure);
            assertTrue(failure.getMessage().matches("pid " + pid.get() + " on localhost did not exit within \\S+"
                    + " m?s after SIGTERM and is still running.*"), failure.getMessage());
            assertEquals(1, context.completions());
            assertFalse(exited(pid.get()), "killed although killAfterTimeout was not given");
            assertTrue(listener.log().contains("the server did not stop cleanly: pid " + pid.get()), listener.log());
            assertTrue(onlyServer().getStopOutcome().startsWith("stop failed: "), onlyServer().getStopOutcome());
        } finally {
            continueAndAwaitExit(pid.get());
        }
    }

    @Test
    void whenBlockAndStopBothFailTheBlocksFailureIsReportedWithTheStopsSuppressed() throws Exception {
        WithMysqlStep step = step("data");
        step.setStopTimeout(1);
        AbortException testsFailed = new AbortException("3 tests failed");
        AtomicReference<Long> pid = new AtomicReference<>();
        TestBuilds.Context context = context(env -> {
            pid.set(Long.parseLong(env.get("MYSQL_PID")));
            signal(pid.get(), "STOP");
            throw testsFailed;
        });
        try {
            start(step, context);

            assertSame(testsFailed, context.awaitFailure(OUTCOME));
            assertEquals(1, testsFailed.getSuppressed().length);
            Throwable stopFailure = testsFailed.getSuppressed()[0];
            assertInstanceOf(AbortException.class, stopFailure);
            assertTrue(stopFailure.getMessage().contains(" after SIGTERM and is still running"),
                    stopFailure.getMessage());
            assertEquals(1, context.completions());
            assertTrue(listener.log().contains("the server did not stop cleanly: " + stopFailure.getMessage()),
                    "a suppressed failure is not printed with an AbortException; the log must say it: "
                            + listener.log());
        } finally {
            continueAndAwaitExit(pid.get());
        }
    }

    @Test
    void killAfterTimeoutEndsAHungServerAndTheStepStillFails() throws Exception {
        WithMysqlStep step = step("data");
        step.setStopTimeout(1);
        step.setKillAfterTimeout(true);
        AtomicReference<Long> pid = new AtomicReference<>();
        TestBuilds.Context context = context(env -> {
            pid.set(Long.parseLong(env.get("MYSQL_PID")));
            signal(pid.get(), "STOP");
            return "fine";
        });
        try {
            start(step, context);

            Throwable failure = context.awaitFailure(OUTCOME);
            assertInstanceOf(AbortException.class, failure);
            assertTrue(failure.getMessage().contains("it was killed with SIGKILL"), failure.getMessage());
            assertTrue(exited(pid.get()), "SIGKILL did not end the server");
        } finally {
            continueAndAwaitExit(pid.get());
        }
    }

    @Test
    void abortWhileTheBlockRunsEndsTheBlockAndStopsTheServer() throws Exception {
        CountDownLatch blockRuns = new CountDownLatch(1);
        AtomicReference<Throwable> blockSaw = new AtomicReference<>();
        TestBuilds.Context context = context(env -> {
            blockRuns.countDown();
            try {
                new CountDownLatch(1).await(); // a long test run, until the build is aborted
            } catch (InterruptedException aborted) {
                blockSaw.set(aborted);
                throw aborted;
            }
            return "never";
        });
        WithMysqlStep.Execution execution = start(step("data"), context);
        assertTrue(blockRuns.await(OUTCOME.toSeconds(), TimeUnit.SECONDS), "the block did not start");

        Exception abort = new Exception("Aborted by the test");
        execution.stop(abort);

        assertSame(abort, context.awaitFailure(OUTCOME));
        assertInstanceOf(InterruptedException.class, blockSaw.get(), "the block was not interrupted");
        assertEquals(1, context.completions());
        ServerRecord server = onlyServer();
        assertTrue(server.isStopped(), "an abort left the server running");
        assertEquals("SIGTERM", server.getStopOutcome());
        assertTrue(exited(server.getPid()));
    }

    @Test
    void abortWhileTheServerIsBeingStoppedEndsTheWaitAndFailsTheStep() throws Exception {
        WithMysqlStep step = step("data");
        step.setStopTimeout(60);
        AtomicReference<Long> pid = new AtomicReference<>();
        TestBuilds.Context context = context(env -> {
            pid.set(Long.parseLong(env.get("MYSQL_PID")));
            signal(pid.get(), "STOP");
            return "fine";
        });
        try {
            WithMysqlStep.Execution execution = start(step, context);
            awaitCondition("the stop to wait for the exit", () -> listener.log().contains("sending SIGTERM; waiting"));
            Deadline took = Deadline.after(Duration.ZERO);
            Exception abort = new Exception("Aborted by the test");
            execution.stop(abort);

            assertSame(abort, context.awaitFailure(Duration.ofSeconds(5)));
            awaitCondition("the interrupted stop to unwind", () -> abort.getSuppressed().length > 0);
            assertTrue(took.elapsed().compareTo(Duration.ofSeconds(10)) < 0, "the abort waited out the stop timeout");
            assertTrue(listener.log().contains("aborted while waiting for the server to exit"), listener.log());
            assertFalse(exited(pid.get()), "the server was killed");
            assertFalse(onlyServer().isStopped());
            assertEquals(1, context.completions());
        } finally {
            continueAndAwaitExit(pid.get());
        }
    }

    @Test
    void abortWhileTheServerStartsFailsAtOnceRunsNoBlockAndLeavesNoServer() throws Exception {
        // A server binary that starts but never answers SQL, so the abort surely comes while the start waits.
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path neverReady = bin.resolve("mariadbd");
        Files.writeString(neverReady, "#!/bin/sh\nif [ \"$1\" = --version ]; then exec /usr/sbin/mariadbd --version;"
                + " fi\nwhile :; do sleep 0.05; done\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(neverReady, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(temp.resolve("data/mysql")); // looks like a data directory
        WithMysqlStep step = new WithMysqlStep(temp.resolve("data").toString());
        step.setMysqld(neverReady.toString());
        AtomicBoolean blockRan = new AtomicBoolean();
        TestBuilds.Context context = context(env -> {
            blockRan.set(true);
            return "never";
        });

        WithMysqlStep.Execution execution = start(step, context);
        Pattern spawned = Pattern.compile("as pid (\\d+) on .*waiting up to");
        awaitCondition("the server to be spawned", () -> spawned.matcher(listener.log()).find());
        Matcher pid = spawned.matcher(listener.log());
        assertTrue(pid.find());
        Exception abort = new Exception("Aborted by the test");
        execution.stop(abort);

        assertSame(abort, context.awaitFailure(Duration.ofSeconds(5)), "the abort did not fail the step at once");
        // The start unwinds on its own thread: the engine stops the half-started server, then the interruption ends
        // up on the abort's cause, as GeneralNonBlockingStepExecution does with what it cancelled.
        awaitCondition("the interrupted start to unwind", () -> abort.getSuppressed().length > 0);
        assertInstanceOf(InterruptedException.class, abort.getSuppressed()[0]);
        assertTrue(exited(Long.parseLong(pid.group(1))), "the half-started server still runs");
        assertFalse(blockRan.get(), "the block ran although the step was aborted");
        assertNull(run.getAction(ServersAction.class), "a server that never became ready was recorded");
        assertEquals(1, context.completions());
    }

    @Test
    void stepIsSerializableWhileTheBlockRuns() throws Throwable {
        CountDownLatch blockRuns = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestBuilds.Context context = context(env -> {
            blockRuns.countDown();
            release.await();
            return "done";
        });
        WithMysqlStep.Execution execution = start(step("data"), context);
        try {
            assertTrue(blockRuns.await(OUTCOME.toSeconds(), TimeUnit.SECONDS), "the block did not start");
            // What Pipeline saves while the block runs: the execution with the server it must stop later.
            assertTrue(SerializationTest.roundTrip(execution) instanceof WithMysqlStep.Execution);
        } finally {
            release.countDown();
        }
        assertEquals("done", context.awaitResult(OUTCOME));
        assertEquals(1, context.completions());
        assertTrue(onlyServer().isStopped());

        WithMysqlStep.ConnectionVariables variables = SerializationTest.roundTrip(
                new WithMysqlStep.ConnectionVariables(Map.of("MYSQL_PORT", "3307")));
        EnvVars env = new EnvVars(Map.of("MYSQL_PORT", "1", "PATH", "/usr/bin"));
        variables.expand(env);
        assertEquals(Map.of("MYSQL_PORT", "3307", "PATH", "/usr/bin"), Map.copyOf(env));
    }

    @Test
    void badStopTimeoutFailsBeforeAnythingStarts() throws Exception {
        WithMysqlStep step = step("data");
        step.setStopTimeout(0);
        AtomicBoolean blockRan = new AtomicBoolean();
        TestBuilds.Context context = context(env -> {
            blockRan.set(true);
            return "never";
        });

        start(step, context);

        Throwable failure = context.awaitFailure(OUTCOME);
        assertInstanceOf(AbortException.class, failure);
        assertEquals("withMysql: stopTimeout must be a positive number of seconds; got 0", failure.getMessage());
        assertFalse(blockRan.get());
        assertNull(run.getAction(ServersAction.class));
        assertFalse(Files.exists(temp.resolve("data")), "a data directory was initialized");
    }

    @Test
    void withoutABlockTheStepFailsBeforeAnythingStarts() throws Exception {
        TestBuilds.Context context = new TestBuilds.Context(workspace, run, listener, environment); // no body

        start(step("data"), context);

        Throwable failure = context.awaitFailure(OUTCOME);
        assertInstanceOf(AbortException.class, failure);
        assertTrue(failure.getMessage().startsWith("withMysql needs a block"), failure.getMessage());
        assertNull(run.getAction(ServersAction.class), "a server was started for a step without a block");
        assertFalse(Files.exists(temp.resolve("data")), "a data directory was initialized");
    }

    @Test
    void outsideANodeTheStepFailsWithAMessageAboutNode() throws Exception {
        TestBuilds.Context context = new TestBuilds.Context(null, run, listener, environment).body(env -> "never");

        start(step("data"), context);

        Throwable failure = context.awaitFailure(OUTCOME);
        assertInstanceOf(AbortException.class, failure);
        assertTrue(failure.getMessage().startsWith("withMysql needs a node: call it inside node { ... }"),
                failure.getMessage());
    }

    @Test
    void functionNameBlockArgumentContextAndDefaults() {
        WithMysqlStep.DescriptorImpl descriptor = new WithMysqlStep.DescriptorImpl();
        assertEquals("withMysql", descriptor.getFunctionName());
        assertTrue(descriptor.takesImplicitBlockArgument());
        assertTrue(descriptor.getRequiredContext().containsAll(List.of(FilePath.class, Run.class,
                TaskListener.class)));
        WithMysqlStep step = new WithMysqlStep("/var/tmp/data");
        assertEquals(new MysqlStopStep().getTimeout(), step.getStopTimeout());
        assertEquals(120, step.getStopTimeout());
        assertFalse(step.isKillAfterTimeout());
        assertEquals(new MysqlStartStep("/d").getReadyTimeout(), step.getReadyTimeout());
        assertEquals(0, step.getPort());
        assertFalse(step.isInitialize());
    }

    /** The values a query returns, as a block that connects with MYSQL_HOST and MYSQL_PORT would see them. */
    static List<String> ask(EnvVars env, String query) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("user", "root");
        properties.setProperty("connectTimeout", "10000");
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(env.get("MYSQL_HOST")),
                Integer.parseInt(env.get("MYSQL_PORT")));
        try (Connection connection = Jdbc.connect(address, properties);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(query)) {
            row.next();
            List<String> values = new java.util.ArrayList<>();
            for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                values.add(row.getString(i));
            }
            return values;
        }
    }

    static void signal(long pid, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }

    static boolean exited(long pid) throws Exception {
        return new LocalHost().process(pid).map(ProcessInfo::hasExited).orElse(true);
    }

    /** Lets a server stopped with SIGSTOP act on the SIGTERM it was sent, and waits until it has exited. */
    static void continueAndAwaitExit(Long pid) throws Exception {
        if (pid != null && !exited(pid)) {
            signal(pid, "CONT");
            awaitCondition("pid " + pid + " to exit after SIGCONT", () -> {
                try {
                    return exited(pid);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    static void awaitCondition(String what, BooleanSupplier condition) {
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (deadline.hasExpired()) {
                throw new AssertionError("gave up waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** An enclosing block's expander, such as withEnv's. */
    private static final class Outer extends EnvironmentExpander {
        private static final long serialVersionUID = 1L;

        @Override
        public void expand(EnvVars env) {
            env.put("OUTER", "from an enclosing withEnv");
        }
    }
}
