package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.BinlogCoordinates;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.format.Manifest;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an account without RELOAD (as managed servers give) can do: a mysqldump-method dump, with its snapshot's
 * coordinates where the server can say them without a lock; the methods that need a lock fail before writing
 * anything, naming the privilege and the alternative.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeastPrivilegeTest {
    private static final LocalHost HOST = new LocalHost();
    private static final String PASSWORD = "no reload 7Qe";

    @TempDir
    static Path temp;
    private final Map<Flavor, ServerHandle> servers = new EnumMap<>(Flavor.class);

    @BeforeAll
    void startServers() throws Exception {
        for (Flavor flavor : Flavor.values()) {
            ServerHandle server = TestServers.startWithBinaryLog(temp, flavor.name().toLowerCase(), flavor);
            servers.put(flavor, server);
            TestServers.sql(server, "CREATE DATABASE shop CHARACTER SET utf8mb4",
                    "CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(100))",
                    "INSERT INTO shop.orders VALUES (1, 'one'), (2, 'two')",
                    // what a managed server's backup account has: no RELOAD, no PROCESS, no replication privilege
                    "CREATE USER 'dumper'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'",
                    "GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON *.* TO 'dumper'@'127.0.0.1'",
                    "CREATE USER 'verifier'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'",
                    "GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES, PROCESS ON *.* TO"
                            + " 'verifier'@'127.0.0.1'");
        }
    }

    @AfterAll
    void stopServers() throws Exception {
        for (ServerHandle server : servers.values()) {
            TestServers.stop(server);
        }
    }

    private DumpSpec.Builder dumpAs(Flavor flavor, String user, String name) {
        DumpSpec.Builder spec = DumpSpec.builder().port(servers.get(flavor).port()).user(user)
                .password(Password.of(PASSWORD)).databases(List.of("shop"))
                .output(temp.resolve(flavor + "-" + name).toString());
        return flavor == Flavor.MYSQL ? spec.dumpTool(TestServers.toolDirectory(flavor).resolve("mysqldump")
                .toString()) : spec;
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void anAccountWithoutReloadMakesAMysqldumpMethodDump(Flavor flavor) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DumpResult dump = new Dumper(HOST, new PrintStream(log, true, StandardCharsets.UTF_8))
                .dump(dumpAs(flavor, "dumper", "plain.sql.gz").build());

        assertTrue(Files.size(Path.of(dump.file())) > 0);
        BinlogCoordinates binlog = Manifest.read(Path.of(dump.manifest())).binlog();
        if (flavor == Flavor.MARIADB) {
            // mariadb-dump reads its own snapshot's coordinates (binlog_snapshot_*), needing no privilege
            assertEquals(TestServers.query(servers.get(flavor), "SELECT @@gtid_binlog_pos"), binlog.gtidSet());
            assertTrue(binlog.file() != null && binlog.position() > 0, String.valueOf(binlog));
        } else {
            // MySQL's tool cannot say where its snapshot stands: without RELOAD and PROCESS none is recorded, and
            // the log says why
            assertNull(binlog);
            String said = log.toString(StandardCharsets.UTF_8);
            assertTrue(said.contains("coordinates") && said.contains("PROCESS"), said);
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void theParallelMethodWithoutReloadFailsNamingThePrivilegeAndTheAlternative(Flavor flavor) {
        DumpSpec spec;
        try {
            spec = dumpAs(flavor, "dumper", "parallel").method(DumpMethod.PARALLEL).threads(2).dumpTool(null).build();
        } catch (EngineException e) {
            throw new AssertionError(e);
        }
        EngineException refused = assertThrows(EngineException.class, () -> new Dumper(HOST,
                TestServers.quietLog()).dump(spec));
        assertTrue(refused.getMessage().contains("RELOAD") && refused.getMessage().contains("method mysqldump"),
                refused.getMessage());
        assertFalse(Files.exists(Path.of(spec.output())));
        assertFalse(Files.exists(Path.of(spec.output() + ".partial")));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void verifyWithoutReloadFailsNamingThePrivilegeAndTheAlternative(Flavor flavor) throws Exception {
        DumpSpec spec = dumpAs(flavor, "verifier", "verified.sql.gz").verify(true).build();
        EngineException refused = assertThrows(EngineException.class, () -> new Dumper(HOST,
                TestServers.quietLog()).dump(spec));
        assertTrue(refused.getMessage().contains("RELOAD") && refused.getMessage().contains("without verify"),
                refused.getMessage());
        assertFalse(Files.exists(Path.of(spec.output())));
    }
}
