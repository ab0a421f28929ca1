package io.jenkins.plugins.mysqllifecycle.engine.cli;

import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input is exit 2 with nothing written, and never a stack trace, whatever the value. */
class CliBadInputTest {
    @TempDir
    Path temp;

    private record Run(int exit, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertBadInput(Run run, String expected) {
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(run.err().contains("unexpected failure") || run.err().contains("\tat "), run.err());
    }

    private List<String> namesInTemp() throws Exception {
        try (var entries = Files.list(temp)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void hugeNumbersAreBadInputBeforeAnythingIsWritten() throws Exception {
        TestServers.traversable(temp);
        String datadir = temp.resolve("data").toString();
        assertBadInput(cli("start", "--datadir", datadir, "--initialize", "--ready-timeout", "99999999999"),
                "--ready-timeout must be a whole number of seconds from 1 to");
        assertBadInput(cli("dump", "--port", "1", "--user", "root", "--databases", "shop", "--output",
                temp.resolve("shop.sql.gz").toString(), "--timeout", "99999999999"), "--timeout must be");
        assertBadInput(cli("stop", "--pid", "1", "--timeout", "9223372036854775807"), "--timeout must be");
        assertBadInput(cli("dump", "--port", "99999999999999999999", "--user", "root", "--databases", "shop",
                "--output", temp.resolve("shop.sql.gz").toString()), "--port must be a whole number");
        assertEquals(List.of(), namesInTemp());
    }

    @Test
    void aDatadirThatIsAFileOrAnAccountThatDoesNotExistIsBadInputWithNothingWritten() throws Exception {
        TestServers.traversable(temp);
        Path file = Files.writeString(temp.resolve("a-file"), "not a directory\n");
        assertBadInput(cli("start", "--datadir", file.toString(), "--initialize"), "is a file, not a directory");
        assertEquals(List.of("a-file"), namesInTemp());

        String datadir = temp.resolve("data").toString();
        assertBadInput(cli("start", "--datadir", datadir, "--initialize", "--os-user", "no-such-account-x9"),
                "There is no account no-such-account-x9 (--os-user)");
        assertEquals(List.of("a-file"), namesInTemp());
    }

    @Test
    void tlsOptionsThatCannotWorkAreBadInputBeforeAnythingIsWritten() throws Exception {
        String output = temp.resolve("shop.sql.gz").toString();
        String ca = temp.resolve("ca.pem").toString();
        assertBadInput(cli("dump", "--port", "1", "--user", "root", "--databases", "shop", "--output", output,
                "--tls", "sometimes"), "tls (--tls) must be one of disabled, preferred, required, verify-ca or"
                + " verify-identity, not 'sometimes'");
        assertBadInput(cli("dump", "--port", "1", "--user", "root", "--databases", "shop", "--output", output,
                "--tls", "required", "--tls-ca", ca), "tlsCa (--tls-ca) is for checking the server's certificate,"
                + " which tls required does not do");
        assertBadInput(cli("dump", "--port", "1", "--host", "db.example.org", "--user", "root", "--databases",
                "shop", "--output", output, "--tls", "VERIFY_IDENTITY"), "tls verify-identity checks the server's"
                + " certificate against the CA that signed it: give that CA as a PEM file with tlsCa (--tls-ca)");
        assertBadInput(cli("dump", "--socket", temp.resolve("mysqld.sock").toString(), "--user", "root",
                "--databases", "shop", "--output", output, "--tls", "required"), "a socket is local and carries no"
                + " TLS");
        assertBadInput(cli("restore", "--port", "1", "--user", "root", "--input", temp.resolve("shop.sql")
                .toString(), "--tls-ca", ca), "The CA file " + ca + " (tlsCa, --tls-ca) does not exist");
        assertEquals(List.of(), namesInTemp());
    }

    @Test
    void aDatabaseNamedTwiceIsBadInput() throws Exception {
        assertBadInput(cli("dump", "--port", "1", "--user", "root", "--databases", "shop,shop", "--method",
                "parallel", "--output", temp.resolve("shop-dir").toString()), "the databases name 'shop' twice");
        assertEquals(List.of(), namesInTemp());
    }

    /** A pid file left with a number no process can have names no server: the start goes on. */
    @Test
    void aStalePidFileWithAHugeNumberDoesNotStopAStart() throws Exception {
        TestServers.traversable(temp);
        Path run = Files.createDirectories(temp.resolve("run"));
        Path pidFile = Files.writeString(run.resolve("server.pid"), "12345678901234567890123\n");
        // the server's account writes its pid file
        io.jenkins.plugins.mysqllifecycle.testing.SshTestHosts.sh("chown", "-R", "mysql", run.toString());
        Run start = cli("start", "--datadir", temp.resolve("data").toString(), "--initialize", "--pid-file",
                pidFile.toString(), "--ready-timeout", "60");
        try {
            assertEquals(0, start.exit(), start.err());
        } finally {
            cli("stop", "--pid-file", pidFile.toString(), "--timeout", "60", "--kill-after-timeout");
        }
    }
}
