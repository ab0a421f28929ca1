package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The lock a dump takes for its snapshot never holds the server up past its bounds: a request waits at most
 * lock-wait-timeout, the dump's timeout and an interrupt withdraw it on the server, and a statement that would hold
 * it up is waited for (long-query-guard) and then named, or killed when asked. One server of each flavor serves the
 * class; each test leaves it without locks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockBoundsTest {
    private static final LocalHost HOST = new LocalHost();
    /** No dump here may take this long: a dump that does has hung, which is the failure these tests look for. */
    private static final long HUNG_SECONDS = 90;

    @TempDir
    static Path temp;
    private final Map<Flavor, ServerHandle> servers = new EnumMap<>(Flavor.class);
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private record Session(Connection connection, Flavor flavor, long id) {
    }

    private final List<Session> sessions = new ArrayList<>();

    @BeforeAll
    void startServers() throws Exception {
        for (Flavor flavor : Flavor.values()) {
            ServerHandle server = TestServers.startWithBinaryLog(temp, flavor.name().toLowerCase(), flavor);
            servers.put(flavor, server);
            TestServers.sql(server, "CREATE DATABASE shop CHARACTER SET utf8mb4",
                    "CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(100))",
                    "INSERT INTO shop.orders WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                            + " WHERE i < 1000) SELECT i, CONCAT('order ', i) FROM n",
                    "CREATE DATABASE other", "CREATE TABLE other.audit (id INT AUTO_INCREMENT PRIMARY KEY,"
                            + " at DATETIME(6))");
        }
    }

    /** Ends the test's sessions on the server first: a statement still running would hold up the next test. */
    @AfterEach
    void endSessions() throws Exception {
        for (Session session : sessions) {
            try {
                TestServers.sql(servers.get(session.flavor()), "KILL " + session.id());
            } catch (SQLException gone) {
                // it had ended
            }
            session.connection().close();
        }
        sessions.clear();
    }

    @AfterAll
    void stopServers() throws Exception {
        pool.shutdownNow();
        for (ServerHandle server : servers.values()) {
            TestServers.stop(server);
        }
    }

    /** A session of root's that stays open (and keeps its locks) until the test ends. */
    private Statement session(Flavor flavor) throws SQLException {
        Connection connection = TestServers.connect(servers.get(flavor), "root", null);
        Statement statement = connection.createStatement();
        try (ResultSet id = statement.executeQuery("SELECT CONNECTION_ID()")) {
            id.next();
            sessions.add(new Session(connection, flavor, id.getLong(1)));
        }
        return statement;
    }

    private DumpSpec.Builder dumpOf(Flavor flavor, String name) {
        DumpSpec.Builder spec = DumpSpec.builder().port(servers.get(flavor).port()).user("root")
                .databases(List.of("shop")).compression(Compression.NONE)
                .output(temp.resolve(flavor.name().toLowerCase() + "-" + name).toString());
        return flavor == Flavor.MYSQL ? spec.dumpTool(TestServers.toolDirectory(flavor).resolve("mysqldump")
                .toString()) : spec;
    }

    /** Runs the dump on a thread of its own; {@code ended} counts down once it has returned or thrown. */
    private Future<DumpResult> start(DumpSpec spec, CountDownLatch ended) {
        return pool.submit(() -> {
            try {
                return new Dumper(HOST, TestServers.quietLog()).dump(spec);
            } finally {
                ended.countDown();
            }
        });
    }

    private static Throwable failureOf(Future<DumpResult> dump) throws Exception {
        try {
            dump.get(HUNG_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            fail("the dump did not end within " + HUNG_SECONDS + " s: it hangs");
        }
        return fail("the dump succeeded");
    }

    /** Lock statements still on the server: a dump that has ended must have left none queued. */
    private List<String> lockRequests(Flavor flavor) throws SQLException {
        List<String> requests = new ArrayList<>();
        try (Connection connection = TestServers.connect(servers.get(flavor), "root", null);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT ID, STATE, INFO FROM information_schema.PROCESSLIST"
                     + " WHERE ID <> CONNECTION_ID() AND (INFO LIKE 'FLUSH%' OR INFO LIKE 'BACKUP STAGE%'"
                     + " OR INFO LIKE 'LOCK INSTANCE%')")) {
            while (rows.next()) {
                requests.add(rows.getLong(1) + " (" + rows.getString(2) + "): " + rows.getString(3));
            }
        }
        return requests;
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        while (!condition.call()) {
            assertFalse(deadline.hasExpired(), "waited 30 s for " + what);
            Thread.sleep(10);
        }
    }

    /** A write elsewhere on the server goes through: nothing of the dump is left for writers to queue behind. */
    private void assertWritesGoOn(Flavor flavor) throws SQLException {
        Statement writer = session(flavor);
        writer.execute("SET SESSION lock_wait_timeout = 5");
        assertEquals(1, writer.executeUpdate("INSERT INTO other.audit (at) VALUES (NOW(6))"));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aParallelDumpBehindLockTablesWriteEndsAtItsTimeoutAndLeavesNoLockRequestQueued(Flavor flavor)
            throws Exception {
        session(flavor).execute("LOCK TABLES shop.orders WRITE");
        Future<DumpResult> dump = start(dumpOf(flavor, "parallel-behind-lock").method(DumpMethod.PARALLEL).threads(2)
                .timeout(Duration.ofSeconds(3)).lockWaitTimeout(Duration.ofSeconds(60)).build(), new CountDownLatch(1));

        Throwable failure = failureOf(dump);
        assertInstanceOf(OperationTimeoutException.class, failure, String.valueOf(failure));
        assertTrue(failure.getMessage().contains("withdrawn") || failure.getMessage().contains("given up"),
                failure.getMessage());
        assertEquals(List.of(), lockRequests(flavor));
        assertWritesGoOn(flavor);
        assertFalse(Files.exists(Path.of(dumpOf(flavor, "parallel-behind-lock").build().output())));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aVerifyDumpBehindLockTablesWriteEndsAtItsTimeoutAndLeavesNoLockRequestQueued(Flavor flavor)
            throws Exception {
        session(flavor).execute("LOCK TABLES shop.orders WRITE");
        Future<DumpResult> dump = start(dumpOf(flavor, "verify-behind-lock.sql").verify(true)
                .timeout(Duration.ofSeconds(3)).lockWaitTimeout(Duration.ofSeconds(60)).build(), new CountDownLatch(1));

        Throwable failure = failureOf(dump);
        assertInstanceOf(OperationTimeoutException.class, failure, String.valueOf(failure));
        assertEquals(List.of(), lockRequests(flavor));
        assertWritesGoOn(flavor);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aStoppedDumpWithdrawsItsPendingLockRequestOnTheServer(Flavor flavor) throws Exception {
        session(flavor).execute("LOCK TABLES shop.orders WRITE");
        CountDownLatch ended = new CountDownLatch(1);
        Future<DumpResult> dump = start(dumpOf(flavor, "stopped").method(DumpMethod.PARALLEL).threads(2)
                .lockWaitTimeout(Duration.ofSeconds(600)).longQueryGuard(Duration.ofSeconds(600)).build(), ended);
        await("the dump's lock request to wait on the server", () -> !lockRequests(flavor).isEmpty());

        dump.cancel(true); // interrupts the dump's thread, as an abort or a signal to the CLI does
        assertTrue(ended.await(HUNG_SECONDS, TimeUnit.SECONDS), "the stopped dump did not end");
        assertEquals(List.of(), lockRequests(flavor), "the dump left its lock request queued on the server");
        assertWritesGoOn(flavor);
    }

    /** Starts {@code sql} on a session of its own; returns once the server shows it running for a second or more. */
    private Future<?> longStatement(Flavor flavor, String sql) throws Exception {
        Statement statement = session(flavor);
        Future<?> running = pool.submit(() -> statement.execute(sql));
        await("the long statement to run for a second", () -> {
            try (Connection connection = TestServers.connect(servers.get(flavor), "root", null);
                 Statement look = connection.createStatement();
                 ResultSet rows = look.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                         + " WHERE INFO LIKE '%SLEEP(%' AND INFO NOT LIKE '%PROCESSLIST%' AND TIME >= 1")) {
                rows.next();
                return rows.getInt(1) > 0;
            }
        });
        return running;
    }

    private boolean stillRuns(Flavor flavor, String marker) throws SQLException {
        return Integer.parseInt(TestServers.query(servers.get(flavor), "SELECT COUNT(*) FROM"
                + " information_schema.PROCESSLIST WHERE INFO LIKE '%" + marker + "%' AND INFO NOT LIKE"
                + " '%PROCESSLIST%'")) > 0;
    }

    /** MySQL's FLUSH TABLES WITH READ LOCK would wait for the statement, with every write queued behind it. */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = "MYSQL")
    void aLongStatementIsWaitedForThenNamedWithoutItsLiterals(Flavor flavor) throws Exception {
        longStatement(flavor, "SELECT SLEEP(60), 'the-secret-literal' FROM shop.orders WHERE id = 1");
        Future<DumpResult> dump = start(dumpOf(flavor, "guarded").method(DumpMethod.PARALLEL).threads(2)
                .longQueryGuard(Duration.ofSeconds(2)).build(), new CountDownLatch(1));

        Throwable failure = failureOf(dump);
        assertInstanceOf(EngineException.class, failure);
        String message = failure.getMessage();
        assertTrue(message.contains("user root, running ") && message.contains("SELECT SLEEP(60),"), message);
        assertTrue(message.contains("long-query-guard") && message.contains("kill-long-queries"), message);
        assertFalse(message.contains("the-secret-literal"), "a statement's literals stay out of messages: " + message);
        assertTrue(stillRuns(flavor, "the-secret-literal"), "the user's statement must not be killed unasked");
        assertEquals(List.of(), lockRequests(flavor), "nothing was asked for while the statement ran");
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = "MYSQL")
    void killLongQueriesStopsTheStatementThatHoldsTheLockUpAndTheDumpGoesOn(Flavor flavor) throws Exception {
        Future<?> report = longStatement(flavor, "SELECT SLEEP(60), 'killed-report' FROM shop.orders WHERE id = 1");
        DumpResult dump = new Dumper(HOST, TestServers.quietLog()).dump(dumpOf(flavor, "killing")
                .method(DumpMethod.PARALLEL).threads(2).longQueryGuard(Duration.ofSeconds(1)).killLongQueries(true)
                .build());

        assertTrue(Files.isDirectory(Path.of(dump.file())));
        report.get(HUNG_SECONDS, TimeUnit.SECONDS); // ends early: KILL QUERY cut its SLEEP short
        assertFalse(stillRuns(flavor, "killed-report"));
    }

    /**
     * MariaDB 10.4 and later block commits with BACKUP STAGE BLOCK_COMMIT, which waits for no running statement:
     * FLUSH TABLES WITH READ LOCK would wait for this write to end, and every other write would queue behind it.
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = "MARIADB")
    void aLongWriteDoesNotHoldUpTheSnapshotOnMariadb(Flavor flavor) throws Exception {
        longStatement(flavor, "UPDATE shop.orders SET note = 'slow-write' WHERE id = 1 AND SLEEP(60) = 0");
        DumpResult dump = new Dumper(HOST, TestServers.quietLog()).dump(dumpOf(flavor, "beside-a-write")
                .method(DumpMethod.PARALLEL).threads(2).timeout(Duration.ofSeconds(30)).build());

        assertTrue(Files.isDirectory(Path.of(dump.file())));
        assertTrue(stillRuns(flavor, "slow-write"), "the dump must not have waited for the write to end");
    }

    /**
     * MySQL's mysqldump method locks only to read its snapshot's coordinates: a long statement does not make it wait
     * (nor is it stopped); the coordinates are read without the lock and kept when nothing committed meanwhile.
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = "MYSQL")
    void aLongStatementNeitherHoldsUpNorFailsAMysqldumpMethodDump(Flavor flavor) throws Exception {
        longStatement(flavor, "SELECT SLEEP(60), 'coordinates-report' FROM shop.orders WHERE id = 1");
        DumpResult dump = new Dumper(HOST, TestServers.quietLog()).dump(dumpOf(flavor, "beside-a-report.sql")
                .killLongQueries(true).build());

        assertTrue(stillRuns(flavor, "coordinates-report"), "the dump must neither wait for it nor stop it");
        assertEquals(TestServers.query(servers.get(flavor), "SELECT @@GLOBAL.gtid_executed").replace("\n", ""),
                io.jenkins.plugins.mysqllifecycle.engine.format.Manifest.read(Path.of(dump.manifest())).binlog()
                        .gtidSet(), "nothing committed: the coordinates read without the lock are kept");
    }
}
