package io.jenkins.plugins.mysqllifecycle.engine.host.ssh;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreResult;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreSpec;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.Signal;
import io.jenkins.plugins.mysqllifecycle.engine.SshKey;
import io.jenkins.plugins.mysqllifecycle.engine.SshTarget;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.StopResult;
import io.jenkins.plugins.mysqllifecycle.engine.StopSpec;
import io.jenkins.plugins.mysqllifecycle.engine.StopTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.dump.Dumper;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.Jdbc;
import io.jenkins.plugins.mysqllifecycle.engine.restore.Restorer;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerLauncher;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerStopper;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.engine.util.WaitLoop;
import io.jenkins.plugins.mysqllifecycle.testing.FakeServers;
import io.jenkins.plugins.mysqllifecycle.testing.SecretScan;
import io.jenkins.plugins.mysqllifecycle.testing.SshTestHosts;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Start, dump and stop on two SSH hosts (network namespaces with their own sshd), and what goes wrong with SSH. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshHostTest {
    private static final String DB_PASSWORD = "remote-db-pw-K2!";

    private SshTestHosts machines;
    private Path root;
    @TempDir
    Path temp;

    @BeforeAll
    void startHosts(@TempDir Path directory) throws Exception {
        root = TestServers.traversable(directory);
        machines = SshTestHosts.start(directory, 2);
    }

    @AfterAll
    void stopHosts() {
        if (machines != null) {
            machines.close();
        }
    }

    private SshHost connect(SshTestHosts.TestHost host) throws Exception {
        return SshHost.connect(machines.target(host), TestServers.quietLog());
    }

    private ServerHandle startRemote(SshHost host, String name) throws Exception {
        return new ServerLauncher(host, TestServers.quietLog()).start(ServerSpec.builder(root.resolve(name)
                .toString()).initialize(true).build());
    }

    @Test
    void startDumpAndStopOnTwoHostsWithBothDumpsInParallel() throws Exception {
        List<SshHost> hosts = new ArrayList<>();
        List<ServerHandle> servers = new ArrayList<>();
        try {
            for (SshTestHosts.TestHost machine : machines.hosts) {
                SshHost host = connect(machine);
                hosts.add(host);
                ServerHandle server = startRemote(host, "data-" + machine.name());
                servers.add(server);
                assertEquals(machine.destination().replace(":22", ""), server.host());
                // the server is bound to the remote 127.0.0.1: reach it through the tunnel
                try (var connection = Jdbc.connect(host.loopbackAddress(server.port()), rootLogin());
                     var statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE shop CHARACTER SET utf8mb4");
                    statement.execute("CREATE TABLE shop.t (id INT PRIMARY KEY, name VARCHAR(40))");
                    statement.execute("INSERT INTO shop.t SELECT seq, CONCAT('" + machine.name()
                            + " row ', seq) FROM shop.seq_1_to_50000");
                    statement.execute("CREATE USER 'backup'@'127.0.0.1' IDENTIFIED BY '" + DB_PASSWORD + "'");
                    statement.execute("GRANT SELECT, LOCK TABLES, SHOW VIEW, EVENT, TRIGGER ON *.* TO"
                            + " 'backup'@'127.0.0.1'");
                }
            }
            List<CompletableFuture<DumpResult>> dumps = new ArrayList<>();
            for (int i = 0; i < hosts.size(); i++) {
                SshHost host = hosts.get(i);
                ServerHandle server = servers.get(i);
                Path output = temp.resolve("shop-" + i + ".sql.gz");
                dumps.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return new Dumper(host, TestServers.quietLog()).dump(DumpSpec.builder().port(server.port())
                                .user("backup").password(Password.of(DB_PASSWORD)).databases(List.of("shop"))
                                .output(output.toString()).build());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (int i = 0; i < dumps.size(); i++) {
                DumpResult result = dumps.get(i).get();
                String sql = gunzip(Path.of(result.file()));
                assertTrue(sql.contains(machines.hosts.get(i).name() + " row 50000"), "wrong host's data");
                assertEquals(withoutVolatileLines(localDumpInside(machines.hosts.get(i), servers.get(i))),
                        withoutVolatileLines(sql), "the SSH dump differs from a dump made on the host itself");
            }
            for (int i = 0; i < hosts.size(); i++) {
                StopResult stop = new ServerStopper(hosts.get(i), TestServers.quietLog())
                        .stop(StopSpec.of(servers.get(i), Duration.ofSeconds(60), false));
                assertEquals(Signal.SIGTERM, stop.signal());
                assertTrue(stop.millis() < 5000, "took " + stop.millis());
                assertTrue(new LocalHost().process(servers.get(i).pid()).map(ProcessInfo::hasExited).orElse(true));
                servers.set(i, null);
            }
        } finally {
            for (int i = 0; i < servers.size(); i++) {
                if (servers.get(i) != null) {
                    new LocalHost().signal(servers.get(i).pid(), Signal.SIGKILL);
                }
            }
            hosts.forEach(SshHost::close);
        }
    }

    private static java.util.Properties rootLogin() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", "root");
        return properties;
    }

    private static String gunzip(Path file) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** mariadb-dump run on the host itself, with the options the engine uses. */
    private String localDumpInside(SshTestHosts.TestHost machine, ServerHandle server) throws Exception {
        List<String> command = SshTestHosts.inside(machine, "mariadb-dump", "--no-defaults", "--protocol=TCP",
                "--host=127.0.0.1", "--port=" + server.port(), "--user=root", "--single-transaction", "--quick",
                "--routines", "--events", "--triggers", "--hex-blob", "--default-character-set=utf8mb4",
                "--comments", "--databases", "shop");
        Process process = new ProcessBuilder(command).start();
        String sql = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor());
        return sql;
    }

    private static String withoutVolatileLines(String sql) {
        return sql.replaceAll("(?m)^-- Dump completed on .*$", "");
    }

    /** A server on the first host with about 300 MB of SQL to dump: long enough to interfere with. */
    private ServerHandle bigServer(SshHost host) throws Exception {
        ServerHandle server = startRemote(host, "big-" + System.nanoTime());
        try (var connection = Jdbc.connect(host.loopbackAddress(server.port()), rootLogin());
             var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE big");
            statement.execute("CREATE TABLE big.t (id INT PRIMARY KEY, v VARCHAR(200))");
            statement.execute("INSERT INTO big.t SELECT seq, REPEAT('y', 200) FROM big.seq_1_to_1500000");
            statement.execute("CREATE USER 'backup'@'127.0.0.1' IDENTIFIED BY '" + DB_PASSWORD + "'");
            statement.execute("GRANT SELECT, LOCK TABLES, SHOW VIEW, EVENT, TRIGGER ON *.* TO 'backup'@'127.0.0.1'");
        }
        return server;
    }

    private static void awaitGrowing(Path partial, CompletableFuture<?> dump) throws Exception {
        Deadline deadline = Deadline.after(Duration.ofSeconds(60));
        while (!(Files.exists(partial) && Files.size(partial) > 1_000_000) && !dump.isDone()) {
            assertFalse(deadline.hasExpired(), "the dump never got going");
            Thread.sleep(5);
        }
        assertFalse(dump.isDone(), "the dump finished before anything could interfere with it");
    }

    @Test
    void connectionCutMidDumpFailsClearlyAndLeavesNoFile() throws Exception {
        SshTestHosts.TestHost machine = machines.hosts.get(0);
        try (SshHost host = connect(machine)) {
            ServerHandle server = bigServer(host);
            try {
                Path output = temp.resolve("cut.sql");
                CompletableFuture<DumpResult> dump = CompletableFuture.supplyAsync(() -> {
                    try {
                        return new Dumper(host, TestServers.quietLog()).dump(DumpSpec.builder().port(server.port())
                                .user("backup").password(Password.of(DB_PASSWORD)).databases(List.of("big"))
                                .compression(Compression.NONE).output(output.toString()).build());
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
                awaitGrowing(temp.resolve("cut.sql.partial"), dump);
                // kill sshd's processes for this session (not the listening daemon)
                for (ProcessInfo process : new LocalHost().processes()) {
                    if (!process.hasExited() && !process.commandLine().isEmpty()
                            && process.commandLine().get(0).startsWith("sshd: root")) {
                        new LocalHost().signal(process.pid(), Signal.SIGKILL);
                    }
                }
                Throwable failure = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> dump.get(60, java.util.concurrent.TimeUnit.SECONDS)).getCause();
                assertTrue(failure instanceof EngineException, String.valueOf(failure));
                assertTrue(failure.getMessage().contains("connection to " + host.describe() + " was lost"),
                        failure.getMessage());
                assertFalse(Files.exists(output));
                assertFalse(Files.exists(temp.resolve("cut.sql.partial")));
            } finally {
                new LocalHost().signal(server.pid(), Signal.SIGKILL);
            }
        }
    }

    @Test
    void secretsNeverShowOnAnyCommandLineOrEnvironmentDuringARemoteDump() throws Exception {
        SshTestHosts.TestHost machine = machines.hosts.get(1);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
        try (SshHost host = SshHost.connect(machines.target(machine), logStream)) {
            ServerHandle server = bigServer(host);
            try {
                Path output = temp.resolve("secret.sql.gz");
                CompletableFuture<DumpResult> dump = CompletableFuture.supplyAsync(() -> {
                    try {
                        return new Dumper(host, logStream).dump(DumpSpec.builder().port(server.port())
                                .user("backup").password(Password.of(DB_PASSWORD)).databases(List.of("big"))
                                .output(output.toString()).build());
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
                List<String> optionFiles = SecretScan.whileRunning(dump, List.of(DB_PASSWORD,
                        SshTestHosts.KEY_PASSPHRASE), "mariadb-dump");
                DumpResult result = dump.get();
                // the options come through the channel into the tool's standard input: no file on the remote host
                assertFalse(optionFiles.isEmpty());
                assertEquals(List.of("/dev/stdin"), optionFiles.stream().distinct().toList());
                String said = log.toString(StandardCharsets.UTF_8) + Json.write(result.toMap());
                assertFalse(said.contains(DB_PASSWORD) || said.contains(SshTestHosts.KEY_PASSPHRASE));
            } finally {
                new LocalHost().signal(server.pid(), Signal.SIGKILL);
            }
        }
    }


    @Test
    void remoteServerThatIgnoresSigtermTimesOutAndIsKilledOnlyWhenAsked() throws Exception {
        SshTestHosts.TestHost machine = machines.hosts.get(1);
        Path pidFile = root.resolve("stubborn.pid");
        Path script = FakeServers.script(root, "mysqld", "trap '' TERM\necho $$ > \"$1\"\n"
                + "while :; do sleep 0.05; done\n");
        try (SshHost host = connect(machine)) {
            long pid = host.spawnDetached(List.of(script.toString(), pidFile.toString()),
                    root.resolve("stubborn.out").toString());
            new WaitLoop(Duration.ofMillis(2), Duration.ofMillis(20)).await("the pid file", Deadline.after(
                    Duration.ofSeconds(10)), WaitLoop.Liveness.ALWAYS, () -> {
                        try {
                            return Files.exists(pidFile) && !Files.readString(pidFile).isBlank()
                                    ? java.util.Optional.of(true) : java.util.Optional.empty();
                        } catch (java.io.IOException e) {
                            throw new WaitLoop.NotYet(e.getMessage(), e);
                        }
                    });
            Deadline took = Deadline.after(Duration.ZERO);
            StopTimeoutException timedOut = assertThrows(StopTimeoutException.class, () -> new ServerStopper(host,
                    TestServers.quietLog()).stop(StopSpec.ofPidFile(pidFile.toString(), Duration.ofSeconds(2),
                    false)));
            Duration elapsed = took.elapsed();
            // the timeout bounds the wait from SIGTERM on; a stop that waits out a second timeout, or forever, fails
            long waited = timedOut.result().millis();
            assertTrue(waited >= 2000 && waited < 3000, "waited " + waited + " ms after SIGTERM");
            // before it, the pid file and the process are read: remote commands, each of which starts the account's
            // shell (on one machine here 0.54 s, a .bashrc running 'pyenv init')
            Duration slowestCommand = Duration.ZERO;
            for (int i = 0; i < 3; i++) {
                Deadline command = Deadline.after(Duration.ZERO);
                host.run(List.of("true"), Duration.ofSeconds(30));
                slowestCommand = slowestCommand.compareTo(command.elapsed()) > 0 ? slowestCommand : command.elapsed();
            }
            Duration bound = Duration.ofSeconds(3).plus(slowestCommand.multipliedBy(4));
            assertTrue(elapsed.compareTo(bound) < 0, "took " + elapsed + ", more than " + bound);
            assertFalse(timedOut.result().forced());
            assertFalse(new LocalHost().process(pid).orElseThrow().hasExited(), "killed without being asked to");
            StopTimeoutException forced = assertThrows(StopTimeoutException.class, () -> new ServerStopper(host,
                    TestServers.quietLog()).stop(StopSpec.ofPidFile(pidFile.toString(), Duration.ofSeconds(1), true)));
            assertTrue(forced.result().forced());
            assertTrue(new LocalHost().process(pid).map(ProcessInfo::hasExited).orElse(true));
        }
    }

    @Test
    void keysGivenAsTextLogInAndNeverPrint() throws Exception {
        SshTestHosts.TestHost machine = machines.hosts.get(0);
        Path rsa = machines.authorizedKey("rsa", "");
        Path unauthorized = temp.resolve("unauthorized_ed25519");
        SshTestHosts.sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", unauthorized.toString());
        String[] address = machine.destination().split("[@:]");
        int port = Integer.parseInt(address[2]);
        // ed25519 with a passphrase; RSA without; a key the host refuses before the one it accepts
        List<SshTarget> targets = List.of(
                SshTarget.withKeys("root", address[1], port, List.of(SshKey.of(Files.readString(machines.clientKey))),
                        Password.of(SshTestHosts.KEY_PASSPHRASE), machines.knownHosts.toString(),
                        SshTarget.HostKeyCheck.STRICT),
                SshTarget.withKeys("root", address[1], port, List.of(SshKey.of(Files.readString(unauthorized)),
                        SshKey.of(Files.readString(rsa))), null, machines.knownHosts.toString(),
                        SshTarget.HostKeyCheck.STRICT));
        for (SshTarget target : targets) {
            assertFalse(target.identityKeys().get(0).appearsIn(target.toString()), target.toString());
            try (SshHost host = SshHost.connect(target, TestServers.quietLog())) {
                assertEquals(0, host.run(List.of("true"), Duration.ofSeconds(30)).exitCode());
            }
            // JSch clears the bytes it was given: the target keeps its own
            try (SshHost again = SshHost.connect(target, TestServers.quietLog())) {
                assertEquals(0, again.run(List.of("true"), Duration.ofSeconds(30)).exitCode());
            }
        }
        SshTarget wrongPassphrase = SshTarget.withKeys("root", address[1], port,
                List.of(SshKey.of(Files.readString(machines.clientKey))), Password.of("not-it"),
                machines.knownHosts.toString(), SshTarget.HostKeyCheck.STRICT);
        EngineException refused = assertThrows(EngineException.class,
                () -> SshHost.connect(wrongPassphrase, TestServers.quietLog()));
        assertTrue(refused.getMessage().contains("given as text"), refused.getMessage());
        assertFalse(wrongPassphrase.identityKeys().get(0).appearsIn(refused.getMessage()), refused.getMessage());
        assertThrows(InvalidSpecException.class, () -> SshTarget.withKeys("root", address[1], port, List.of(), null,
                null, SshTarget.HostKeyCheck.STRICT));
    }

    @Test
    void unknownHostKeyIsRefusedInStrictModeAndAddedInAcceptNew() throws Exception {
        SshTestHosts.TestHost machine = machines.hosts.get(0);
        Path emptyKnownHosts = temp.resolve("known_hosts_empty");
        Files.writeString(emptyKnownHosts, "");
        SshTarget strict = SshTarget.of(machine.destination(), machines.clientKey.toString(),
                Password.of(SshTestHosts.KEY_PASSPHRASE), null, emptyKnownHosts.toString(),
                SshTarget.HostKeyCheck.STRICT);
        EngineException refused = assertThrows(EngineException.class,
                () -> SshHost.connect(strict, TestServers.quietLog()));
        String presented = fingerprintOf(machine.hostKey());
        assertTrue(refused.getMessage().contains("is not in " + emptyKnownHosts), refused.getMessage());
        assertTrue(refused.getMessage().contains(presented), refused.getMessage());

        SshTarget acceptNew = SshTarget.of(machine.destination(), machines.clientKey.toString(),
                Password.of(SshTestHosts.KEY_PASSPHRASE), null, emptyKnownHosts.toString(),
                SshTarget.HostKeyCheck.ACCEPT_NEW);
        try (SshHost host = SshHost.connect(acceptNew, TestServers.quietLog())) {
            assertTrue(host.isRoot());
        }
        assertTrue(Files.readString(emptyKnownHosts).contains(Files.readString(Path.of(machine.hostKey() + ".pub"))
                .split(" ")[1]), "the new key was not added");
        try (SshHost again = SshHost.connect(strict, TestServers.quietLog())) {
            assertTrue(again.isRoot(), "the key accepted on first contact is not trusted afterwards");
        }
    }

    @Test
    void changedHostKeyIsRefusedNamingBothFingerprints() throws Exception {
        SshTestHosts.TestHost machine = machines.hosts.get(0);
        SshTestHosts.TestHost other = machines.hosts.get(1);
        Path wrongKnownHosts = temp.resolve("known_hosts_changed");
        String otherKey = Files.readString(Path.of(other.hostKey() + ".pub")).strip();
        Files.writeString(wrongKnownHosts, (machine.port() == 22 ? machine.address()
                : "[" + machine.address() + "]:" + machine.port()) + " " + otherKey + "\n");
        for (SshTarget.HostKeyCheck mode : List.of(SshTarget.HostKeyCheck.STRICT, SshTarget.HostKeyCheck.ACCEPT_NEW)) {
            SshTarget target = SshTarget.of(machine.destination(), machines.clientKey.toString(),
                    Password.of(SshTestHosts.KEY_PASSPHRASE), null, wrongKnownHosts.toString(), mode);
            EngineException refused = assertThrows(EngineException.class,
                    () -> SshHost.connect(target, TestServers.quietLog()));
            assertTrue(refused.getMessage().contains("has CHANGED"), refused.getMessage());
            assertTrue(refused.getMessage().contains(fingerprintOf(machine.hostKey())), refused.getMessage());
            assertTrue(refused.getMessage().contains(fingerprintOf(other.hostKey())), refused.getMessage());
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SshTarget off = SshTarget.of(machine.destination(), machines.clientKey.toString(),
                Password.of(SshTestHosts.KEY_PASSPHRASE), null, wrongKnownHosts.toString(), SshTarget.HostKeyCheck.OFF);
        try (SshHost host = SshHost.connect(off, new PrintStream(log, true, StandardCharsets.UTF_8))) {
            assertTrue(host.isRoot());
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("HOST KEY CHECKING IS OFF"), log.toString());
    }

    private static String fingerprintOf(Path hostKey) throws Exception {
        return SshTestHosts.sh("ssh-keygen", "-l", "-E", "sha256", "-f", hostKey + ".pub").split(" ")[1];
    }

    @Test
    void wrongKeyWrongUserAndWrongPassphraseFailAuthenticationClearly() throws Exception {
        SshTestHosts.TestHost machine = machines.hosts.get(0);
        Path otherKey = temp.resolve("other_key");
        SshTestHosts.sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString());
        List<SshTarget> wrong = List.of(
                SshTarget.of(machine.destination(), otherKey.toString(), null, null,
                        machines.knownHosts.toString(), SshTarget.HostKeyCheck.STRICT),
                SshTarget.of(machine.destination().replace("root@", "nobody@"), machines.clientKey.toString(),
                        Password.of(SshTestHosts.KEY_PASSPHRASE), null, machines.knownHosts.toString(),
                        SshTarget.HostKeyCheck.STRICT));
        for (SshTarget target : wrong) {
            EngineException failed = assertThrows(EngineException.class,
                    () -> SshHost.connect(target, TestServers.quietLog()));
            assertTrue(failed.getMessage().contains("Authentication failed for user " + target.user()),
                    failed.getMessage());
        }
        SshTarget badPassphrase = SshTarget.of(machine.destination(), machines.clientKey.toString(),
                Password.of("not-the-passphrase"), null, machines.knownHosts.toString(), SshTarget.HostKeyCheck.STRICT);
        EngineException failed = assertThrows(EngineException.class,
                () -> SshHost.connect(badPassphrase, TestServers.quietLog()));
        assertTrue(failed.getMessage().contains("passphrase"), failed.getMessage());
        assertFalse(failed.getMessage().contains("not-the-passphrase"), "the passphrase is in the message");
    }

    @Test
    void refusedConnectionAndUnknownHostNameTheCause() throws Exception {
        int closedPort = new LocalHost().freePort("127.0.0.1");
        EngineException refused = assertThrows(EngineException.class, () -> SshHost.connect(SshTarget.of(
                "root@127.0.0.1:" + closedPort, machines.clientKey.toString(), null, null,
                machines.knownHosts.toString(), SshTarget.HostKeyCheck.STRICT), TestServers.quietLog()));
        assertTrue(refused.getMessage().contains("Connection refused"), refused.getMessage());
        EngineException unknown = assertThrows(EngineException.class, () -> SshHost.connect(SshTarget.of(
                "root@no-such-host.invalid", machines.clientKey.toString(), null, null,
                machines.knownHosts.toString(), SshTarget.HostKeyCheck.STRICT), TestServers.quietLog()));
        assertTrue(unknown.getMessage().contains("Unknown host no-such-host.invalid"), unknown.getMessage());
    }

    @Test
    void verifiedParallelDumpOverTheTunnelRestoresOnTheOtherHostInBothFormats() throws Exception {
        try (SshHost first = connect(machines.hosts.get(0)); SshHost second = connect(machines.hosts.get(1))) {
            ServerHandle source = startRemote(first, "par-src-" + System.nanoTime());
            ServerHandle target = startRemote(second, "par-dst-" + System.nanoTime());
            try {
                try (var connection = Jdbc.connect(first.loopbackAddress(source.port()), rootLogin());
                     var statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE shop CHARACTER SET utf8mb4");
                    statement.execute("CREATE TABLE shop.t (id INT PRIMARY KEY, name VARCHAR(40), f FLOAT)");
                    statement.execute("INSERT INTO shop.t SELECT seq, CONCAT('Zürich ', seq), seq / 3 FROM"
                            + " shop.seq_1_to_20000");
                    statement.execute("CREATE USER 'backup'@'127.0.0.1' IDENTIFIED BY '" + DB_PASSWORD + "'");
                    statement.execute("GRANT SELECT, RELOAD, LOCK TABLES, SHOW VIEW, EVENT, TRIGGER ON *.* TO"
                            + " 'backup'@'127.0.0.1'");
                }
                Path directory = temp.resolve("remote-parallel");
                DumpResult dump = new Dumper(first, TestServers.quietLog()).dump(DumpSpec.builder()
                        .port(source.port()).user("backup").password(Password.of(DB_PASSWORD))
                        .databases(List.of("shop")).method(DumpMethod.PARALLEL).verify(true)
                        .output(directory.toString()).build());
                assertTrue(dump.verified());

                RestoreResult restored = new Restorer(second, TestServers.quietLog()).restore(RestoreSpec.builder()
                        .port(target.port()).user("root").input(directory.toString()).build());
                assertEquals(20000, restored.rows());
                assertEquals(remoteChecksum(first, source), remoteChecksum(second, target));

                Path file = temp.resolve("remote-shop.sql.zst");
                new Dumper(first, TestServers.quietLog()).dump(DumpSpec.builder().port(source.port()).user("backup")
                        .password(Password.of(DB_PASSWORD)).databases(List.of("shop")).compression(Compression.ZSTD)
                        .output(file.toString()).build());
                try (var connection = Jdbc.connect(second.loopbackAddress(target.port()), rootLogin());
                     var statement = connection.createStatement()) {
                    statement.execute("DROP DATABASE shop");
                }
                new Restorer(second, TestServers.quietLog()).restore(RestoreSpec.builder().port(target.port())
                        .user("root").input(file.toString()).build());
                try (var connection = Jdbc.connect(second.loopbackAddress(target.port()), rootLogin());
                     var statement = connection.createStatement();
                     var rows = statement.executeQuery("SELECT COUNT(*), MAX(name) FROM shop.t")) {
                    rows.next();
                    assertEquals(20000, rows.getInt(1));
                    assertEquals("Zürich 9999", rows.getString(2));
                }
            } finally {
                new ServerStopper(first, TestServers.quietLog()).stop(StopSpec.of(source, Duration.ofSeconds(60), true));
                new ServerStopper(second, TestServers.quietLog()).stop(StopSpec.of(target, Duration.ofSeconds(60),
                        true));
            }
        }
    }

    private static String remoteChecksum(SshHost host, ServerHandle server) throws Exception {
        try (var connection = Jdbc.connect(host.loopbackAddress(server.port()), rootLogin());
             var statement = connection.createStatement();
             var rows = statement.executeQuery("CHECKSUM TABLE shop.t")) {
            rows.next();
            return rows.getString(2);
        }
    }
}
