package io.jenkins.plugins.mysqllifecycle.engine.tools;

import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which options keep a client from running client commands, by what its --version says. */
class DataOnlyClientTest {
    private static List<String> options(String versionOutput) throws InvalidSpecException {
        return DataOnlyClient.options("client", versionOutput);
    }

    @Test
    void mariadbClientsGetTheSandboxFromTheReleasesThatHaveIt() throws Exception {
        String format = "mariadb  Ver 15.1 Distrib %s-MariaDB, for debian-linux-gnu (x86_64) using  EditLine wrapper";
        for (String version : List.of("10.5.25", "10.6.18", "10.11.8", "10.11.19", "11.0.6", "11.1.5", "11.2.4",
                "11.4.2", "11.8.1", "12.0.2")) {
            assertEquals(List.of("--binary-mode", "--sandbox"), options(String.format(format, version)), version);
        }
        for (String version : List.of("10.0.38", "10.4.34", "10.5.24", "10.6.17", "10.11.7", "11.3.2", "11.4.1")) {
            assertEquals(List.of("--binary-mode"), options(String.format(format, version)), version);
        }
        assertThrows(InvalidSpecException.class, () -> options(String.format(format, "5.5.68")));
    }

    @Test
    void mysqlClientsGetCommandsOffFromTheReleasesThatHaveIt() throws Exception {
        for (String version : List.of("8.0.40", "8.4.3", "9.1.0", "9.4.0")) {
            assertEquals(List.of("--binary-mode", "--commands=OFF"), options("mysql  Ver " + version
                    + " for Linux on x86_64 (MySQL Community Server - GPL)"), version);
        }
        for (String version : List.of("5.6.3", "5.7.44", "8.0.39", "8.4.2", "9.0.1")) {
            assertEquals(List.of("--binary-mode"), options("mysql  Ver " + version + " for Linux on x86_64"), version);
        }
        assertThrows(InvalidSpecException.class, () -> options("mysql  Ver 14.14 Distrib 5.5.62, for Linux"));
    }

    @Test
    void theInstalledClientGetsOptionsItAccepts() throws Exception {
        LocalHost host = new LocalHost();
        List<String> command = new java.util.ArrayList<>(List.of("mariadb", "--no-defaults"));
        command.addAll(DataOnlyClient.options("mariadb", Installation.versionOf(host, "mariadb", "--client-tool")));
        command.add("--help");
        assertEquals(0, host.run(command, java.time.Duration.ofSeconds(30)).exitCode());
    }
}
