package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.BinlogCoordinates;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreSpec;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.format.Manifest;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.restore.Restorer;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerLauncher;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user guide's recipe, run: a dump made while writes go on, restored into a second server, which then replicates
 * from the source by GTID from the manifest's coordinates. Coordinates a moment early would replay a write the dump
 * holds (a duplicate key stops replication); a moment late would skip one (a row is missing). Both flavors, both
 * methods; the replica ends with exactly the source's rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaFromDumpTest {
    private static final LocalHost HOST = new LocalHost();

    @TempDir
    static Path temp;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterAll
    void stopThreads() {
        pool.shutdownNow();
    }

    static Stream<Arguments> flavorsAndMethods() {
        return Stream.of(Flavor.values()).flatMap(flavor -> Stream.of(DumpMethod.values())
                .map(method -> Arguments.of(flavor, method)));
    }

    private static ServerHandle startReplica(Flavor flavor, String name) throws Exception {
        Path defaults = temp.resolve(name + ".cnf");
        Files.writeString(defaults, "[mysqld]\nserver-id=8\n" + (flavor == Flavor.MARIADB ? "log-bin=binlog\n" : ""));
        TestServers.traversable(temp);
        return new ServerLauncher(HOST, TestServers.quietLog()).start(ServerSpec.builder(temp.resolve(name)
                .toString()).initialize(true).mysqld(TestServers.mysqld(flavor)).defaultsFile(defaults.toString())
                .build());
    }

    @ParameterizedTest
    @MethodSource("flavorsAndMethods")
    void aReplicaStartedFromTheManifestsGtidsEndsWithExactlyTheSourcesRows(Flavor flavor, DumpMethod method)
            throws Exception {
        String name = flavor.name().toLowerCase() + "-" + method.id();
        ServerHandle source = TestServers.startWithBinaryLog(temp, name + "-source", flavor);
        ServerHandle replica = null;
        try {
            TestServers.sql(source, "CREATE DATABASE shop CHARACTER SET utf8mb4",
                    "CREATE TABLE shop.ticks (id INT AUTO_INCREMENT PRIMARY KEY, at DATETIME(6))");
            AtomicBoolean ticking = new AtomicBoolean(true);
            Future<?> ticker = pool.submit(() -> {
                try (Connection connection = TestServers.connect(source, "root", null);
                     Statement statement = connection.createStatement()) {
                    while (ticking.get()) {
                        statement.execute("INSERT INTO shop.ticks (at) VALUES (NOW(6))");
                    }
                }
                return null;
            });
            DumpResult dump;
            try {
                awaitRows(source, 50);
                DumpSpec.Builder spec = DumpSpec.builder().port(source.port()).user("root")
                        .databases(List.of("shop")).method(method)
                        .output(temp.resolve(name + (method == DumpMethod.PARALLEL ? "" : ".sql.gz")).toString());
                if (flavor == Flavor.MYSQL && method == DumpMethod.MYSQLDUMP) {
                    spec.dumpTool(TestServers.toolDirectory(flavor).resolve("mysqldump").toString());
                }
                dump = new Dumper(HOST, TestServers.quietLog()).dump(spec.build());
                replica = startReplica(flavor, name + "-replica");
                RestoreSpec.Builder restore = RestoreSpec.builder().port(replica.port()).user("root")
                        .input(dump.file());
                if (flavor == Flavor.MYSQL) {
                    restore.clientTool(TestServers.toolDirectory(flavor).resolve("mysql").toString());
                }
                new Restorer(HOST, TestServers.quietLog()).restore(restore.build());
                startReplication(flavor, source, replica, Manifest.read(Path.of(dump.manifest())).binlog());
            } finally {
                ticking.set(false);
                ticker.get(60, TimeUnit.SECONDS);
            }

            String sourceRows = TestServers.query(source, "SELECT CONCAT(COUNT(*), '/', MAX(id)) FROM shop.ticks");
            Deadline deadline = Deadline.after(Duration.ofSeconds(60));
            while (!sourceRows.equals(TestServers.query(replica, "SELECT CONCAT(COUNT(*), '/', MAX(id)) FROM"
                    + " shop.ticks"))) {
                String error = replicationError(flavor, replica);
                assertTrue(error.isEmpty(), "replication stopped: " + error);
                assertFalse(deadline.hasExpired(), "the replica did not catch up with " + sourceRows);
                Thread.sleep(20);
            }
            assertEquals(TestServers.checksums(source, "shop"), TestServers.checksums(replica, "shop"));
        } finally {
            TestServers.stop(replica);
            TestServers.stop(source);
        }
    }

    private static void awaitRows(ServerHandle server, long rows) throws Exception {
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        while (Long.parseLong(TestServers.query(server, "SELECT COUNT(*) FROM shop.ticks")) < rows) {
            assertFalse(deadline.hasExpired(), "the ticker does not commit");
            Thread.sleep(5);
        }
    }

    /** As the user guide says it, with the manifest's GTIDs. */
    private static void startReplication(Flavor flavor, ServerHandle source, ServerHandle replica,
                                         BinlogCoordinates binlog) throws Exception {
        assertNotNull(binlog);
        String gtids = binlog.gtidSet().replace("'", "");
        if (flavor == Flavor.MARIADB) {
            TestServers.sql(replica, "SET GLOBAL gtid_slave_pos = '" + gtids + "'",
                    "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + source.port() + ","
                            + " MASTER_USER = 'root', MASTER_PASSWORD = '', MASTER_USE_GTID = slave_pos",
                    "START SLAVE");
        } else {
            // the restore wrote GTIDs of the replica's own: a replica's history starts empty
            TestServers.sql(replica, "RESET BINARY LOGS AND GTIDS", "SET GLOBAL gtid_purged = '" + gtids + "'",
                    "CHANGE REPLICATION SOURCE TO SOURCE_HOST = '127.0.0.1', SOURCE_PORT = " + source.port() + ","
                            + " SOURCE_USER = 'root', SOURCE_PASSWORD = '', SOURCE_AUTO_POSITION = 1,"
                            + " GET_SOURCE_PUBLIC_KEY = 1",
                    "START REPLICA");
        }
    }

    /** The replica's last I/O or SQL error, empty while it replicates. */
    private static String replicationError(Flavor flavor, ServerHandle replica) throws Exception {
        try (Connection connection = TestServers.connect(replica, "root", null);
             Statement statement = connection.createStatement();
             ResultSet status = statement.executeQuery(flavor == Flavor.MARIADB ? "SHOW SLAVE STATUS"
                     : "SHOW REPLICA STATUS")) {
            if (!status.next()) {
                return "no replication configured";
            }
            String io = status.getString(flavor == Flavor.MARIADB ? "Last_IO_Error" : "Last_IO_Error");
            String sql = status.getString(flavor == Flavor.MARIADB ? "Last_SQL_Error" : "Last_SQL_Error");
            return ((io == null ? "" : io) + " " + (sql == null ? "" : sql)).strip();
        }
    }
}
