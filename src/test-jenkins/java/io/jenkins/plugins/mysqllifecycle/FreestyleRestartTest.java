package io.jenkins.plugins.mysqllifecycle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;

import hudson.model.FreeStyleProject;
import hudson.util.Secret;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsSessionRule;

/**
 * A freestyle job with each builder and the build wrapper is saved, and a new Jenkins on the same home loads it back
 * unchanged.
 *
 * <p>JenkinsSessionRule (jenkins-test-harness 2391.v9b_3e2d3351a_2, JenkinsSessionRule.java:39, then at :97) runs
 * each {@code then} block in its own Jenkins, shut down at the end of the block, on one JENKINS_HOME; so the second
 * block reads config.xml from disk through XStream, whose ClassFilterImpl accepts the plugin's classes only from a
 * jar with a plugin manifest, and decrypts the passwords with the key the first Jenkins stored in that home. The
 * configuration round trip of FreestyleConfigTest binds the form, but never reads a saved file back.
 */
public class FreestyleRestartTest {
    private static final String DUMP_PASSWORD = "s3cr3t-Dump-4711";
    private static final String RESTORE_PASSWORD = "s3cr3t-Restore-4711";

    @Rule
    public JenkinsSessionRule sessions = new JenkinsSessionRule();

    // Each Jenkins session gets its own instances (a Secret is made with the running Jenkins' key).

    private static MysqlStartBuilder start() {
        MysqlStartStep server = new MysqlStartStep("/var/tmp/mysql/data");
        server.setPort(3307);
        server.setSocket("/var/tmp/mysql/server.sock");
        server.setPidFile("/var/tmp/mysql/server.pid");
        server.setInitialize(true);
        server.setReadyTimeout(90);
        server.setKeepRunning(true);
        return new MysqlStartBuilder(server);
    }

    private static MysqlDumpBuilder dump() {
        MysqlDumpStep shop = new MysqlDumpStep("backup/shop.sql");
        shop.setPort(3307);
        shop.setUser("backup");
        shop.setDatabases(List.of("shop"));
        shop.setCompress("none");
        shop.setKeep(7);
        shop.setMethod("parallel");
        shop.setThreads(4);
        shop.setVerify(true);
        MysqlDumpBuilder dump = new MysqlDumpBuilder(shop);
        dump.setPassword(Secret.fromString(DUMP_PASSWORD));
        return dump;
    }

    private static MysqlRestoreBuilder restore() {
        MysqlRestoreStep load = new MysqlRestoreStep("backup/shop.sql");
        load.setSocket("/var/tmp/mysql/server.sock");
        load.setUser("loader");
        load.setThreads(3);
        load.setTimeout(600);
        MysqlRestoreBuilder restore = new MysqlRestoreBuilder(load);
        restore.setPassword(Secret.fromString(RESTORE_PASSWORD));
        return restore;
    }

    private static MysqlStopBuilder stop() {
        MysqlStopStep stop = new MysqlStopStep();
        stop.setPidFile("/var/tmp/mysql/server.pid");
        stop.setTimeout(30);
        stop.setKillAfterTimeout(true);
        return new MysqlStopBuilder(stop);
    }

    private static WithMysqlBuildWrapper wrapper() {
        WithMysqlStep server = new WithMysqlStep("/var/tmp/mysql/wrapped");
        server.setPort(3309);
        server.setInitialize(true);
        server.setStopTimeout(45);
        server.setKillAfterTimeout(true);
        return new WithMysqlBuildWrapper(server);
    }

    @Test
    public void everyBuilderAndTheWrapperSurviveARestart() throws Throwable {
        sessions.then(j -> {
            FreeStyleProject p = j.createFreeStyleProject("p");
            p.getBuildersList().add(start());
            p.getBuildersList().add(dump());
            p.getBuildersList().add(restore());
            p.getBuildersList().add(stop());
            p.getBuildWrappersList().add(wrapper());
            p.save();
        });
        sessions.then(j -> {
            FreeStyleProject p = j.jenkins.getItemByFullName("p", FreeStyleProject.class);
            assertNotNull("the job was not loaded", p);
            assertEquals(List.of(MysqlStartBuilder.class, MysqlDumpBuilder.class, MysqlRestoreBuilder.class,
                    MysqlStopBuilder.class), p.getBuildersList().stream().map(Object::getClass).toList());
            j.assertEqualDataBoundBeans(start(), p.getBuildersList().get(MysqlStartBuilder.class));
            j.assertEqualDataBoundBeans(dump(), p.getBuildersList().get(MysqlDumpBuilder.class));
            j.assertEqualDataBoundBeans(restore(), p.getBuildersList().get(MysqlRestoreBuilder.class));
            j.assertEqualDataBoundBeans(stop(), p.getBuildersList().get(MysqlStopBuilder.class));
            j.assertEqualDataBoundBeans(wrapper(), p.getBuildWrappersList().get(WithMysqlBuildWrapper.class));

            assertEquals(DUMP_PASSWORD,
                    p.getBuildersList().get(MysqlDumpBuilder.class).getPassword().getPlainText());
            assertEquals(RESTORE_PASSWORD,
                    p.getBuildersList().get(MysqlRestoreBuilder.class).getPassword().getPlainText());
            String configXml = p.getConfigFile().asString();
            assertFalse("config.xml holds a password in clear",
                    configXml.contains(DUMP_PASSWORD) || configXml.contains(RESTORE_PASSWORD));
        });
    }
}
