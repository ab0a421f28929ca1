package io.jenkins.plugins.mysqllifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.mysqllifecycle.engine.Signal;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.testing.SshTestHosts;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as users run it: the built jar, as a process (what bin/mysql-lifecycle does), against a host whose only host
 * key is ed25519, logging in with an ed25519 client key. JSch keeps its ed25519 and curve25519 classes under
 * META-INF/versions/15 of its jar, and a shaded jar uses them only when its own manifest says Multi-Release: true; the
 * engine tests run the classes, not the jar, and cannot see that.
 */
class CliJarOverSshIT {
    private static final Path CLI = Path.of("target/mysql-lifecycle-cli.jar");

    @TempDir
    Path temp;

    private record Run(int exit, String out, String err) {
    }

    private static Run cli(Path jar, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-XX:+UseSerialGC", "-jar", jar.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("KEY_PASS", SshTestHosts.KEY_PASSPHRASE);
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), "the CLI did not exit: " + args);
        Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    @Test
    void theBuiltJarStartsDumpsAndStopsOnAnEd25519OnlyHost() throws Exception {
        TestServers.traversable(temp);
        try (SshTestHosts machines = SshTestHosts.start(temp, 1)) {
            SshTestHosts.TestHost guest = machines.hosts.get(0);
            assertTrue(Files.readString(Path.of(guest.hostKey() + ".pub")).startsWith("ssh-ed25519 "));
            assertTrue(Files.readString(Path.of(machines.clientKey + ".pub")).startsWith("ssh-ed25519 "));
            List<String> ssh = List.of("--ssh", guest.destination(), "--identity", machines.clientKey.toString(),
                    "--passphrase-env", "KEY_PASS", "--known-hosts", machines.knownHosts.toString());

            Run start = cli(CLI, with(List.of("start", "--datadir", temp.resolve("guest-data").toString(),
                    "--initialize"), ssh));
            assertEquals(0, start.exit(), start.err());
            Map<String, Object> server = Json.parseObject(start.out().strip());
            long pid = (Long) server.get("pid");
            try {
                Path output = temp.resolve("guest.sql.gz");
                Run dump = cli(CLI, with(List.of("dump", "--port", server.get("port").toString(), "--user", "root",
                        "--databases", "mysql", "--output", output.toString()), ssh));
                assertEquals(0, dump.exit(), dump.err());
                assertEquals(Files.size(output), Json.parseObject(dump.out().strip()).get("bytes"));

                Run stop = cli(CLI, with(List.of("stop", "--pid-file", server.get("pidFile").toString()), ssh));
                assertEquals(0, stop.exit(), stop.err());
                assertTrue(new LocalHost().process(pid).map(ProcessInfo::hasExited).orElse(true));
                assertFalse((start.err() + dump.err() + stop.err()).contains(SshTestHosts.KEY_PASSPHRASE));
            } finally {
                new LocalHost().signal(pid, Signal.SIGKILL);
            }
        }
    }

    /** The control: the same jar without Multi-Release cannot even agree on a host key algorithm with that host. */
    @Test
    void withoutMultiReleaseTheSameJarFailsOnAnEd25519OnlyHost() throws Exception {
        Path plain = withoutMultiRelease(CLI, temp.resolve("plain-cli.jar"));
        try (SshTestHosts machines = SshTestHosts.start(temp, 1)) {
            SshTestHosts.TestHost guest = machines.hosts.get(0);
            // a pid file on the guest: the CLI must connect before it can look
            Run stop = cli(plain, List.of("stop", "--pid-file", temp.resolve("none.pid").toString(), "--ssh",
                    guest.destination(), "--identity", machines.clientKey.toString(), "--passphrase-env", "KEY_PASS",
                    "--known-hosts", machines.knownHosts.toString()));
            assertNotEquals(0, stop.exit(), stop.out());
            assertTrue(stop.err().contains("Algorithm negotiation fail"), stop.err());
        }
    }

    private static Path withoutMultiRelease(Path jar, Path copy) throws Exception {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = in.getManifest();
            assertEquals("true", manifest.getMainAttributes().getValue(Attributes.Name.MULTI_RELEASE));
            manifest.getMainAttributes().remove(Attributes.Name.MULTI_RELEASE);
            try (OutputStream file = Files.newOutputStream(copy); JarOutputStream out = new JarOutputStream(file,
                    manifest)) {
                for (JarEntry entry; (entry = in.getNextJarEntry()) != null; ) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return copy;
    }

    private static List<String> with(List<String> command, List<String> options) {
        List<String> all = new ArrayList<>(command);
        all.addAll(options);
        return all;
    }
}
