package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The product's promise about writes, measured: while something holds a table (a long query, or LOCK TABLES ...
 * WRITE) and a parallel dump or a verified dump runs, another connection inserts into an unrelated table once every
 * 10 ms; the longest of those inserts must stay within the lock bound (lock-wait-timeout) plus one second, and the
 * dump must end as the rules say (it goes on where its lock waits for nothing, or fails naming the cause). The
 * figures are printed (docs/reliability.md, "Locks"); the bound asserted is the guarantee itself, not a speed target.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteStallTest {
    private static final LocalHost HOST = new LocalHost();
    private static final Duration LOCK_WAIT = Duration.ofSeconds(2);
    private static final Duration GUARD = Duration.ofSeconds(5);
    private static final String LONG_QUERY = "SELECT SLEEP(600), 'report' FROM shop.orders WHERE id = 1";
    private static final String TABLE_LOCK = "LOCK TABLES shop.orders WRITE";

    @TempDir
    static Path temp;
    private final Map<Flavor, ServerHandle> servers = new EnumMap<>(Flavor.class);
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    void startServers() throws Exception {
        for (Flavor flavor : Flavor.values()) {
            ServerHandle server = TestServers.startWithBinaryLog(temp, flavor.name().toLowerCase(Locale.ROOT), flavor);
            servers.put(flavor, server);
            TestServers.sql(server, "CREATE DATABASE shop CHARACTER SET utf8mb4",
                    "CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(100))",
                    "INSERT INTO shop.orders WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                            + " WHERE i < 900) SELECT i, CONCAT('order ', i) FROM n",
                    "CREATE DATABASE other", "CREATE TABLE other.audit (id INT AUTO_INCREMENT PRIMARY KEY,"
                            + " at DATETIME(6))");
        }
    }

    @AfterAll
    void stopServers() throws Exception {
        pool.shutdownNow();
        for (ServerHandle server : servers.values()) {
            TestServers.stop(server);
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Flavor.values()).flatMap(flavor -> Stream.of(LONG_QUERY, TABLE_LOCK).flatMap(holder ->
                Stream.of("parallel", "verify").map(dump -> Arguments.of(flavor, holder, dump))));
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("cases")
    void writesElsewhereWaitNoLongerThanTheLockBoundPlusASecond(Flavor flavor, String holder, String dump)
            throws Exception {
        ServerHandle server = servers.get(flavor);
        try (Connection holding = TestServers.connect(server, "root", null);
             Statement hold = holding.createStatement()) {
            long holderId = connectionId(hold);
            Future<?> held = pool.submit(() -> hold.execute(holder));
            if (holder.equals(TABLE_LOCK)) {
                held.get(30, TimeUnit.SECONDS);
            } else {
                awaitRunningASecond(server, "'report'");
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong longestNanos = new AtomicLong();
            AtomicLong inserts = new AtomicLong();
            Future<?> writer = pool.submit(() -> {
                try (Connection connection = TestServers.connect(server, "root", null);
                     Statement insert = connection.createStatement()) {
                    while (writing.get()) {
                        long started = System.nanoTime();
                        insert.executeUpdate("INSERT INTO other.audit (at) VALUES (NOW(6))");
                        longestNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
                        inserts.incrementAndGet();
                        Thread.sleep(10); // the pace of the writes being measured, not a wait for a condition
                    }
                }
                return null;
            });
            DumpSpec.Builder spec = DumpSpec.builder().port(server.port()).user("root").databases(List.of("shop"))
                    .compression(Compression.NONE).lockWaitTimeout(LOCK_WAIT).longQueryGuard(GUARD)
                    .timeout(Duration.ofSeconds(60));
            String name = flavor + "-" + (holder.equals(TABLE_LOCK) ? "table-lock" : "long-query") + "-" + dump;
            if (dump.equals("parallel")) {
                spec.method(DumpMethod.PARALLEL).threads(2).output(temp.resolve(name).toString());
            } else {
                spec.verify(true).output(temp.resolve(name + ".sql").toString());
                if (flavor == Flavor.MYSQL) {
                    spec.dumpTool(TestServers.toolDirectory(flavor).resolve("mysqldump").toString());
                }
            }
            long dumpStarted = System.nanoTime();
            Throwable failure = null;
            try {
                new Dumper(HOST, TestServers.quietLog()).dump(spec.build());
            } catch (EngineException e) {
                failure = e;
            } finally {
                writing.set(false);
                writer.get(60, TimeUnit.SECONDS);
                TestServers.sql(server, "KILL " + holderId);
            }
            long dumpMillis = (System.nanoTime() - dumpStarted) / 1_000_000;
            long longestMillis = longestNanos.get() / 1_000_000;
            System.out.printf(Locale.ROOT, "write stall: %s, %s, %s dump: longest insert %d ms of %d (every 10 ms),"
                    + " dump %s after %d ms%n", flavor, name.contains("table-lock") ? "LOCK TABLES WRITE held"
                    : "long query running", dump, longestMillis, inserts.get(), failure == null ? "succeeded"
                    : "failed", dumpMillis);

            assertTrue(longestMillis <= LOCK_WAIT.toMillis() + 1000, "an insert waited " + longestMillis
                    + " ms, past the lock bound of " + LOCK_WAIT.toMillis() + " ms plus a second");
            assertRulesKept(flavor, holder, failure);
        }
    }

    /**
     * MariaDB 10.4+ blocks commits with BACKUP STAGE, which no running statement holds up, but which waits behind
     * another session's LOCK TABLES; MySQL's FLUSH TABLES WITH READ LOCK waits for both. Waiting, the dump gives up
     * at its bounds and names the cause.
     */
    private static void assertRulesKept(Flavor flavor, String holder, Throwable failure) {
        if (flavor == Flavor.MARIADB && holder.equals(LONG_QUERY)) {
            assertNull(failure, "nothing holds MariaDB's lock up: the dump goes on");
            return;
        }
        assertInstanceOf(EngineException.class, failure, "the lock cannot be had: the dump must fail");
        String message = failure.getMessage();
        if (holder.equals(LONG_QUERY)) {
            assertTrue(message.contains("'…'") && message.contains("long-query-guard"), message);
        } else {
            assertTrue(message.contains("LOCK TABLES") && message.contains("lock-wait-timeout"), message);
        }
    }

    private static long connectionId(Statement statement) throws Exception {
        try (ResultSet id = statement.executeQuery("SELECT CONNECTION_ID()")) {
            id.next();
            return id.getLong(1);
        }
    }

    private static void awaitRunningASecond(ServerHandle server, String marker) throws Exception {
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        while (Integer.parseInt(TestServers.query(server, "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                + " WHERE INFO LIKE '%" + marker.replace("'", "''") + "%' AND INFO NOT LIKE '%PROCESSLIST%'"
                + " AND TIME >= 1")) == 0) {
            assertFalse(deadline.hasExpired(), "the long query did not run");
            Thread.sleep(20);
        }
    }
}
