package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Result;
import hudson.util.Secret;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
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

/** mysqlRestore in a real pipeline, after a parallel, verified mysqlDump; its form round trips. */
public class MysqlRestoreTest {
    private static final String PASSWORD = "s3cr3t-Restore-4711";

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A directory the servers' account can reach (TemporaryFolder's root is 0700). */
    private Path servers() throws Exception {
        assumeTrue("needs MariaDB at /usr/sbin/mariadbd", new File("/usr/sbin/mariadbd").canExecute());
        Files.setPosixFilePermissions(tmp.getRoot().toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
        return tmp.newFolder("servers").toPath();
    }

    @Test
    public void parallelDumpThenRestoreIntoASecondServerGivesTheSameTables() throws Exception {
        Path servers = servers();
        ServerHandle source = TestServers.start(servers, "source");
        ServerHandle target = null;
        try {
            target = TestServers.start(servers, "target");
            TestServers.sql(source, "CREATE DATABASE shop CHARACTER SET utf8mb4",
                    "CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(40), total DECIMAL(10,2))",
                    "INSERT INTO shop.orders SELECT seq, CONCAT('order ', seq), seq / 4 FROM shop.seq_1_to_1000",
                    "CREATE TABLE shop.nokey (a INT)", "INSERT INTO shop.nokey VALUES (1), (1), (NULL), (2)");
            WorkflowJob p = j.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition("""
                    node {
                      def d = mysqlDump(port: SOURCE, databases: ['shop'], output: 'backup/shop', method: 'parallel',
                                        threads: 2, verify: true)
                      echo "dumped ${d.format} verified=${d.verified} to ${d.file}"
                      def r = mysqlRestore(port: TARGET, input: d.file, threads: 2)
                      echo "restored ${r.format}: ${r.tables} tables, ${r.rows} rows"
                    }
                    """.replace("SOURCE", Integer.toString(source.port()))
                    .replace("TARGET", Integer.toString(target.port())), true));

            WorkflowRun run = j.buildAndAssertSuccess(p);

            j.assertLogContains("dumped directory verified=true to backup/shop", run);
            j.assertLogContains("restored directory: 2 tables, 1004 rows", run);
            Map<String, String> expected = TestServers.checksums(source, "shop");
            assertEquals(2, expected.size());
            assertEquals(expected, TestServers.checksums(target, "shop"));
        } finally {
            TestServers.stop(source);
            TestServers.stop(target);
        }
    }

    @Test
    public void anInputOutsideTheWorkspaceFailsTheBuildBeforeAnythingRuns() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node { mysqlRestore(port: 1, input: '../other-job/shop.sql.gz') }",
                true));

        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, p);

        j.assertLogContains("mysqlRestore: input ../other-job/shop.sql.gz must be a path relative to the workspace",
                run);
    }

    @Test
    public void restoreStepRoundTripsThroughItsForm() throws Exception {
        MysqlRestoreStep step = new MysqlRestoreStep("backup/shop");
        step.setHost("db.example.com");
        step.setPort(3308);
        step.setUser("loader");
        step.setPasswordVariable("DB_PW");
        step.setDefaultsFile("/etc/mysql/restore.cnf");
        step.setThreads(4);
        step.setTimeout(900);
        step.setClientTool("/usr/bin/mariadb");
        step.setSkipBinaryLog(true);
        step.setAllowCrossFlavor(true);

        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }

    @Test
    public void restoreBuilderRoundTripsAndKeepsThePasswordEncrypted() throws Exception {
        MysqlRestoreStep load = new MysqlRestoreStep("backup/shop.sql.gz");
        load.setSocket("/var/tmp/mysql/server.sock");
        load.setUser("loader");
        load.setThreads(3);
        load.setTimeout(600);
        load.setClientTool("/usr/bin/mariadb");
        MysqlRestoreBuilder restore = new MysqlRestoreBuilder(load);
        restore.setPassword(Secret.fromString(PASSWORD));
        FreeStyleProject p = j.createFreeStyleProject("p");
        p.getBuildersList().add(restore);

        p = (FreeStyleProject) j.configRoundtrip((Item) p);

        j.assertEqualDataBoundBeans(restore, p.getBuildersList().get(MysqlRestoreBuilder.class));
        String configXml = p.getConfigFile().asString();
        assertFalse("config.xml holds the password in clear", configXml.contains(PASSWORD));
        assertTrue("config.xml holds the encrypted password", configXml.contains(
                p.getBuildersList().get(MysqlRestoreBuilder.class).getPassword().getEncryptedValue()));
    }
}
