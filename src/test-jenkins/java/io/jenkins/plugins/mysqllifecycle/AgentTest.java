package io.jenkins.plugins.mysqllifecycle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import hudson.FilePath;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * The steps on a real agent, against a real MariaDB server on the agent's machine.
 *
 * <p>{@code j.createOnlineSlave()} (jenkins-test-harness 2391.v9b_3e2d3351a_2, JenkinsRule.java:1176, through
 * createSlave and createComputerLauncher, :1130 and :1160) starts the agent as a separate JVM ({@code java -jar
 * agent.jar} under a SimpleCommandLauncher) and waits until it is online. So every EngineCall, a MasterToSlaveCallable,
 * is serialized to the agent over a real remoting channel, the plugin's classes are loaded there through remote class
 * loading, and its result (ServerHandle, DumpResult, StopResult) comes back the same way: through the controller's
 * ClassFilterImpl, which lets only classes from a jar with a plugin manifest cross. None of that happens in the
 * stand-in tests (src/test-standin/java), where FilePath.act runs the callable in the same JVM without serializing
 * it; these tests are the proof that the step results are allowed back and that an abort reaches the agent.
 */
public class AgentTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A data directory the server account can reach (see PipelineStepsTest.datadir); the agent shares the machine. */
    private String datadir() throws Exception {
        assumeTrue("needs MariaDB at /usr/sbin/mariadbd", new File("/usr/sbin/mariadbd").canExecute());
        File servers = tmp.newFolder("servers");
        Files.setPosixFilePermissions(tmp.getRoot().toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(servers.toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
        return new File(servers, "data").getAbsolutePath();
    }

    private static ServerRecord onlyServer(WorkflowRun run) {
        ServersAction action = run.getAction(ServersAction.class);
        assertNotNull(action);
        List<ServerRecord> servers = action.getServers();
        assertEquals(1, servers.size());
        return servers.get(0);
    }

    @Test
    public void startDumpStopOnAnAgent() throws Exception {
        String datadir = datadir();
        DumbSlave agent = j.createOnlineSlave();
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("""
                node('AGENT') {
                  def s = mysqlStart(datadir: 'DATADIR', initialize: true)
                  echo "started ${s.pid} on ${s.node}"
                  def d = mysqlDump(server: s, databases: ['mysql'], output: 'backup/mysql.sql.gz')
                  echo "dumped ${d.file}: ${d.bytes} bytes"
                  def r = mysqlStop(server: s)
                  echo "stopped ${r.pid} on ${r.node} forced=${r.forced}"
                }
                """.replace("AGENT", agent.getNodeName()).replace("DATADIR", datadir), true));

        WorkflowRun run = j.buildAndAssertSuccess(p);

        // Each line below is printed from a map built of what a callable returned from the agent.
        ServerRecord server = onlyServer(run);
        assertEquals("the server is recorded on the agent", agent.getNodeName(), server.getNode());
        assertTrue(server.isStopped());
        assertEquals("SIGTERM", server.getStopOutcome());
        j.assertLogContains("started " + server.getPid() + " on " + agent.getNodeName(), run);
        j.assertLogContains("stopped " + server.getPid() + " on " + agent.getNodeName() + " forced=false", run);
        // Slave.getWorkspaceFor (core hudson/model/Slave.java:375): the dump is on the agent, not on the controller.
        FilePath workspace = agent.getWorkspaceFor(p);
        assertNotNull(workspace);
        FilePath dump = workspace.child("backup/mysql.sql.gz");
        assertTrue(dump.exists());
        j.assertLogContains("dumped backup/mysql.sql.gz: " + dump.length() + " bytes", run);
        assertFalse(j.jenkins.getWorkspaceFor(p).child("backup/mysql.sql.gz").exists());
    }

    @Test
    public void abortOnAnAgentStopsTheDumpThereAndTheServerIsStoppedAfterwards() throws Exception {
        assumeTrue("needs the mariadb client", new File("/usr/bin/mariadb").canExecute());
        String datadir = datadir();
        DumbSlave agent = j.createOnlineSlave();
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        // About 250 MB of rows, so the dump is still running on the agent when the build is aborted.
        p.setDefinition(new CpsFlowDefinition("""
                node('AGENT') {
                  def s = mysqlStart(datadir: 'DATADIR', initialize: true)
                  writeFile file: 'big.sql', text: "CREATE DATABASE big; CREATE TABLE big.t SELECT seq AS id, REPEAT('x', 255) AS pad FROM big.seq_1_to_1000000;"
                  withEnv(["DB_PORT=${s.port}"]) {
                    sh 'mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$DB_PORT" -u root < big.sql'
                  }
                  mysqlDump(server: s, databases: ['big'], output: 'backup/big.sql.gz')
                }
                """.replace("AGENT", agent.getNodeName()).replace("DATADIR", datadir), true));

        WorkflowRun run = p.scheduleBuild2(0).waitForStart();
        // JenkinsRule.waitForMessage (JenkinsRule.java:1654): the dumper on the agent logs this through the
        // TaskListener the callable carried over the channel.
        j.waitForMessage("dumping big", run);
        // What the Abort button posts to: WorkflowRun.doStop (workflow-job) hands the build's one-off executor
        // Executor.doStop (core hudson/model/Executor.java:867), which interrupts it with Result.ABORTED; Pipeline
        // then stops the running mysqlDump, whose remote call is cancelled on the agent.
        run.doStop();
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(run));

        FilePath backup = agent.getWorkspaceFor(p).child("backup");
        assertTrue(backup.isDirectory());
        // The callable's thread on the agent removes the partial file as it unwinds, which may end just after the
        // build does.
        long deadline = System.currentTimeMillis() + 30_000;
        while (backup.list("*.partial").length > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(0, backup.list("*.partial").length);
        assertFalse(backup.child("big.sql.gz").exists());

        // StopServersWhenBuildEnds stops the server the aborted build left on the agent, over the agent's channel
        // (Jenkins.getComputer(name).getChannel()), before the build's log is closed.
        ServerRecord server = onlyServer(run);
        assertEquals(agent.getNodeName(), server.getNode());
        j.assertLogContains("[mysql-lifecycle] the build started pid " + server.getPid() + " on node "
                + agent.getNodeName() + " and did not stop it; stopping it now", run);
        j.assertLogContains("[mysql-lifecycle] stopped pid " + server.getPid() + " on node " + agent.getNodeName(), run);
        assertTrue(server.isStopped());
    }
}
