package io.jenkins.plugins.mysqllifecycle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import hudson.model.Executor;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Result;
import hudson.tasks.Shell;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/** withMysql { } in real pipelines and the build wrapper in a real freestyle job, on the built-in node. */
public class WithMysqlTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A data directory the server account can reach (see PipelineStepsTest.datadir). */
    private String datadir() throws Exception {
        assumeTrue("needs MariaDB at /usr/sbin/mariadbd", new File("/usr/sbin/mariadbd").canExecute());
        File servers = tmp.newFolder("servers");
        Files.setPosixFilePermissions(tmp.getRoot().toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(servers.toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
        return new File(servers, "data").getAbsolutePath();
    }

    private static ServerRecord onlyServer(hudson.model.Run<?, ?> run) {
        ServersAction action = run.getAction(ServersAction.class);
        assertNotNull(action);
        List<ServerRecord> servers = action.getServers();
        assertEquals(1, servers.size());
        return servers.get(0);
    }

    @Test
    public void blockSeesTheServerAndItIsStoppedAfterwards() throws Exception {
        String datadir = datadir();
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  withMysql(datadir: 'DATADIR', initialize: true) {
                    sh 'echo "in the block: host=$MYSQL_HOST port=$MYSQL_PORT pid=$MYSQL_PID datadir=$MYSQL_DATADIR"'
                  }
                }
                """.replace("DATADIR", datadir), true));

        WorkflowRun run = j.buildAndAssertSuccess(p);

        ServerRecord server = onlyServer(run);
        j.assertLogContains("in the block: host=127.0.0.1 port=" + server.getPort() + " pid=" + server.getPid()
                + " datadir=" + datadir, run);
        assertTrue(server.isStopped());
        assertEquals("SIGTERM", server.getStopOutcome());
    }

    @Test
    public void failingBlockFailsTheBuildAndTheServerIsStoppedAnyway() throws Exception {
        String datadir = datadir();
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  withMysql(datadir: 'DATADIR', initialize: true, stopTimeout: 30) {
                    error 'the tests failed'
                  }
                }
                """.replace("DATADIR", datadir), true));

        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);

        j.assertLogContains("the tests failed", run);
        ServerRecord server = onlyServer(run);
        assertTrue(server.isStopped());
        assertEquals("SIGTERM", server.getStopOutcome());
    }

    @Test
    public void abortingTheBuildDuringTheBlockStopsTheServer() throws Exception {
        String datadir = datadir();
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  withMysql(datadir: 'DATADIR', initialize: true) {
                    sh 'echo block started; sleep 600'
                  }
                }
                """.replace("DATADIR", datadir), true));

        WorkflowRun run = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("block started", run);
        Executor executor = run.getExecutor();
        assertNotNull(executor);
        executor.interrupt();
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(run));

        ServerRecord server = onlyServer(run);
        assertTrue("the abort left the server running", server.isStopped());
        assertEquals("SIGTERM", server.getStopOutcome());
    }

    @Test
    public void freestyleBuildStepsSeeTheServerAndItIsStoppedAfterwards() throws Exception {
        String datadir = datadir();
        FreeStyleProject p = j.createFreeStyleProject("f");
        WithMysqlStep server = new WithMysqlStep(datadir);
        server.setInitialize(true);
        WithMysqlBuildWrapper wrapper = new WithMysqlBuildWrapper(server);
        p.getBuildWrappersList().add(wrapper);
        p.getBuildersList().add(new Shell("echo \"in the build: port=$MYSQL_PORT pid=$MYSQL_PID\""));

        FreeStyleBuild build = j.buildAndAssertSuccess(p);

        ServerRecord server = onlyServer(build);
        j.assertLogContains("in the build: port=" + server.getPort() + " pid=" + server.getPid(), build);
        assertTrue(server.isStopped());
        assertEquals("SIGTERM", server.getStopOutcome());
    }

    @Test
    public void failingFreestyleBuildStepStillStopsTheServer() throws Exception {
        String datadir = datadir();
        FreeStyleProject p = j.createFreeStyleProject("f");
        WithMysqlStep server = new WithMysqlStep(datadir);
        server.setInitialize(true);
        WithMysqlBuildWrapper wrapper = new WithMysqlBuildWrapper(server);
        p.getBuildWrappersList().add(wrapper);
        p.getBuildersList().add(new Shell("exit 3"));

        FreeStyleBuild build = j.buildAndAssertStatus(Result.FAILURE, p);

        ServerRecord server = onlyServer(build);
        assertTrue(server.isStopped());
        assertEquals("SIGTERM", server.getStopOutcome());
    }

    @Test
    public void wrapperRoundTrip() throws Exception {
        WithMysqlStep server = new WithMysqlStep("/var/tmp/mysql/data");
        server.setPort(3307);
        server.setSocket("/var/tmp/mysql/server.sock");
        server.setPidFile("/var/tmp/mysql/server.pid");
        server.setMysqld("/usr/sbin/mariadbd");
        server.setInitialize(true);
        server.setDefaultsFile("/etc/mysql/ci.cnf");
        server.setReadyTimeout(90);
        server.setOsUser("dbrunner");
        server.setStopTimeout(30);
        server.setKillAfterTimeout(true);
        WithMysqlBuildWrapper wrapper = new WithMysqlBuildWrapper(server);
        FreeStyleProject p = j.createFreeStyleProject("f");
        p.getBuildWrappersList().add(wrapper);

        p = (FreeStyleProject) j.configRoundtrip((Item) p);

        j.assertEqualDataBoundBeans(wrapper, p.getBuildWrappersList().get(WithMysqlBuildWrapper.class));
    }

    @Test
    public void stepRoundTrip() throws Exception {
        WithMysqlStep step = new WithMysqlStep("/var/tmp/mysql/data");
        step.setPort(3307);
        step.setSocket("/var/tmp/mysql/server.sock");
        step.setPidFile("/var/tmp/mysql/server.pid");
        step.setMysqld("/usr/sbin/mariadbd");
        step.setInitialize(true);
        step.setDefaultsFile("/etc/mysql/ci.cnf");
        step.setReadyTimeout(90);
        step.setOsUser("dbrunner");
        step.setStopTimeout(30);
        step.setKillAfterTimeout(true);

        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }
}
