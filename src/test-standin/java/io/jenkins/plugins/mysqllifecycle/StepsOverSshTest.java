package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.Signal;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.testing.SshTestHosts;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steps with ssh: against a guest (a network namespace with its own sshd), the SSH made from the agent. */
class StepsOverSshTest {
    @TempDir
    Path temp;

    @Test
    void startDumpAndStopOnAGuestWithCredentialsFromTheEnvironment() throws Exception {
        TestServers.traversable(temp);
        try (SshTestHosts machines = SshTestHosts.start(temp, 1)) {
            SshTestHosts.TestHost guest = machines.hosts.get(0);
            FilePath workspace = new FilePath(Files.createDirectories(temp.resolve("workspace")).toFile());
            TestBuilds.TestRun run = new TestBuilds.TestRun();
            TestBuilds.Listener listener = new TestBuilds.Listener();
            EnvVars environment = new EnvVars(Map.of("KEY", machines.clientKey.toString(), "KEY_PASS",
                    SshTestHosts.KEY_PASSPHRASE));
            TestBuilds.Context context = new TestBuilds.Context(workspace, run, listener, environment);
            SshOptions ssh = new SshOptions(guest.address(), "root");
            ssh.setPort(guest.port());
            ssh.setIdentityVariable("KEY");
            ssh.setPassphraseVariable("KEY_PASS");
            ssh.setKnownHostsFile(machines.knownHosts.toString());

            MysqlStartStep start = new MysqlStartStep(temp.resolve("guest-data").toString());
            start.setInitialize(true);
            start.setSsh(ssh);
            Map<String, Object> server = ((MysqlStartStep.Execution) start.start(context)).run();
            long pid = ServerMaps.number(server, "pid");
            try {
                assertEquals(ssh.target(run, environment, "test").describe(), server.get("host"));

                MysqlDumpStep withoutSsh = new MysqlDumpStep("x.sql.gz");
                withoutSsh.setServer(server);
                withoutSsh.setAllDatabases(true);
                AbortException refused = assertThrows(AbortException.class,
                        () -> ((MysqlDumpStep.Execution) withoutSsh.start(context)).run());
                assertTrue(refused.getMessage().contains("same ssh: option"), refused.getMessage());

                MysqlDumpStep dump = new MysqlDumpStep("guest/all.sql.gz");
                dump.setServer(server);
                dump.setAllDatabases(true);
                dump.setSsh(ssh);
                Map<String, Object> dumped = ((MysqlDumpStep.Execution) dump.start(context)).run();
                assertEquals(Files.size(temp.resolve("workspace/guest/all.sql.gz")), dumped.get("bytes"));

                // a restore reads the workspace here and loads into the guest's server through the SSH channel
                Files.writeString(temp.resolve("workspace/guest/seed.sql"), "CREATE DATABASE seeded;\n"
                        + "CREATE TABLE seeded.t (id INT PRIMARY KEY, v VARCHAR(20));\n"
                        + "INSERT INTO seeded.t VALUES (1, 'from-the-agent'), (2, 'over-ssh');\n");
                MysqlRestoreStep restore = new MysqlRestoreStep("guest/seed.sql");
                restore.setServer(server);
                restore.setSsh(ssh);
                Map<String, Object> restored = ((MysqlRestoreStep.Execution) restore.start(context)).run();
                assertEquals("file", restored.get("format"));
                MysqlDumpStep check = new MysqlDumpStep("guest/seeded.sql");
                check.setServer(server);
                check.setDatabases(List.of("seeded"));
                check.setCompress("none");
                check.setSsh(ssh);
                ((MysqlDumpStep.Execution) check.start(context)).run();
                String seeded = Files.readString(temp.resolve("workspace/guest/seeded.sql"));
                assertTrue(seeded.contains("(1,'from-the-agent')") && seeded.contains("(2,'over-ssh')"), seeded);

                MysqlStopStep stop = new MysqlStopStep();
                stop.setSsh(ssh);
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> stopped = (List<Map<String, Object>>) ((MysqlStopStep.Execution)
                        stop.start(context)).run();
                assertEquals(pid, stopped.get(0).get("pid"));
                assertTrue(new LocalHost().process(pid).map(ProcessInfo::hasExited).orElse(true));
                assertFalse(listener.log().contains(SshTestHosts.KEY_PASSPHRASE), "passphrase in the build log");
            } finally {
                new LocalHost().signal(pid, Signal.SIGKILL);
            }

            SshOptions unbound = new SshOptions(guest.address(), "root");
            unbound.setIdentityVariable("NOT_BOUND");
            MysqlStopStep stop = new MysqlStopStep();
            stop.setSsh(unbound);
            AbortException missing = assertThrows(AbortException.class,
                    () -> ((MysqlStopStep.Execution) stop.start(context)).run());
            assertTrue(missing.getMessage().contains("NOT_BOUND"), missing.getMessage());
        }
    }
}
