package io.jenkins.plugins.mysqllifecycle.engine.cli;

import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.testing.SshTestHosts;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


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

// MariaDB only: the SSH layer carries commands and files the same way for both flavors; the MySQL used here lives
// in a chroot on this machine's /opt, which the test hosts (network namespaces) share but which proves nothing more.
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

    @Test
    void restoreLoadsDumpsFromThisMachineIntoAServerOnTheGuest() throws Exception {
        TestServers.traversable(temp);
        ServerHandle source = TestServers.start(temp, "source");
        try (SshTestHosts machines = SshTestHosts.start(temp, 1)) {
            TestServers.sql(source, "CREATE DATABASE shop CHARACTER SET utf8mb4",
                    "CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(40), total DECIMAL(10,2))",
                    "INSERT INTO shop.orders SELECT seq, CONCAT('order ', seq, ' é'), seq / 4"
                            + " FROM shop.seq_1_to_5000",
                    "CREATE TABLE shop.nokey (a INT)", "INSERT INTO shop.nokey VALUES (1), (1), (NULL)");
            Path directory = temp.resolve("shop-dir");
            Path file = temp.resolve("shop.sql.gz");
            for (List<String> dump : List.of(List.of("--output", directory.toString(), "--method", "parallel"),
                    List.of("--output", file.toString()))) {
                Run dumped = cli(Map.of(), with(List.of("dump", "--port", Integer.toString(source.port()), "--user",
                        "root", "--databases", "shop"), dump));
                assertEquals(0, dumped.exit(), dumped.err());
            }
            Map<String, String> expected = TestServers.checksums(source, "shop");

            SshTestHosts.TestHost guest = machines.hosts.get(0);
            List<String> ssh = List.of("--ssh", guest.destination(), "--identity", machines.clientKey.toString(),
                    "--passphrase-env", "KEY_PASS", "--known-hosts", machines.knownHosts.toString());
            Map<String, String> environment = Map.of("KEY_PASS", SshTestHosts.KEY_PASSPHRASE);
            Run start = cli(environment, with(List.of("start", "--datadir", temp.resolve("guest-data").toString(),
                    "--initialize"), ssh));
            assertEquals(0, start.exit(), start.err());
            Map<String, Object> server = Json.parseObject(start.out().strip());
            String port = server.get("port").toString();
            try {
                // a directory through the port forward, with two connections
                Run restoreDirectory = cli(environment, with(List.of("restore", "--port", port, "--user", "root",
                        "--input", directory.toString(), "--threads", "2"), ssh));
                assertEquals(0, restoreDirectory.exit(), restoreDirectory.err());
                assertEquals(5003L, Json.parseObject(restoreDirectory.out().strip()).get("rows"));
                assertEquals(expected, guestChecksums(guest, port, expected.keySet()));

                // a file streamed over the channel into the guest's own client
                SshTestHosts.sh(SshTestHosts.inside(guest, "mariadb", "--no-defaults", "--protocol=TCP",
                        "-h127.0.0.1", "-P" + port, "-uroot", "-e", "DROP DATABASE shop").toArray(String[]::new));
                Run restoreFile = cli(environment, with(List.of("restore", "--port", port, "--user", "root",
                        "--input", file.toString()), ssh));
                assertEquals(0, restoreFile.exit(), restoreFile.err());
                assertEquals("file", Json.parseObject(restoreFile.out().strip()).get("format"));
                assertEquals(expected, guestChecksums(guest, port, expected.keySet()));
            } finally {
                new LocalHost().signal((Long) server.get("pid"), io.jenkins.plugins.mysqllifecycle.engine.Signal
                        .SIGKILL);
            }
        } finally {
            TestServers.stop(source);
        }
    }

    /** CHECKSUM TABLE and row count of each table, as TestServers.checksums gives them, asked on the guest. */
    private static Map<String, String> guestChecksums(SshTestHosts.TestHost guest, String port,
                                                      java.util.Set<String> tables) throws Exception {
        Map<String, String> checksums = new java.util.LinkedHashMap<>();
        for (String table : tables) {
            String row = SshTestHosts.sh(SshTestHosts.inside(guest, "mariadb", "--no-defaults", "--protocol=TCP",
                    "-h127.0.0.1", "-P" + port, "-uroot", "-N", "-e", "CHECKSUM TABLE shop." + table
                            + "; SELECT COUNT(*) FROM shop." + table).toArray(String[]::new));
            String[] lines = row.strip().split("\n");
            checksums.put(table, lines[0].split("\t")[1] + "/" + lines[1].strip());
        }
        return checksums;
    }

    private static List<String> with(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
