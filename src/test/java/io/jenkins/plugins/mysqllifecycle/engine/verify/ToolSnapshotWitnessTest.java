package io.jenkins.plugins.mysqllifecycle.engine.verify;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.dump.Dumper;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.testing.FakeServers;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The witness of a single-stream dump holds commits only until the tool's transaction is open, not for the whole
 * dump. The dump tool here is the real one behind a pipe that takes nothing for a few seconds, so the tool sits in
 * its open transaction, blocked on its output, for that long.
 */
class ToolSnapshotWitnessTest {
    /** How long the tool stays blocked in its transaction. */
    private static final int TOOL_STALL_SECONDS = 5;

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void commitsGoOnOnceTheToolsTransactionIsOpenWhileTheToolStillRuns(Flavor flavor) throws Exception {
        ServerHandle server = TestServers.start(temp, "source", flavor);
        try {
            TestServers.sql(server, "CREATE DATABASE shop",
                    "CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(200))",
                    "CREATE TABLE shop.digits (d INT PRIMARY KEY)",
                    "INSERT INTO shop.digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)",
                    "INSERT INTO shop.orders SELECT a.d * 1000 + b.d * 100 + c.d * 10 + e.d, REPEAT('x', 150)"
                            + " FROM shop.digits a, shop.digits b, shop.digits c, shop.digits e",
                    "CREATE DATABASE app", "CREATE TABLE app.heartbeat (id INT PRIMARY KEY, at BIGINT)",
                    "INSERT INTO app.heartbeat VALUES (1, 0)");
            String real = flavor == Flavor.MYSQL
                    ? TestServers.toolDirectory(flavor).resolve("mysqldump").toString() : "/usr/bin/mariadb-dump";
            Path tool = FakeServers.script(temp, Path.of(real).getFileName().toString(),
                    "case \"$1\" in --version|-V) exec " + real + " \"$@\";; esac\n"
                            + real + " \"$@\" | { sleep " + TOOL_STALL_SECONDS + "; cat; }\n");
            DumpSpec spec = DumpSpec.builder().port(server.port()).user("root").databases(List.of("shop"))
                    .method(DumpMethod.MYSQLDUMP).compression(Compression.GZIP).dumpTool(tool.toString())
                    .verify(true).verifyServer(TestServers.mysqld(flavor)).output(temp.resolve("shop.sql.gz").toString()).build();

            long started = System.nanoTime();
            CompletableFuture<DumpResult> dump = CompletableFuture.supplyAsync(() -> {
                try {
                    return new Dumper(new LocalHost(), TestServers.quietLog()).dump(spec);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // commit once a second is gone: by then the tool has its transaction open and sits blocked on its pipe
            Thread.sleep(1000);
            long commitMillis;
            try (Connection connection = TestServers.connect(server, "root", null);
                 Statement statement = connection.createStatement()) {
                long before = System.nanoTime();
                statement.execute("UPDATE app.heartbeat SET at = " + before + " WHERE id = 1");
                commitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
            }
            long commitAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            DumpResult result = dump.get(120, TimeUnit.SECONDS);
            assertTrue(result.verified(), flavor + ": the dump must verify");
            // before the fix the witness never saw the transaction and held commits until the tool ended
            assertTrue(commitAfterMillis < (TOOL_STALL_SECONDS - 2) * 1000L, flavor + ": a commit 1 s into the dump"
                    + " waited " + commitMillis + " ms, until " + commitAfterMillis + " ms after the start, while the"
                    + " tool was stalled in its open transaction for " + TOOL_STALL_SECONDS + " s");
        } finally {
            TestServers.stop(server);
        }
    }
}
