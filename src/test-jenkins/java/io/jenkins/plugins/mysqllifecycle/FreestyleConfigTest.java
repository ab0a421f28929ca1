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

/** The three builders survive the job's configuration form unchanged; the dump password is stored encrypted. */
public class FreestyleConfigTest {
    private static final String PASSWORD = "s3cr3t-Pw-4711";

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Test
    public void buildersRoundTrip() throws Exception {
        MysqlStartBuilder start = new MysqlStartBuilder("/var/tmp/mysql/data");
        start.setPort(3307);
        start.setSocket("/var/tmp/mysql/server.sock");
        start.setPidFile("/var/tmp/mysql/server.pid");
        start.setMysqld("/usr/sbin/mariadbd");
        start.setInitialize(true);
        start.setDefaultsFile("/etc/mysql/ci.cnf");
        start.setReadyTimeout(90);
        start.setOsUser("dbrunner");
        start.setKeepRunning(true);

        MysqlDumpBuilder dump = new MysqlDumpBuilder("backup/shop.sql");
        dump.setHost("db.example.com");
        dump.setPort(3308);
        dump.setUser("backup");
        dump.setPassword(Secret.fromString(PASSWORD));
        dump.setDefaultsFile("/etc/mysql/dump.cnf");
        dump.setDatabases("shop, other");
        dump.setCompress("none");
        dump.setTimeout(600);
        dump.setKeep(7);
        dump.setMethod("parallel");
        dump.setThreads(4);
        dump.setVerify(true);

        MysqlStopBuilder stop = new MysqlStopBuilder();
        stop.setPidFile("/var/tmp/mysql/server.pid");
        stop.setPid(4711);
        stop.setTimeout(30);
        stop.setKillAfterTimeout(true);

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
