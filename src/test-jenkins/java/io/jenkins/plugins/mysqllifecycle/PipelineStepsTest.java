package io.jenkins.plugins.mysqllifecycle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.FilePath;
import hudson.model.Executor;
import hudson.model.Result;
import hudson.util.Secret;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/** The three steps in real pipelines on the built-in node, against a real MariaDB server. */
public class PipelineStepsTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /**
     * A data directory the server can reach. Run as root, the engine starts the server as the mysql account, and
     * JenkinsRule's home (so the workspace) is a 0700 directory that account cannot enter; so are TemporaryFolder's
     * roots, hence the chmod.
     */
    private String datadir() throws Exception {
        assumeTrue("needs MariaDB at /usr/sbin/mariadbd", new File("/usr/sbin/mariadbd").canExecute());
        File servers = tmp.newFolder("servers");
        Files.setPosixFilePermissions(tmp.getRoot().toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(servers.toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
        return new File(servers, "data").getAbsolutePath();
    }

    @Test
    public void startDumpStop() throws Exception {
        String datadir = datadir();
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  def s = mysqlStart(datadir: 'DATADIR', initialize: true)
                  def d = mysqlDump(server: s, databases: ['mysql'], output: 'backup/mysql.sql.gz')
                  def r = mysqlStop(server: s)
                  echo "stopped ${r.pid} forced=${r.forced}"
                }
                """.replace("DATADIR", datadir), true));

        WorkflowRun run = j.buildAndAssertSuccess(p);

        ServersAction action = run.getAction(ServersAction.class);
        assertNotNull(action);
        List<ServerRecord> servers = action.getServers();
        assertEquals(1, servers.size());
        ServerRecord server = servers.get(0);
        assertTrue(server.isStopped());
        assertEquals("SIGTERM", server.getStopOutcome());
        j.assertLogContains("stopped " + server.getPid() + " forced=false", run);
        assertTrue(j.jenkins.getWorkspaceFor(p).child("backup/mysql.sql.gz").exists());
    }

    @Test
    public void startOutsideNodeFails() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("mysqlStart(datadir: '/var/tmp/never-started')", true));

        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);

        // The step requires a FilePath (and a Launcher); outside node {} Pipeline refuses to start it.
        j.assertLogContains("is missing", run);
        j.assertLogContains("such as: node", run);
        assertNull(run.getAction(ServersAction.class));
    }

    @Test
    public void passwordFromCredentialsNeverReachesTheLog() throws Exception {
        assumeTrue("needs the mariadb client", new File("/usr/bin/mariadb").canExecute());
        String datadir = datadir();
        String password = "s3cr3t-Pw-4711";
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "db-backup", "backup user", Secret.fromString(password)));
        SystemCredentialsProvider.getInstance().save();
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        // The sh step creates a user with that password (set +x keeps the shell from echoing it); the dump then logs
        // in as that user with the password it reads from DB_PW.
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  def s = mysqlStart(datadir: 'DATADIR', initialize: true)
                  withCredentials([string(credentialsId: 'db-backup', variable: 'DB_PW')]) {
                    withEnv(["DB_PORT=${s.port}"]) {
                      sh '''set +x
                        printf "CREATE USER 'backup'@'127.0.0.1' IDENTIFIED BY '%s'; GRANT ALL ON *.* TO 'backup'@'127.0.0.1';" "$DB_PW" | mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$DB_PORT" -u root'''
                    }
                    mysqlDump(server: s, user: 'backup', passwordVariable: 'DB_PW', databases: ['mysql'], output: 'backup/mysql.sql.gz')
                  }
                  mysqlStop(server: s)
                }
                """.replace("DATADIR", datadir), true));

        WorkflowRun run = j.buildAndAssertSuccess(p);

        assertTrue(j.jenkins.getWorkspaceFor(p).child("backup/mysql.sql.gz").exists());
        j.assertLogNotContains(password, run);
        // withCredentials masks the password as ****: no such mask either, so nothing printed it at all.
        j.assertLogNotContains("****", run);
    }

    @Test
    public void abortDuringDumpLeavesNoPartialFile() throws Exception {
        assumeTrue("needs the mariadb client", new File("/usr/bin/mariadb").canExecute());
        String datadir = datadir();
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        // About 250 MB of rows, so the dump is still running when the build is aborted.
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  def s = mysqlStart(datadir: 'DATADIR', initialize: true)
                  writeFile file: 'big.sql', text: "CREATE DATABASE big; CREATE TABLE big.t SELECT seq AS id, REPEAT('x', 255) AS pad FROM big.seq_1_to_1000000;"
                  withEnv(["DB_PORT=${s.port}"]) {
                    sh 'mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$DB_PORT" -u root < big.sql'
                  }
                  mysqlDump(server: s, databases: ['big'], output: 'backup/big.sql.gz')
                }
                """.replace("DATADIR", datadir), true));

        WorkflowRun run = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("dumping big", run);
        Executor executor = run.getExecutor();
        assertNotNull(executor);
        executor.interrupt();
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(run));

        FilePath backup = j.jenkins.getWorkspaceFor(p).child("backup");
        assertTrue(backup.isDirectory());
        // The step's thread removes the partial file as it unwinds, which may end just after the build does.
        long deadline = System.currentTimeMillis() + 30_000;
        while (backup.list("*.partial").length > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(0, backup.list("*.partial").length);
        assertFalse(backup.child("big.sql.gz").exists());
    }
}
