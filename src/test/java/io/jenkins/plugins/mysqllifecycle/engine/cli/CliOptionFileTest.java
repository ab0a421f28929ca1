package io.jenkins.plugins.mysqllifecycle.engine.cli;

import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an option file cannot carry is refused before anything runs: a missing defaults file, a huge password. */
class CliOptionFileTest {
    @TempDir
    static Path temp;
    private static ServerHandle server;
    /** Longer than an option file's 4096-byte line; its tail is what a cut line shows. */
    private static final String LONG_PASSWORD = "p".repeat(4200) + "-the-tail-of-it";

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServers.start(temp, "data");
        TestServers.sql(server, "CREATE DATABASE shop", "CREATE TABLE shop.t (id INT PRIMARY KEY)",
                "CREATE USER 'dumper'@'127.0.0.1' IDENTIFIED BY 'short-pw'",
                "GRANT ALL ON *.* TO 'dumper'@'127.0.0.1'",
                "CREATE USER 'longpw'@'127.0.0.1' IDENTIFIED BY '" + LONG_PASSWORD + "'",
                "GRANT ALL ON *.* TO 'longpw'@'127.0.0.1'");
    }

    @AfterAll
    static void stopServer() throws Exception {
        TestServers.stop(server);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run cli(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> namesIn(Path directory) throws Exception {
        try (var entries = Files.list(directory)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aMissingDefaultsFileIsBadInputNamingItEvenWithAPasswordFromTheEnvironment() throws Exception {
        Path output = Files.createDirectories(temp.resolve("missing-defaults"));
        String missing = temp.resolve("no-such.cnf").toString();
        Run dump = cli(Map.of("PW", "short-pw"), "dump", "--port", Integer.toString(server.port()), "--user",
                "dumper", "--password-env", "PW", "--defaults-file", missing, "--databases", "shop", "--output",
                output.resolve("shop.sql.gz").toString());
        assertEquals(2, dump.exit(), dump.err());
        assertTrue(dump.err().contains("The defaults file " + missing + " (--defaults-file) does not exist"),
                dump.err());
        assertEquals(List.of(), namesIn(output));

        Files.writeString(output.resolve("shop.sql"), "SELECT 1;\n");
        Run restore = cli(Map.of("PW", "short-pw"), "restore", "--port", Integer.toString(server.port()), "--user",
                "dumper", "--password-env", "PW", "--defaults-file", missing, "--input",
                output.resolve("shop.sql").toString());
        assertEquals(2, restore.exit(), restore.err());
        assertTrue(restore.err().contains(missing), restore.err());
    }

    @Test
    void aPasswordTooLongForAnOptionFileIsRefusedUpFrontWithoutShowingIt() throws Exception {
        Path output = Files.createDirectories(temp.resolve("long-password"));
        Run dump = cli(Map.of("PW", LONG_PASSWORD), "dump", "--port", Integer.toString(server.port()), "--user",
                "longpw", "--password-env", "PW", "--databases", "shop", "--output",
                output.resolve("shop.sql.gz").toString());
        assertEquals(2, dump.exit(), dump.err());
        assertTrue(dump.err().contains("at most 4000 bytes"), dump.err());
        assertFalse(dump.err().contains("pppppppppp") || dump.err().contains("the-tail-of-it"),
                "the password shows: " + dump.err());
        assertEquals(List.of(), namesIn(output));

        Files.writeString(output.resolve("shop.sql"), "SELECT 1;\n");
        Run restore = cli(Map.of("PW", LONG_PASSWORD), "restore", "--port", Integer.toString(server.port()),
                "--user", "longpw", "--password-env", "PW", "--input", output.resolve("shop.sql").toString());
        assertEquals(2, restore.exit(), restore.err());
        assertFalse(restore.err().contains("pppppppppp") || restore.err().contains("the-tail-of-it"),
                "the password shows: " + restore.err());
    }
}
