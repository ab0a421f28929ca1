package io.jenkins.plugins.mysqllifecycle.engine.cli;

import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Any database name the server allows can be dumped by name, and a restore warns of a missing manifest alike. */
class CliNamesTest {
    /** A leading dash, a comma, a leading space: names --databases a,b,... cannot give. */
    private static final List<String> AWKWARD = List.of("-x", "a,b", " lead");

    @TempDir
    static Path temp;
    private static ServerHandle server;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServers.start(temp, "data");
        List<String> setup = new ArrayList<>();
        int value = 0;
        for (String name : AWKWARD) {
            String quoted = "`" + name + "`";
            setup.add("CREATE DATABASE " + quoted + " CHARACTER SET utf8mb4");
            setup.add("CREATE TABLE " + quoted + ".t (v INT)");
            setup.add("INSERT INTO " + quoted + ".t VALUES (" + (++value) + ")");
        }
        TestServers.sql(server, setup.toArray(String[]::new));
    }

    @AfterAll
    static void stopServer() throws Exception {
        TestServers.stop(server);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> dumpArguments(String method, Path output) {
        List<String> args = new ArrayList<>(List.of("dump", "--port", Integer.toString(server.port()), "--user",
                "root", "--method", method, "--compress", "none", "--output", output.toString()));
        for (String name : AWKWARD) {
            args.addAll(List.of("--database", name));
        }
        return args;
    }

    private static List<String> values() throws Exception {
        List<String> values = new ArrayList<>();
        try (var connection = TestServers.connect(server, "root", null); var statement = connection.createStatement()) {
            for (String name : AWKWARD) {
                try (var rows = statement.executeQuery("SELECT v FROM `" + name + "`.t")) {
                    rows.next();
                    values.add(name + "=" + rows.getInt(1));
                }
            }
        }
        return values;
    }

    private static void dropAll() throws Exception {
        for (String name : AWKWARD) {
            TestServers.sql(server, "DROP DATABASE `" + name + "`");
        }
    }

    @Test
    void databasesNamedWithADashACommaOrASpaceAreDumpedAndRestoredByBothMethods() throws Exception {
        List<String> before = values();
        for (String method : List.of("mysqldump", "parallel")) {
            Path output = temp.resolve("awkward-" + method);
            Run dump = cli(dumpArguments(method, output).toArray(String[]::new));
            assertEquals(0, dump.exit(), method + ": " + dump.err());
            dropAll();
            Run restore = cli("restore", "--port", Integer.toString(server.port()), "--user", "root", "--input",
                    output.toString());
            assertEquals(0, restore.exit(), method + ": " + restore.err());
            assertEquals(before, values(), method);
        }
    }

    @Test
    void aDirectoryDumpWithoutItsManifestRestoresWithAWarningAsAFileDumpDoes() throws Exception {
        for (String method : List.of("mysqldump", "parallel")) {
            Path output = temp.resolve("unmanifested-" + method);
            assertEquals(0, cli(dumpArguments(method, output).toArray(String[]::new)).exit());
            Files.delete(Path.of(output + ".json"));
            Run restore = cli("restore", "--port", Integer.toString(server.port()), "--user", "root", "--input",
                    output.toString());
            assertEquals(0, restore.exit(), restore.err());
            assertTrue(restore.err().contains("WARN") && restore.err().contains("has no manifest ("
                    + output.getFileName() + ".json)"), method + ": " + restore.err());
        }
    }
}
