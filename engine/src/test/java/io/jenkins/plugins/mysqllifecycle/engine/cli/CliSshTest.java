package io.jenkins.plugins.mysqllifecycle.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.mysqllifecycle.engine.Json;
import io.jenkins.plugins.mysqllifecycle.engine.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.SshTestHosts;
import io.jenkins.plugins.mysqllifecycle.engine.TestServers;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's --ssh options: start, dump and stop a server on a guest, the dump landing on this machine. */
class CliSshTest {
    @TempDir
    Path temp;

    private record Run(int exit, String out, String err) {
    }

    private static Run cli(Map<String, String> environment, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args.toArray(String[]::new));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void startDumpAndStopOnAGuestOverSsh() throws Exception {
        TestServers.traversable(temp);
        try (SshTestHosts machines = SshTestHosts.start(temp, 1)) {
            SshTestHosts.TestHost guest = machines.hosts.get(0);
            List<String> ssh = List.of("--ssh", guest.destination(), "--identity", machines.clientKey.toString(),
                    "--passphrase-env", "KEY_PASS", "--known-hosts", machines.knownHosts.toString());
            Map<String, String> environment = Map.of("KEY_PASS", SshTestHosts.KEY_PASSPHRASE);

            Run start = cli(environment, with(List.of("start", "--datadir", temp.resolve("guest-data").toString(),
                    "--initialize"), ssh));
            assertEquals(0, start.exit(), start.err());
            Map<String, Object> server = Json.parseObject(start.out().strip());
            long pid = (Long) server.get("pid");
            try {
                Run dump = cli(environment, with(List.of("dump", "--port", server.get("port").toString(), "--user",
                        "root", "--databases", "mysql", "--output", temp.resolve("guest.sql.gz").toString()), ssh));
                assertEquals(0, dump.exit(), dump.err());
                assertTrue(Files.size(temp.resolve("guest.sql.gz")) > 1000);
                assertEquals(Files.size(temp.resolve("guest.sql.gz")), Json.parseObject(dump.out().strip())
                        .get("bytes"));

                Run stop = cli(environment, with(List.of("stop", "--pid-file", server.get("pidFile").toString()),
                        ssh));
                assertEquals(0, stop.exit(), stop.err());
                assertEquals(false, Json.parseObject(stop.out().strip()).get("forced"));
                assertTrue(new LocalHost().process(pid).map(ProcessInfo::hasExited).orElse(true));
                String everything = start.err() + dump.err() + stop.err() + start.out() + dump.out() + stop.out();
                assertFalse(everything.contains(SshTestHosts.KEY_PASSPHRASE), "the key passphrase was printed");
            } finally {
                new LocalHost().signal(pid, io.jenkins.plugins.mysqllifecycle.engine.Signal.SIGKILL);
            }

            Run badMode = cli(environment, with(List.of("stop", "--pid", "5"), List.of("--ssh", guest.destination(),
                    "--identity", machines.clientKey.toString(), "--host-key-check", "sometimes")));
            assertEquals(2, badMode.exit(), badMode.err());
            Run sshOptionAlone = cli(environment, List.of("stop", "--pid", "5", "--identity", "/k"));
            assertEquals(2, sshOptionAlone.exit(), sshOptionAlone.err());
            assertTrue(sshOptionAlone.err().contains("--identity only goes with --ssh"), sshOptionAlone.err());
        }
    }

    private static List<String> with(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
