package io.jenkins.plugins.mysqllifecycle.engine.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerLauncher;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The options verify's scratch server starts with are ones each flavor takes, and they do what they say: no binary
 * log (MySQL's default is one, synced at every commit: a quarter of the load's time in 6 paired verifies), no redo
 * flush per commit, no doublewrite buffer. A server that refused one would fail every verify.
 */
class ScratchServerOptionsTest {
    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void theScratchServerKeepsNoBinaryLogAndDoesNotFlushAtCommit(Flavor flavor) throws Exception {
        TestServers.traversable(temp);
        Path options = temp.resolve("scratch.cnf");
        Files.writeString(options, DumpVerifier.SCRATCH_SERVER_OPTIONS);
        Files.setPosixFilePermissions(options, PosixFilePermissions.fromString("rw-r--r--"));
        ServerHandle server = new ServerLauncher(new LocalHost(), TestServers.quietLog()).start(ServerSpec
                .builder(temp.resolve("data").toString()).initialize(true).mysqld(TestServers.mysqld(flavor))
                .defaultsFile(options.toString()).build());
        try {
            assertEquals("0", TestServers.query(server, "SELECT @@log_bin"));
            assertEquals("0", TestServers.query(server, "SELECT @@innodb_flush_log_at_trx_commit"));
            // MariaDB 10.11's is a boolean, MySQL's an enum
            String doublewrite = TestServers.query(server, "SELECT CAST(@@innodb_doublewrite AS CHAR)");
            assertTrue(Set.of("0", "OFF").contains(doublewrite), doublewrite);
        } finally {
            TestServers.stop(server);
        }
    }
}
