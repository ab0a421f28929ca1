package io.jenkins.plugins.mysqllifecycle.engine.cli;

import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.testing.FakeServers;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a real process, stopped by the signals a CI abort, timeout(1), systemd or Ctrl-C send, and by kill -9:
 * what README and docs/reliability.md promise for an interrupt must hold for them.
 */
class CliSignalTest {
    private static final String PASSWORD = "signal-secret-4Kx9";
    /** The dump tool gets 5 s after its SIGTERM, a half-started server 10 s: the CLI must be gone well within this. */
    private static final Duration EXIT_BOUND = Duration.ofSeconds(25);

    @TempDir
    Path temp;

    private final LocalHost host = new LocalHost();

    /** The CLI in a JVM of its own, with its own temporary directory, its output in files. */
    private Process cli(Path tmpdir, Map<String, String> environment, String... args) throws Exception {
        Files.createDirectories(tmpdir);
        // the signals' default dispositions, as a CI agent starts the CLI: a suite started from a background job
        // (a script's `cmd &`, which ignores SIGINT) would hand the CLI SIGINT ignored, and a JVM keeps it so
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT,HUP,TERM",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.io.tmpdir=" + tmpdir,
                "-cp", System.getProperty("java.class.path"), Cli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(temp.resolve("cli.out").toFile())
                .redirectError(temp.resolve("cli.err").toFile());
        builder.environment().put("TMPDIR", tmpdir.toString());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private String cliErr() throws Exception {
        return Files.readString(temp.resolve("cli.err"));
    }

    private void signal(Process process, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor(),
                "the CLI had exited before SIG" + signal + ": " + cliErr());
    }

    private void awaitExit(Process cli) throws Exception {
        assertTrue(cli.waitFor(EXIT_BOUND.toSeconds(), TimeUnit.SECONDS), "the CLI did not exit: " + cliErr());
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        Deadline deadline = Deadline.after(Duration.ofSeconds(60));
        while (!condition.call()) {
            assertFalse(deadline.hasExpired(), "waited a minute for " + what);
            Thread.sleep(5);
        }
    }

    private boolean alive(long pid) throws Exception {
        Optional<ProcessInfo> process = host.process(pid);
        return process.isPresent() && !process.get().hasExited();
    }

    /**
     * A dump tool that reads its option file as mariadb-dump does, then writes a line every 50 ms for 15 s: without
     * cleanup it outlives the CLI and completes FILE.partial, completion line included.
     */
    private Path slowDumpTool(Path pidFile) throws Exception {
        return FakeServers.script(temp, "slow-dump", "case $1 in --version) echo 'mariadb-dump  Ver 10.19 Distrib"
                + " 10.11.19-MariaDB, for test'; exit 0;; esac\necho $$ > " + pidFile + "\n"
                + "cat \"${1#--defaults-file=}\" > /dev/null\necho '-- MariaDB dump'\n"
                + "i=0; while [ $i -lt 300 ]; do echo \"SELECT $i;\"; sleep 0.05; i=$((i + 1)); done\n"
                + "echo '-- Dump completed on 2026-01-01  0:00:00'\n");
    }

    private Process slowDump(Path tmpdir, Path output, Path toolPid) throws Exception {
        Process cli = cli(tmpdir, Map.of("DUMP_PW", PASSWORD), "dump", "--port", "1", "--user", "backup",
                "--password-env", "DUMP_PW", "--databases", "shop", "--compress", "none", "--output",
                output.toString(), "--dump-tool", slowDumpTool(toolPid).toString());
        await("the dump tool to start", () -> Files.exists(toolPid) && !Files.readString(toolPid).isBlank());
        Thread.sleep(300); // well into the dump: it has read its options and written some lines
        return cli;
    }

    private static List<Path> filesUnder(Path directory) throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void sigtermSigintOrSighupDuringADumpStopsTheToolAndLeavesNoPartialFileAndNoOptionFile() throws Exception {
        for (String signal : List.of("TERM", "INT", "HUP")) {
            Path tmpdir = temp.resolve("tmp-" + signal);
            Path output = temp.resolve("shop-" + signal + ".sql");
            Path toolPid = temp.resolve("tool-" + signal + ".pid");
            Process cli = slowDump(tmpdir, output, toolPid);
            long tool = Long.parseLong(Files.readString(toolPid).strip());

            signal(cli, signal);
            awaitExit(cli);
            assertFalse(alive(tool), "SIG" + signal + ": the dump tool still runs after the CLI exited");
            assertFalse(Files.exists(output), "SIG" + signal + ": a dump file appeared");
            assertFalse(Files.exists(Path.of(output + ".partial")), "SIG" + signal + ": the .partial is left");
            assertEquals(List.of(), filesUnder(tmpdir), "SIG" + signal + ": left in the temporary directory");
            assertTrue(cliErr().contains("stopped by a signal"), cliErr());
            assertFalse(cliErr().contains(PASSWORD));
        }
    }

    @Test
    void afterKillMinusNineNoFileHoldsThePassword() throws Exception {
        Path tmpdir = temp.resolve("tmp");
        Path output = temp.resolve("shop.sql");
        Path toolPid = temp.resolve("tool.pid");
        Process cli = slowDump(tmpdir, output, toolPid);
        long tool = Long.parseLong(Files.readString(toolPid).strip());
        try {
            signal(cli, "KILL");
            assertTrue(cli.waitFor(10, TimeUnit.SECONDS));
            for (Path file : filesUnder(temp)) {
                assertFalse(Files.readString(file, StandardCharsets.ISO_8859_1).contains(PASSWORD),
                        "the password outlived the CLI in " + file);
            }
        } finally {
            host.signal(tool, io.jenkins.plugins.mysqllifecycle.engine.Signal.SIGKILL); // nothing cleans up after -9
        }
    }

