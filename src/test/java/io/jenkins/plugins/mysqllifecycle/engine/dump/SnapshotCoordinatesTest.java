package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.BinlogCoordinates;
import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.format.Manifest;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
 * Every manifest, both methods and both flavors, names where the dump's own snapshot stands in the binary log, while
 * writes go on: a ticker commits one row per transaction throughout the dump, so the GTID the manifest names must be
 * the base GTID plus exactly the ticks the dump holds. Coordinates read a moment before or after the snapshot would
 * be off by the ticks committed in that moment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotCoordinatesTest {
    private static final LocalHost HOST = new LocalHost();
    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)$");
    private static final Pattern TICKS_INSERT = Pattern.compile("INSERT INTO `ticks` VALUES\\s*([^;]*);");
    private static final Pattern TICK = Pattern.compile("\\((\\d+)\\)");

    @TempDir
    static Path temp;
    private final Map<Flavor, ServerHandle> servers = new EnumMap<>(Flavor.class);
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    void startServers() throws Exception {
        for (Flavor flavor : Flavor.values()) {
            ServerHandle server = TestServers.startWithBinaryLog(temp, flavor.name().toLowerCase(), flavor);
            servers.put(flavor, server);
            TestServers.sql(server, "CREATE DATABASE shop CHARACTER SET utf8mb4",
                    "CREATE TABLE shop.ticks (id INT AUTO_INCREMENT PRIMARY KEY)",
                    // enough rows that the dump takes a moment, with ticks committed all along
                    "CREATE TABLE shop.bulk (id INT PRIMARY KEY, note VARCHAR(200))",
                    // two recursions of 150 crossed: MySQL stops a recursion at 1000 rows
                    "INSERT INTO shop.bulk WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n"
                            + " WHERE i < 149) SELECT a.i * 150 + b.i, REPEAT('b', 150) FROM n a, n b");
        }
    }

    @AfterAll
    void stopServers() throws Exception {
        pool.shutdownNow();
        for (ServerHandle server : servers.values()) {
            TestServers.stop(server);
        }
    }

    static Stream<Arguments> flavorsAndMethods() {
        return Stream.of(Flavor.values()).flatMap(flavor -> Stream.of(DumpMethod.values())
                .map(method -> Arguments.of(flavor, method)));
    }

    private static long lastNumber(String gtidSet) {
        Matcher matcher = LAST_NUMBER.matcher(gtidSet.strip());
        assertTrue(matcher.find(), gtidSet);
        return Long.parseLong(matcher.group(1));
    }

    private String gtidSet(Flavor flavor) throws Exception {
        return TestServers.query(servers.get(flavor), flavor == Flavor.MYSQL ? "SELECT @@GLOBAL.gtid_executed"
                : "SELECT @@gtid_binlog_pos");
    }

    /** How many ticks the dump holds. */
    private static long ticksIn(DumpResult dump) throws Exception {
        if (dump.format().equals(DumpResult.DIRECTORY)) {
            Map<?, ?> tables = (Map<?, ?>) Json.parseObject(Files.readString(Path.of(dump.file(), "metadata.json")))
                    .get("tables");
            return ((Number) ((Map<?, ?>) tables.get("`shop`.`ticks`")).get("rows")).longValue();
        }
        // MariaDB's tool starts the rows on the next line, MySQL's on the same one
        Matcher insert = TICKS_INSERT.matcher(Files.readString(Path.of(dump.file())));
        long ticks = 0;
        while (insert.find()) {
            Matcher tick = TICK.matcher(insert.group(1));
            while (tick.find()) {
                ticks++;
            }
        }
        return ticks;
    }

    @ParameterizedTest
    @MethodSource("flavorsAndMethods")
    void theManifestNamesTheCoordinatesOfTheDumpsOwnSnapshotWhileWritesGoOn(Flavor flavor, DumpMethod method)
            throws Exception {
        ServerHandle server = servers.get(flavor);
        TestServers.sql(server, "TRUNCATE TABLE shop.ticks");
        long base = lastNumber(gtidSet(flavor));
        AtomicBoolean ticking = new AtomicBoolean(true);
        Future<?> ticker = pool.submit(() -> {
            try (Connection connection = TestServers.connect(server, "root", null);
                 Statement statement = connection.createStatement()) {
                while (ticking.get()) {
                    statement.execute("INSERT INTO shop.ticks VALUES ()");
                }
            }
            return null;
        });
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        while (Long.parseLong(TestServers.query(server, "SELECT COUNT(*) FROM shop.ticks")) < 20) {
            assertFalse(deadline.hasExpired(), "the ticker does not commit");
            Thread.sleep(5);
        }
        DumpResult dump;
        try {
            DumpSpec.Builder spec = DumpSpec.builder().port(server.port()).user("root").databases(List.of("shop"))
                    .compression(Compression.NONE).method(method)
                    .output(temp.resolve(flavor + "-" + method.id() + (method == DumpMethod.PARALLEL ? "" : ".sql"))
                            .toString());
            if (flavor == Flavor.MYSQL && method == DumpMethod.MYSQLDUMP) {
                spec.dumpTool(TestServers.toolDirectory(flavor).resolve("mysqldump").toString());
            }
            dump = new Dumper(HOST, TestServers.quietLog()).dump(spec.build());
        } finally {
            ticking.set(false);
            ticker.get(60, TimeUnit.SECONDS);
        }

        BinlogCoordinates binlog = Manifest.read(Path.of(dump.manifest())).binlog();
        assertNotNull(binlog, "the binary log is on: the manifest must say where the snapshot stands");
        assertTrue(binlog.logging() && binlog.file() != null && binlog.position() > 0, String.valueOf(binlog));
        long ticks = ticksIn(dump);
        assertTrue(ticks >= 20, "the dump holds " + ticks + " ticks");
        assertTrue(Long.parseLong(TestServers.query(server, "SELECT COUNT(*) FROM shop.ticks")) > ticks,
                "ticks went on after the snapshot, so coordinates read later would differ");
        assertEquals(base + ticks, lastNumber(binlog.gtidSet()), "the GTID of the snapshot's last commit: "
                + binlog);
        assertEquals(binlog, dump.binlog(), "the manifest and what the dump returns name the same coordinates");
    }

    @Test
    void withTheBinaryLogOffTheManifestSaysSoForTheToolsDump() throws Exception {
        ServerHandle unlogged = TestServers.start(temp, "unlogged");
        try {
            TestServers.sql(unlogged, "CREATE DATABASE shop", "CREATE TABLE shop.t (id INT PRIMARY KEY)");
            DumpResult dump = new Dumper(HOST, TestServers.quietLog()).dump(DumpSpec.builder()
                    .port(unlogged.port()).user("root").databases(List.of("shop"))
                    .output(temp.resolve("unlogged.sql.gz").toString()).build());
            assertEquals(BinlogCoordinates.OFF, Manifest.read(Path.of(dump.manifest())).binlog());
            assertEquals("off", dump.toMap().get("binlog"), "what mysqlDump returns says so too");
        } finally {
            TestServers.stop(unlogged);
        }
    }
}
