package io.jenkins.plugins.mysqllifecycle;

import java.util.List;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/** Each step survives its configuration form (the Snippet Generator's) unchanged, with every field off its default. */
public class StepConfigTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void mysqlStart() throws Exception {
        MysqlStartStep step = new MysqlStartStep("/var/tmp/mysql/data");
        step.setPort(3307);
        step.setSocket("/var/tmp/mysql/server.sock");
        step.setPidFile("/var/tmp/mysql/server.pid");
        step.setMysqld("/usr/sbin/mariadbd");
        step.setInitialize(true);
        step.setDefaultsFile("/etc/mysql/ci.cnf");
        step.setReadyTimeout(90);
        step.setOsUser("dbrunner");
        step.setKeepRunning(true);

        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }

    @Test
    public void mysqlDump() throws Exception {
        MysqlDumpStep step = new MysqlDumpStep("backup/shop.sql");
        step.setHost("db.example.com");
        step.setPort(3308);
        step.setUser("backup");
        step.setPasswordVariable("DB_PW");
        step.setDefaultsFile("/etc/mysql/dump.cnf");
        step.setDatabases(List.of("shop"));
        step.setCompress("none");
        step.setTimeout(600);
        step.setKeep(7);
        step.setMethod("parallel");
        step.setThreads(4);
        step.setVerify(true);
        step.setTls("verify-identity");
        step.setTlsCa("/etc/mysql/ca.pem");
        step.setLockWaitTimeout(5);
        step.setLongQueryGuard(120);
        step.setKillLongQueries(true);

        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }

    @Test
    public void mysqlDumpAllDatabases() throws Exception {
        MysqlDumpStep step = new MysqlDumpStep("backup/all.sql.gz");
        step.setSocket("/var/tmp/mysql/server.sock");
        step.setAllDatabases(true);

        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }

    @Test
    public void mysqlStop() throws Exception {
        MysqlStopStep step = new MysqlStopStep();
        step.setPidFile("/var/tmp/mysql/server.pid");
        step.setPid(4711);
        step.setTimeout(30);
        step.setKillAfterTimeout(true);

        j.assertEqualDataBoundBeans(step, new StepConfigTester(j).configRoundTrip(step));
    }
}
