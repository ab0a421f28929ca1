package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import jenkins.tasks.SimpleBuildWrapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The freestyle wrapper against a real MariaDB, called as a freestyle build calls it: setUp before the build steps
 * (whose environment gets the context's variables), the disposer's tearDown after them, whatever their result.
 */
class WithMysqlBuildWrapperTest {
    @TempDir
    Path temp;

    private FilePath workspace;
    private final TestBuilds.TestRun run = new TestBuilds.TestRun();
    private final TestBuilds.Listener listener = new TestBuilds.Listener();
    private final EnvVars environment = new EnvVars(Map.of("BUILD_TAG", "jenkins-f-3"));

    @BeforeEach
    void setUp() throws Exception {
        TestServers.traversable(temp);
        workspace = new FilePath(Files.createDirectories(temp.resolve("workspace")).toFile());
    }

    @AfterEach
    void stopWhatIsLeft() {
        StopServersWhenBuildEnds.stopLeftovers(run, listener, node -> StepsOnRealServerTest.LOCAL_CHANNEL);
    }

    private WithMysqlBuildWrapper wrapper(String name) {
        return new WithMysqlBuildWrapper(server(name));
    }

    private WithMysqlStep server(String name) {
        WithMysqlStep server = new WithMysqlStep(temp.resolve(name).toString());
        server.setInitialize(true);
        return server;
    }

    @SuppressWarnings("deprecation") // what SimpleBuildWrapper itself creates for a freestyle build
    private static SimpleBuildWrapper.Context newContext() {
        return new SimpleBuildWrapper.Context();
    }

    /** The environment the build steps get: the build's, overridden by the wrapper's (as EnvironmentWrapper does). */
    private EnvVars buildStepEnvironment(SimpleBuildWrapper.Context context) {
        return new EnvVars(environment).overrideAll(context.getEnv());
    }

    private ServerRecord onlyServer() {
        List<ServerRecord> servers = run.getAction(ServersAction.class).getServers();
        assertEquals(1, servers.size(), servers.toString());
        return servers.get(0);
    }

    @Test
    void setUpStartsTheServerForTheBuildStepsAndTearDownStopsIt() throws Exception {
        SimpleBuildWrapper.Context context = newContext();
        wrapper("data").setUp(context, run, workspace, null, listener, environment);

        ServerRecord server = onlyServer();
        EnvVars env = buildStepEnvironment(context);
        assertEquals("127.0.0.1", env.get("MYSQL_HOST"));
        assertEquals(Integer.toString(server.getPort()), env.get("MYSQL_PORT"));
        assertEquals(server.getSocket(), env.get("MYSQL_UNIX_PORT"));
        assertEquals(Long.toString(server.getPid()), env.get("MYSQL_PID"));
        assertEquals(temp.resolve("data").toString(), env.get("MYSQL_DATADIR"));
        assertEquals("jenkins-f-3", env.get("BUILD_TAG"));
        assertEquals(List.of(env.get("MYSQL_PORT"), env.get("MYSQL_DATADIR") + "/"),
                WithMysqlStepTest.ask(env, "SELECT @@port, @@datadir"));
        assertEquals(Map.of("MYSQL_HOST", "127.0.0.1", "MYSQL_PORT", env.get("MYSQL_PORT"),
                        "MYSQL_UNIX_PORT", server.getSocket(), "MYSQL_PID", env.get("MYSQL_PID"),
                        "MYSQL_DATADIR", env.get("MYSQL_DATADIR")),
                context.getEnv(), "no other variables, no user and no password");

        // The disposer is kept with the build (and saved with a pipeline's wrap step): it must survive serialization.
        SimpleBuildWrapper.Disposer disposer = SerializationTest.roundTrip(context.getDisposer());
        disposer.tearDown(run, workspace, null, listener);

        assertTrue(server.isStopped(), "the server is not recorded as stopped");
        assertEquals("SIGTERM", server.getStopOutcome());
        assertTrue(WithMysqlStepTest.exited(server.getPid()), "the server still runs after tearDown");
    }

    @Test
    void tearDownFailsTheBuildWhenTheServerDoesNotExitInTime() throws Exception {
        WithMysqlStep server = server("data");
        server.setStopTimeout(1);
        WithMysqlBuildWrapper wrapper = new WithMysqlBuildWrapper(server);
        SimpleBuildWrapper.Context context = newContext();
        wrapper.setUp(context, run, workspace, null, listener, environment);
        long pid = onlyServer().getPid();
        try {
            WithMysqlStepTest.signal(pid, "STOP");

            AbortException failed = assertThrows(AbortException.class,
                    () -> context.getDisposer().tearDown(run, workspace, null, listener));

            assertTrue(failed.getMessage().matches("pid " + pid + " on localhost did not exit within \\S+ m?s after"
                    + " SIGTERM and is still running.*"), failed.getMessage());
            assertFalse(WithMysqlStepTest.exited(pid), "killed although killAfterTimeout was not given");
            assertTrue(listener.log().contains("the server did not stop cleanly: pid " + pid), listener.log());
        } finally {
            WithMysqlStepTest.continueAndAwaitExit(pid);
        }
    }

    @Test
    void killAfterTimeoutEndsAHungServerAndTheBuildStillFails() throws Exception {
        WithMysqlStep server = server("data");
        server.setStopTimeout(1);
        server.setKillAfterTimeout(true);
        WithMysqlBuildWrapper wrapper = new WithMysqlBuildWrapper(server);
        SimpleBuildWrapper.Context context = newContext();
        wrapper.setUp(context, run, workspace, null, listener, environment);
        long pid = onlyServer().getPid();
        try {
            WithMysqlStepTest.signal(pid, "STOP");

            AbortException failed = assertThrows(AbortException.class,
                    () -> context.getDisposer().tearDown(run, workspace, null, listener));

            assertTrue(failed.getMessage().contains("it was killed with SIGKILL"), failed.getMessage());
            assertTrue(WithMysqlStepTest.exited(pid), "SIGKILL did not end the server");
        } finally {
            WithMysqlStepTest.continueAndAwaitExit(pid);
        }
    }

    @Test
    void badStopTimeoutFailsSetUpBeforeAnythingStarts() {
        WithMysqlStep server = server("data");
        server.setStopTimeout(-5);
        WithMysqlBuildWrapper wrapper = new WithMysqlBuildWrapper(server);
        SimpleBuildWrapper.Context context = newContext();

        AbortException refused = assertThrows(AbortException.class,
                () -> wrapper.setUp(context, run, workspace, null, listener, environment));

        assertEquals("withMysql: stopTimeout must be a positive number of seconds; got -5", refused.getMessage());
        assertNull(context.getDisposer());
        assertNull(run.getAction(ServersAction.class));
        assertFalse(Files.exists(temp.resolve("data")));
    }

    @Test
    void descriptorIsForEveryProjectTypeWithItsOwnName() {
        WithMysqlBuildWrapper.DescriptorImpl descriptor = new WithMysqlBuildWrapper.DescriptorImpl();
        assertTrue(descriptor.isApplicable(null));
        assertEquals("Run a MySQL server during the build", descriptor.getDisplayName());
        assertEquals("withMysqlWrapper", WithMysqlBuildWrapper.DescriptorImpl.class
                .getAnnotation(org.jenkinsci.Symbol.class).value()[0]);
    }
}
