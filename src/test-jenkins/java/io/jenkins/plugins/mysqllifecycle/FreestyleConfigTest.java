package io.jenkins.plugins.mysqllifecycle;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.util.Secret;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * The three builders survive the job's configuration form unchanged (each shows its step's own form through
 * f:property); the dump password is stored encrypted.
 */
public class FreestyleConfigTest {
    private static final String PASSWORD = "s3cr3t-Pw-4711";

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void buildersRoundTrip() throws Exception {
        MysqlStartStep server = new MysqlStartStep("/var/tmp/mysql/data");
        server.setPort(3307);
        server.setSocket("/var/tmp/mysql/server.sock");
        server.setPidFile("/var/tmp/mysql/server.pid");
        server.setMysqld("/usr/sbin/mariadbd");
        server.setInitialize(true);
        server.setDefaultsFile("/etc/mysql/ci.cnf");
        server.setReadyTimeout(90);
        server.setOsUser("dbrunner");
        server.setKeepRunning(true);
        MysqlStartBuilder start = new MysqlStartBuilder(server);

        MysqlDumpStep shop = new MysqlDumpStep("backup/shop.sql");
        shop.setHost("db.example.com");
        shop.setPort(3308);
        shop.setUser("backup");
        shop.setDefaultsFile("/etc/mysql/dump.cnf");
        shop.setDatabases(java.util.List.of("shop"));
        shop.setCompress("none");
        shop.setTimeout(600);
        shop.setKeep(7);
        shop.setMethod("parallel");
        shop.setThreads(4);
        shop.setVerify(true);
        shop.setLockWaitTimeout(5);
        shop.setLongQueryGuard(120);
        shop.setKillLongQueries(true);
        MysqlDumpBuilder dump = new MysqlDumpBuilder(shop);
        dump.setPassword(Secret.fromString(PASSWORD));

        MysqlStopStep hung = new MysqlStopStep();
        hung.setPidFile("/var/tmp/mysql/server.pid");
        hung.setPid(4711);
        hung.setTimeout(30);
        hung.setKillAfterTimeout(true);
        MysqlStopBuilder stop = new MysqlStopBuilder(hung);

        FreeStyleProject p = j.createFreeStyleProject("p");
        p.getBuildersList().add(start);
        p.getBuildersList().add(dump);
        p.getBuildersList().add(stop);

        p = (FreeStyleProject) j.configRoundtrip((Item) p);

        j.assertEqualDataBoundBeans(start, p.getBuildersList().get(MysqlStartBuilder.class));
        j.assertEqualDataBoundBeans(dump, p.getBuildersList().get(MysqlDumpBuilder.class));
        j.assertEqualDataBoundBeans(stop, p.getBuildersList().get(MysqlStopBuilder.class));

        MysqlDumpBuilder saved = p.getBuildersList().get(MysqlDumpBuilder.class);
        assertNotNull(saved.getPassword());
        String configXml = p.getConfigFile().asString();
        assertFalse("config.xml holds the password in clear", configXml.contains(PASSWORD));
        assertTrue("config.xml holds the encrypted password", configXml.contains(saved.getPassword().getEncryptedValue()));
    }
}
