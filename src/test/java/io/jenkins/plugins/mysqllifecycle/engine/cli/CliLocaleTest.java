package io.jenkins.plugins.mysqllifecycle.engine.cli;

import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CLI as a process in the C locale (cron, bare containers: LANG=C, no LC_*): non-ASCII passwords, database
 * names and paths work as they do under a UTF-8 locale.
 */
class CliLocaleTest {
    private static final String PASSWORD = "pässwörd-€";
    private static final String DATABASE = "café_münchen";

    @TempDir
    static Path temp;
    private static ServerHandle server;

    @BeforeAll
    static void startServer() throws Exception {
        // this JVM hands the CLI its arguments: they must leave it as UTF-8
        assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "the test JVM runs in a UTF-8 locale");
        server = TestServers.start(temp, "data");
        TestServers.sql(server, "CREATE DATABASE `" + DATABASE + "` CHARACTER SET utf8mb4",
                "CREATE TABLE `" + DATABASE + "`.`tëst` (id INT PRIMARY KEY, v VARCHAR(20) CHARACTER SET utf8mb4)",
                "INSERT INTO `" + DATABASE + "`.`tëst` VALUES (1, 'grüße')",
                "CREATE USER 'dumper'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL ON *.* TO 'dumper'@'127.0.0.1'");
    }

    @AfterAll
    static void stopServer() throws Exception {
        TestServers.stop(server);
    }

    private record Run(int exit, String out, String err) {
    }

    /** The CLI in a JVM of its own, with nothing of this process's environment but PATH, in the C locale. */
    private static Run cliInCLocale(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Cli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", System.getenv("PATH"));
        environment.put("LANG", "C");
        environment.put("DB_PW", PASSWORD);
        Process process = builder.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the CLI did not exit");
        return new Run(process.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
                new String(err.get(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aDumpAndRestoreWithNonAsciiPasswordDatabaseAndPathWorkInTheCLocale() throws Exception {
        Path directory = Files.createDirectories(temp.resolve("dümps ünd spaß"));
        String output = directory.resolve("café.sql.gz").toString();
        Run dump = cliInCLocale("dump", "--port", Integer.toString(server.port()), "--user", "dumper",
                "--password-env", "DB_PW", "--databases", DATABASE, "--output", output);
        assertEquals(0, dump.exit(), dump.err());
        assertTrue(dump.out().contains(DATABASE), dump.out());
        assertTrue(Files.isRegularFile(Path.of(output)));
        assertFalse(dump.err().contains("\tat "), dump.err());

        TestServers.sql(server, "DROP DATABASE `" + DATABASE + "`");
        Run restore = cliInCLocale("restore", "--port", Integer.toString(server.port()), "--user", "dumper",
                "--password-env", "DB_PW", "--input", output);
        assertEquals(0, restore.exit(), restore.err());
        try (Connection connection = TestServers.connect(server, "root", null);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT v FROM `" + DATABASE + "`.`tëst`")) {
            assertTrue(rows.next());
            assertEquals("grüße", rows.getString(1));
        }
    }

    @Test
    void aMissingNonAsciiPathIsAClearErrorNotAStackTrace() throws Exception {
        Run restore = cliInCLocale("restore", "--port", Integer.toString(server.port()), "--user", "dumper",
                "--input", temp.resolve("nö-such-dümp.sql").toString());
        assertEquals(2, restore.exit(), restore.err());
        assertTrue(restore.err().contains("nö-such-dümp.sql") && restore.err().contains("does not exist"),
                restore.err());
        assertFalse(restore.err().contains("\tat ") || restore.err().contains("unexpected failure"), restore.err());
    }
}