    @Test
    void sigtermDuringStartStopsTheHalfStartedServer() throws Exception {
        // a "server" that writes its pid file and never answers SQL, as a starting mariadbd looks from outside
        Path fake = FakeServers.script(temp, "mysqld", "for a in \"$@\"; do case $a in --pid-file=*) echo $$ >"
                + " \"${a#--pid-file=}\";; esac; done\nwhile :; do sleep 0.05; done\n");
        Path wrapper = FakeServers.script(temp, "mysqld-wrapper", "case $1 in --version) echo 'mysqld  Ver"
                + " 10.11.0-MariaDB for test';; *) exec " + fake + " \"$@\";; esac\n");
        Path datadir = Files.createDirectories(temp.resolve("data/mysql")).getParent();
        TestServers.traversable(temp);
        Files.setPosixFilePermissions(datadir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path pidFile = datadir.resolve("mysqld.pid");
        Process cli = cli(temp.resolve("tmp"), Map.of(), "start", "--datadir", datadir.toString(), "--mysqld",
                wrapper.toString(), "--ready-timeout", "120");
        await("the server to write its pid file", () -> Files.exists(pidFile)
                && !Files.readString(pidFile).isBlank());
        long server = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(alive(server));

        signal(cli, "TERM");
        awaitExit(cli);
        assertFalse(alive(server), "the half-started server still runs: " + cliErr());
        assertFalse(Files.exists(Path.of(ServerHandle.recordPathFor(pidFile.toString()))));
    }

    @Test
    void sigtermDuringVerifyStopsTheScratchServerAndRemovesItsDirectory() throws Exception {
        ServerHandle source = TestServers.start(temp, "source");
        try {
            TestServers.sql(source, "CREATE DATABASE shop CHARACTER SET utf8mb4",
                    "CREATE TABLE shop.big (id INT PRIMARY KEY, payload VARCHAR(200))",
                    "INSERT INTO shop.big SELECT seq, REPEAT('x', 150) FROM shop.seq_1_to_400000");
            Process cli = cli(temp.resolve("tmp"), Map.of(), "dump", "--port", Integer.toString(source.port()),
                    "--user", "root", "--databases", "shop", "--method", "parallel", "--verify", "--output",
                    temp.resolve("shop").toString());
            Pattern scratchLine = Pattern.compile("starting a scratch server \\([^)]*\\) in (\\S+)");
            String[] scratch = new String[1];
            await("the scratch server to start", () -> {
                Matcher matcher = scratchLine.matcher(cliErr());
                if (!matcher.find()) {
                    return false;
                }
                scratch[0] = matcher.group(1);
                return scratchServer(scratch[0]).isPresent();
            });
            long server = scratchServer(scratch[0]).orElseThrow().pid();

            signal(cli, "TERM");
            awaitExit(cli);
            assertFalse(alive(server), "the scratch server still runs: " + cliErr());
            assertFalse(Files.exists(Path.of(scratch[0])), "the scratch directory is left: " + cliErr());
        } finally {
            TestServers.stop(source);
        }
    }

    private Optional<ProcessInfo> scratchServer(String scratch) throws Exception {
        return host.processes().stream().filter(process -> !process.hasExited() && process.isMysqlServer()
                && process.option("--datadir").filter((scratch + "/data")::equals).isPresent()).findFirst();
    }

    /**
     * MySQL keeps a pending FLUSH TABLES WITH READ LOCK queued after its client has gone, with every writer behind
     * it: the CLI, stopped by SIGTERM while its parallel dump waits for that lock, withdraws the request first.
     */
    @Test
    void sigtermWhileAParallelDumpWaitsForItsLockWithdrawsTheRequestOnTheServer() throws Exception {
        ServerHandle source = TestServers.start(temp, "mysql-source", io.jenkins.plugins.mysqllifecycle.engine.Flavor
                .MYSQL);
        try (java.sql.Connection holder = TestServers.connect(source, "root", null);
             java.sql.Statement hold = holder.createStatement()) {
            TestServers.sql(source, "CREATE DATABASE shop", "CREATE TABLE shop.t (id INT PRIMARY KEY)",
                    "CREATE TABLE shop.audit (id INT AUTO_INCREMENT PRIMARY KEY)");
            hold.execute("LOCK TABLES shop.t WRITE");
            Process cli = cli(temp.resolve("tmp"), Map.of(), "dump", "--port", Integer.toString(source.port()),
                    "--user", "root", "--databases", "shop", "--method", "parallel", "--lock-wait-timeout", "600",
                    "--long-query-guard", "600", "--output", temp.resolve("shop").toString());
            await("the dump's lock request to wait on the server", () -> lockRequests(source) > 0);

            signal(cli, "TERM");
            awaitExit(cli);
            assertEquals(0, lockRequests(source), "the CLI left its lock request queued: " + cliErr());
            TestServers.sql(source, "SET SESSION lock_wait_timeout = 5", "INSERT INTO shop.audit VALUES ()");
        } finally {
            TestServers.stop(source);
        }
    }

    private static int lockRequests(ServerHandle server) throws Exception {
        return Integer.parseInt(TestServers.query(server, "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                + " WHERE INFO LIKE 'FLUSH TABLES WITH READ LOCK%'"));
    }
}
