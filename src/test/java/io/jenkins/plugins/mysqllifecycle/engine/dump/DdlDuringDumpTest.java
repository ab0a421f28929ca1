package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DDL that races a dump (a table altered, renamed or dropped after the dump's snapshot, before the dump reads it)
 * ends in a correct dump or in a failure that names the table; never in a dump of a table that never existed. The
 * dump first reads a large table; while it does, a row goes into the small table and the DDL changes it. A correct
 * dump holds the small table as the snapshot had it: three rows, two columns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DdlDuringDumpTest {
    private static final LocalHost HOST = new LocalHost();
    private static final List<String> DDL = List.of("ALTER TABLE shop.b_small ADD COLUMN c INT DEFAULT 5",
            "RENAME TABLE shop.b_small TO shop.b_renamed", "DROP TABLE shop.b_small");

    @TempDir
    static Path temp;
    private final Map<Flavor, ServerHandle> servers = new EnumMap<>(Flavor.class);
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    void startServers() throws Exception {
        for (Flavor flavor : Flavor.values()) {
            ServerHandle server = TestServers.start(temp, flavor.name().toLowerCase(), flavor);
            servers.put(flavor, server);
            // about 60 MB to read: long enough for the DDL to land while the dump reads it
            TestServers.sql(server, "CREATE DATABASE shop CHARACTER SET utf8mb4",
                    "CREATE TABLE shop.a_big (id INT PRIMARY KEY, note VARCHAR(200))",
                    "INSERT INTO shop.a_big WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n"
                            + " WHERE i < 599) SELECT a.i * 600 + b.i, REPEAT('a', 180) FROM n a, n b");
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
        return Stream.of(Flavor.values()).flatMap(flavor -> Stream.of(DumpMethod.values()).flatMap(method ->
                DDL.stream().map(ddl -> Arguments.of(flavor, method, ddl))));
    }

    private boolean dumpReadsTheLargeTable(ServerHandle server) throws Exception {
        return Integer.parseInt(TestServers.query(server, "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                + " WHERE INFO LIKE 'SELECT%a_big%' AND INFO NOT LIKE '%PROCESSLIST%'")) > 0;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void ddlDuringTheDumpEndsInTheSnapshotsTableOrAFailureNamingIt(Flavor flavor, DumpMethod method, String ddl)
            throws Exception {
        ServerHandle server = servers.get(flavor);
        TestServers.sql(server, "DROP TABLE IF EXISTS shop.b_small, shop.b_renamed",
                "CREATE TABLE shop.b_small (id INT PRIMARY KEY, v INT)", "INSERT INTO shop.b_small VALUES"
                        + " (1, 1), (2, 2), (3, 3)");
        String name = flavor + "-" + method.id() + "-" + DDL.indexOf(ddl) + (method == DumpMethod.PARALLEL ? ""
                : ".sql");
        DumpSpec.Builder spec = DumpSpec.builder().port(server.port()).user("root").databases(List.of("shop"))
                .compression(Compression.NONE).method(method).output(temp.resolve(name).toString());
        if (method == DumpMethod.PARALLEL) {
            spec.threads(1); // one worker reads the large table, then the small one
        } else if (flavor == Flavor.MYSQL) {
            spec.dumpTool(TestServers.toolDirectory(flavor).resolve("mysqldump").toString());
        }
        DumpSpec built = spec.build();
        Future<DumpResult> dump = pool.submit(() -> new Dumper(HOST, TestServers.quietLog()).dump(built));
        Deadline deadline = Deadline.after(Duration.ofSeconds(60));
        while (!dumpReadsTheLargeTable(server)) {
            assertFalse(dump.isDone() || deadline.hasExpired(), "the dump never read the large table");
            Thread.sleep(2);
        }
        TestServers.sql(server, "INSERT INTO shop.b_small VALUES (4, 4)", ddl);

        Throwable failure = null;
        DumpResult result = null;
        try {
            result = dump.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            failure = e.getCause();
        }
        if (failure != null) {
            assertInstanceOf(EngineException.class, failure, String.valueOf(failure));
            assertTrue(failure.getMessage().contains("DDL changed") && failure.getMessage().contains("b_small"),
                    failure.getMessage());
            assertFalse(Files.exists(Path.of(built.output())), "a failed dump leaves nothing");
            return;
        }
        String sql = allText(Path.of(result.file()));
        Matcher create = Pattern.compile("CREATE TABLE `b_small` \\(([^;]*)\\)[^;]*;").matcher(sql);
        assertTrue(create.find(), "the dump holds no b_small: " + ddl);
        assertFalse(create.group(1).contains("`c`"), "the snapshot's b_small has no column c: " + create.group(1));
        Matcher rows = Pattern.compile("INSERT INTO (?:`shop`\\.)?`b_small`[^;]*VALUES\\s*([^;]*);").matcher(sql);
        StringBuilder values = new StringBuilder();
        while (rows.find()) {
            values.append(rows.group(1));
        }
        assertEquals("(1,1),(2,2),(3,3)", values.toString().replaceAll("\\s", ""), "the snapshot's rows");
    }

    private static String allText(Path dump) throws Exception {
        if (!Files.isDirectory(dump)) {
            return Files.readString(dump);
        }
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(dump)) {
            for (Path file : files.sorted().toList()) {
                text.append(Files.readString(file)).append('\n');
            }
        }
        return text.toString();
    }
}
