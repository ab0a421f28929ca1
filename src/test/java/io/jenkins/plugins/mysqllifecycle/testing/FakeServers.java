package io.jenkins.plugins.mysqllifecycle.testing;

import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * Small misbehaving programs for stop tests, named like a server so that identity checks take them for one. A
 * server is known by its executable (/proc/PID/exe), and a script's is its interpreter: a script named like a
 * server runs under a copy of /bin/sh with the server's name. Each is a child of the test JVM and is killed when
 * the test ends.
 */
public final class FakeServers {
    private FakeServers() {
    }

    /** A "mysqld" that ignores SIGTERM and writes its pid to {@code pidFile}. */
    public static Process ignoringSigterm(Path directory, Path pidFile) throws Exception {
        return launch(directory, "mysqld", "trap '' TERM\necho $$ > \"$1\"\nwhile :; do sleep 0.05; done\n",
                pidFile);
    }

    /** A "mysqld" that exits on SIGTERM like a server and writes its pid to {@code pidFile}. */
    public static Process obeyingSigterm(Path directory, Path pidFile) throws Exception {
        return launch(directory, "mysqld", "trap 'exit 0' TERM\necho $$ > \"$1\"\nwhile :; do sleep 0.05; done\n",
                pidFile);
    }

    public static Path script(Path directory, String name, String body) throws IOException {
        Path script = directory.resolve(name);
        String interpreter = "/bin/sh";
        if (name.equals("mysqld") || name.equals("mariadbd")) {
            Path copy = Files.createDirectories(directory.resolve(".interpreter-" + name)).resolve(name);
            if (!Files.exists(copy)) {
                Files.copy(Path.of("/bin/sh").toRealPath(), copy);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            interpreter = copy.toString();
        }
        Files.writeString(script, "#!" + interpreter + "\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private static Process launch(Path directory, String name, String body, Path pidFile) throws Exception {
        Path script = script(directory, name, body);
        Process process = new ProcessBuilder(List.of(script.toString(), pidFile.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Deadline deadline = Deadline.after(Duration.ofSeconds(10));
        while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
            if (deadline.hasExpired() || !process.isAlive()) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not write " + pidFile);
            }
            Thread.sleep(5);
        }
        return process;
    }

    public static long startTicks(long pid) throws IOException {
        return new LocalHost().process(pid).orElseThrow().startTicks();
    }
}
