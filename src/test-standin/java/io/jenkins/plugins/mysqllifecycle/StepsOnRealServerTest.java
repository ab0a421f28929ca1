package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.remoting.Callable;
import hudson.remoting.VirtualChannel;
import hudson.util.Secret;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps and builders against a real MariaDB, through the same code path an agent runs: spec → callable →
 * engine → result → the step's return value. (Locally, FilePath.act runs the callable in this JVM.)
 */
class StepsOnRealServerTest {
    private static final String PASSWORD = "plugin-pw-\"q'#9";

    @TempDir
    Path temp;

    private FilePath workspace;
    private final TestBuilds.TestRun run = new TestBuilds.TestRun();
    private final TestBuilds.Listener listener = new TestBuilds.Listener();
    private EnvVars environment;

    @BeforeEach
    void setUp() throws Exception {
        TestServers.traversable(temp);
        workspace = new FilePath(Files.createDirectories(temp.resolve("workspace")).toFile());
        environment = new EnvVars(Map.of("DB_PW", PASSWORD));
    }

    @AfterEach
    void stopWhatIsLeft() {
        StopServersWhenBuildEnds.stopLeftovers(run, listener, node -> LOCAL_CHANNEL);
    }

    private TestBuilds.Context context() {
        return new TestBuilds.Context(workspace, run, listener, environment);
    }

    private Map<String, Object> startServer(String name) throws Exception {
        MysqlStartStep start = new MysqlStartStep(temp.resolve(name).toString());
        start.setInitialize(true);
        return ((MysqlStartStep.Execution) start.start(context())).run();
    }

    @Test
    void startDumpStopThroughThePipelineSteps() throws Exception {
        Map<String, Object> server = startServer("data");
        assertTrue(server.keySet().containsAll(Set.of("pid", "port", "socket", "pidFile", "datadir", "version",
                "flavor", "readyMillis", "node")), server.keySet().toString());
        ServerHandle handle = ServerHandle.fromMap(server);
        assertTrue(new LocalHost().process(handle.pid()).orElseThrow().isMysqlServer());
        TestServers.sql(handle, "CREATE DATABASE shop CHARACTER SET utf8mb4",
                "CREATE TABLE shop.t (id INT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO shop.t VALUES (1, 'a')",
                "CREATE USER 'backup'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD.replace("'", "''") + "'",
                "GRANT SELECT, LOCK TABLES, SHOW VIEW, EVENT, TRIGGER ON *.* TO 'backup'@'127.0.0.1'");

        MysqlDumpStep dump = new MysqlDumpStep("backup/shop.sql.gz");
        dump.setServer(server);
        dump.setUser("backup");
        dump.setPasswordVariable("DB_PW");
        dump.setDatabases(List.of("shop"));
        Map<String, Object> dumped = ((MysqlDumpStep.Execution) dump.start(context())).run();
        assertEquals("backup/shop.sql.gz", dumped.get("file"));
        Path file = temp.resolve("workspace/backup/shop.sql.gz");
        assertEquals(Files.size(file), dumped.get("bytes"));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))),
                dumped.get("sha256"));
        assertTrue(Files.exists(temp.resolve("workspace/backup/shop.sql.gz.json")));
        assertEquals("file", dumped.get("format"));
        assertEquals(false, dumped.get("verified"));
        assertEquals("off", dumped.get("binlog"), "the step says where the dump stands in the binary log: off here");
        // the build's page shows the dump
        List<DumpRecord> recorded = run.getAction(DumpsAction.class).records();
        assertEquals(1, recorded.size());
        DumpRecord shown = recorded.get(0);
        assertFalse(shown.isFailed());
        assertEquals("built-in", shown.getHost(), "a server on the node's loopback address is the node's");
        assertEquals("backup/shop.sql.gz", shown.getFile());
        assertEquals("shop", shown.getDatabases());
        assertEquals(dumped.get("sha256"), shown.getSha256());
        assertEquals(Files.size(file), shown.bytes());
        assertEquals("", shown.getTables(), "the dump tool counts no tables");
        assertTrue(shown.getMethod().startsWith("mariadb-dump "), shown.getMethod());

        MysqlStopStep stop = new MysqlStopStep();
        stop.setServer(server);
        @SuppressWarnings("unchecked")
        Map<String, Object> stopped = (Map<String, Object>) ((MysqlStopStep.Execution) stop.start(context())).run();
        assertEquals(handle.pid(), stopped.get("pid"));
        assertEquals(false, stopped.get("forced"));
        assertEquals(false, stopped.get("alreadyStopped"));
        assertEquals("SIGTERM", stopped.get("signal"));
        assertTrue(new LocalHost().process(handle.pid()).map(ProcessInfo::hasExited).orElse(true));

        ServerRecord record = run.getAction(ServersAction.class).getServers().get(0);
        assertTrue(record.isStopped());
        assertEquals("SIGTERM", record.getStopOutcome());
        assertFalse(listener.log().contains(PASSWORD), "password in the build log");
        assertFalse(Json.write(dumped).contains(PASSWORD));
    }

    @Test
    void dumpStepAndBuilderWithKeepRemoveOlderDumpsOfTheSameDatabasesAndReturnTheirNames() throws Exception {
        Map<String, Object> server = startServer("data");
        TestServers.sql(ServerHandle.fromMap(server), "CREATE DATABASE shop", "CREATE TABLE shop.t (id INT)",
                "CREATE DATABASE crm");
        Path backup = temp.resolve("workspace/backup");
        for (String[] older : new String[][] {{"backup/shop-1.sql.gz", "shop"}, {"backup/crm-1.sql.gz", "crm"}}) {
            MysqlDumpStep dump = new MysqlDumpStep(older[0]);
            dump.setServer(server);
            dump.setDatabases(List.of(older[1]));
            Map<String, Object> dumped = ((MysqlDumpStep.Execution) dump.start(context())).run();
            assertEquals(List.of(), dumped.get("removed"));
        }

        MysqlDumpStep keepOne = new MysqlDumpStep("backup/shop-2.sql.gz");
        keepOne.setServer(server);
        keepOne.setDatabases(List.of("shop"));
        keepOne.setKeep(1);
        Map<String, Object> dumped = ((MysqlDumpStep.Execution) keepOne.start(context())).run();

        assertEquals(List.of("shop-1.sql.gz"), dumped.get("removed"));
        assertEquals(java.util.ArrayList.class, dumped.get("removed").getClass(), "a plain list for the pipeline");
        assertFalse(Files.exists(backup.resolve("shop-1.sql.gz")));
        assertFalse(Files.exists(backup.resolve("shop-1.sql.gz.json")));
        assertTrue(Files.exists(backup.resolve("shop-2.sql.gz")));
        assertTrue(Files.exists(backup.resolve("crm-1.sql.gz")), "a dump of another database was removed");
        assertTrue(listener.log().contains("keep 1 (shop): removed shop-1.sql.gz ("), listener.log());

        // freestyle: one configuration, a name per build from the build's variables
        MysqlDumpStep perBuild = new MysqlDumpStep("backup/shop-${BUILD_ID}.sql.gz"); // the server started here
        perBuild.setDatabases(List.of("shop"));
        perBuild.setKeep(2);
        MysqlDumpBuilder builder = new MysqlDumpBuilder(perBuild);
        environment.put("BUILD_ID", "3");
        builder.perform(run, workspace, environment, null, listener);
        assertTrue(Files.exists(backup.resolve("shop-3.sql.gz")), "${BUILD_ID} was not expanded");
        assertTrue(Files.exists(backup.resolve("shop-2.sql.gz")), "keep 2 removed the second newest");
        Files.writeString(backup.resolve("notes.txt"), "no manifest: never removed");
        environment.put("BUILD_ID", "4");
        builder.perform(run, workspace, environment, null, listener);
        assertFalse(Files.exists(backup.resolve("shop-2.sql.gz")));
        assertTrue(Files.exists(backup.resolve("shop-3.sql.gz")));
        assertTrue(Files.exists(backup.resolve("shop-4.sql.gz")));
        assertTrue(Files.exists(backup.resolve("notes.txt")));
        assertTrue(Files.exists(backup.resolve("crm-1.sql.gz")));
    }

    @Test
    void freestyleOutputThatLeavesTheWorkspaceOnlyOnceExpandedIsRefused() {
        environment.put("DIR", "../outside");
        MysqlDumpStep outside = new MysqlDumpStep("$DIR/x.sql.gz");
        outside.setPort(1);
        outside.setDatabases(List.of("x"));
        MysqlDumpBuilder dump = new MysqlDumpBuilder(outside);
        AbortException refused = assertThrows(AbortException.class,
                () -> dump.perform(run, workspace, environment, null, listener));
        assertTrue(refused.getMessage().contains("$DIR/x.sql.gz (../outside/x.sql.gz) must be a path relative to the"
                + " workspace"), refused.getMessage());
        assertFalse(Files.exists(temp.resolve("outside")));
    }

    @Test
    void keepBelowOneFailsTheStepBeforeAnythingRuns() {
        MysqlDumpStep dump = new MysqlDumpStep("x.sql.gz");
        dump.setPort(1);
        dump.setDatabases(List.of("x"));
        dump.setKeep(0);
        AbortException refused = assertThrows(AbortException.class,
                () -> ((MysqlDumpStep.Execution) dump.start(context())).run());
        assertTrue(refused.getMessage().startsWith("mysqlDump: keep must be at least 1"), refused.getMessage());
        assertFalse(Files.exists(temp.resolve("workspace/x.sql.gz.partial")));
    }

    @Test
    void stopWithoutTargetStopsEveryServerTheBuildStartedHere() throws Exception {
        Map<String, Object> first = startServer("one");
        Map<String, Object> second = startServer("two");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stopped = (List<Map<String, Object>>) ((MysqlStopStep.Execution)
                new MysqlStopStep().start(context())).run();
        assertEquals(Set.of(first.get("pid"), second.get("pid")),
                Set.of(stopped.get(0).get("pid"), stopped.get(1).get("pid")));
        assertTrue(run.getAction(ServersAction.class).getServers().stream().allMatch(ServerRecord::isStopped));
    }

    /**
     * Two servers that ignore SIGTERM for now (SIGSTOP): each stop runs out its 3 s, but together, not one after the
     * other (which would take 6 s), and neither on the calling thread's time alone.
     */
    @Test
    void leftoverServersAreStoppedAtTheSameTimeAndEachResultIsLogged() throws Exception {
        long first = ServerMaps.number(startServer("one"), "pid");
        long second = ServerMaps.number(startServer("two"), "pid");
        WithMysqlStepTest.signal(first, "STOP");
        WithMysqlStepTest.signal(second, "STOP");
        try {
            long started = System.nanoTime();
            StopServersWhenBuildEnds.stopLeftovers(run, listener, node -> LOCAL_CHANNEL, Duration.ofSeconds(3),
                    Duration.ofSeconds(60));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertTrue(took.compareTo(Duration.ofMillis(5500)) < 0, "the stops ran one after another: " + took);
            for (long pid : List.of(first, second)) {
                assertTrue(listener.log().contains("could not stop pid " + pid + " on the built-in node: pid " + pid),
                        listener.log());
            }
            assertTrue(run.getAction(ServersAction.class).getServers().stream()
                    .noneMatch(ServerRecord::isStopped), "a server that did not exit is recorded as stopped");
        } finally {
            WithMysqlStepTest.continueAndAwaitExit(first);
            WithMysqlStepTest.continueAndAwaitExit(second);
        }
    }

    /** The thread that completes the build waits no longer than the one bound; the stop goes on without it. */
    @Test
    void theWaitForLeftoverStopsEndsAtTheOverallBound() throws Exception {
        long pid = ServerMaps.number(startServer("slow"), "pid");
        WithMysqlStepTest.signal(pid, "STOP");
        try {
            long started = System.nanoTime();
            StopServersWhenBuildEnds.stopLeftovers(run, listener, node -> LOCAL_CHANNEL, Duration.ofSeconds(60),
                    Duration.ofSeconds(2));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "waited past the overall bound: " + took);
            assertTrue(listener.log().contains("pid " + pid + " on the built-in node is still stopping after 2 s"),
                    listener.log());
        } finally {
            WithMysqlStepTest.continueAndAwaitExit(pid);
        }
        ServerRecord server = run.getAction(ServersAction.class).getServers().get(0);
        WithMysqlStepTest.awaitCondition("the background stop to record the exit", server::isStopped);
        assertEquals("SIGTERM", server.getStopOutcome());
    }

    @Test
    void serversLeftRunningAreStoppedWhenTheBuildEndsUnlessKeptRunning() throws Exception {
        Map<String, Object> left = startServer("left");
        MysqlStartStep keep = new MysqlStartStep(temp.resolve("kept").toString());
        keep.setInitialize(true);
        keep.setKeepRunning(true);
        Map<String, Object> kept = ((MysqlStartStep.Execution) keep.start(context())).run();
        try {
            StopServersWhenBuildEnds.stopLeftovers(run, listener, node -> LOCAL_CHANNEL);
            long leftPid = ServerMaps.number(left, "pid");
            assertTrue(new LocalHost().process(leftPid).map(ProcessInfo::hasExited).orElse(true));
            assertTrue(listener.log().contains("the build started pid " + leftPid), listener.log());
            assertFalse(new LocalHost().process(ServerMaps.number(kept, "pid")).orElseThrow().hasExited(),
                    "a keepRunning server was stopped");
        } finally {
            TestServers.stop(ServerHandle.fromMap(kept));
        }
    }

    @Test
    void freestyleBuildersStartDumpAndStopWithASecretPassword() throws Exception {
        MysqlStartStep start = new MysqlStartStep(temp.resolve("data").toString());
        start.setInitialize(true);
        new MysqlStartBuilder(start).perform(run, workspace, environment, null, listener);
        ServerRecord server = run.getAction(ServersAction.class).getServers().get(0);
        ServerHandle handle = new ServerHandle("localhost", server.getPid(), server.getPort(), server.getSocket(),
                server.getPidFile(), server.getDatadir(), "", server.getVersion(),
                io.jenkins.plugins.mysqllifecycle.engine.Flavor.MARIADB, java.time.Instant.now(), 0,
                server.getStartTicks());
        TestServers.sql(handle, "CREATE DATABASE app", "CREATE USER 'b'@'127.0.0.1' IDENTIFIED BY 'Fs-secret'",
                "GRANT ALL ON *.* TO 'b'@'127.0.0.1'");

        MysqlDumpStep app = new MysqlDumpStep("out/app.sql"); // no port: the server this build started
        app.setUser("b");
        app.setDatabases(List.of("app, mysql")); // as the form's text box binds it
        app.setCompress("none");
        MysqlDumpBuilder dump = new MysqlDumpBuilder(app);
        dump.setPassword(Secret.fromString("Fs-secret"));
        dump.perform(run, workspace, environment, null, listener);
        String sql = Files.readString(temp.resolve("workspace/out/app.sql"));
        assertTrue(sql.contains("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `app`"));
        assertTrue(sql.contains("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `mysql`"));

        new MysqlStopBuilder(new MysqlStopStep()).perform(run, workspace, environment, null, listener);
        assertTrue(server.isStopped());
        assertFalse(listener.log().contains("Fs-secret"));
    }

    @Test
    void abortDuringADumpEndsTheDumpToolAndLeavesNoFile() throws Exception {
        Map<String, Object> server = startServer("data");
        TestServers.sql(ServerHandle.fromMap(server), "CREATE DATABASE big",
                "CREATE TABLE big.t (id INT PRIMARY KEY, v VARCHAR(200))",
                "INSERT INTO big.t SELECT seq, REPEAT('x', 200) FROM big.seq_1_to_1500000");
        MysqlDumpStep dump = new MysqlDumpStep("big.sql");
        dump.setServer(server);
        dump.setDatabases(List.of("big"));
        dump.setCompress("none");
        MysqlDumpStep.Execution execution = (MysqlDumpStep.Execution) dump.start(context());
        java.util.concurrent.atomic.AtomicReference<Throwable> outcome = new java.util.concurrent.atomic
                .AtomicReference<>();
        Thread build = new Thread(() -> {
            try {
                execution.run();
                outcome.set(new AssertionError("the dump finished before it was aborted"));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        build.start();
        Path partial = temp.resolve("workspace/big.sql.partial");
        Deadline deadline = Deadline.after(java.time.Duration.ofSeconds(30));
        while (!(Files.exists(partial) && Files.size(partial) > 0) && !deadline.hasExpired() && build.isAlive()) {
            Thread.onSpinWait();
        }
        build.interrupt(); // what aborting the build does to the thread waiting on the agent
        Deadline gone = Deadline
                .after(java.time.Duration.ofSeconds(5));
        build.join(5_000);
        assertFalse(build.isAlive(), "the step did not return within 5 s of the abort");
        assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
        assertTrue(new LocalHost().processes().stream().noneMatch(p -> !p.hasExited()
                && p.commandLine().stream().anyMatch(a -> a.endsWith("mariadb-dump"))), "the dump tool still runs");
        assertFalse(gone.hasExpired());
        assertFalse(Files.exists(partial), "partial file left behind");
        assertFalse(Files.exists(temp.resolve("workspace/big.sql")));
        DumpRecord shown = run.getAction(DumpsAction.class).records().get(0);
        assertEquals("aborted while dumping", shown.getFailure());
        assertEquals("big.sql", shown.getFile());
    }

    @Test
    void dumpOfAServerOnAnotherNodeIsRefused() throws Exception {
        MysqlDumpStep dump = new MysqlDumpStep("x.sql.gz");
        dump.setServer(Map.of("node", "db-agent-7", "port", 3306L));
        dump.setDatabases(List.of("x"));
        AbortException refused = assertThrows(AbortException.class,
                () -> ((MysqlDumpStep.Execution) dump.start(context())).run());
        assertTrue(refused.getMessage().contains("node db-agent-7"), refused.getMessage());
        assertTrue(refused.getMessage().contains("the built-in node"), refused.getMessage());
    }

    @Test
    void missingPasswordVariableNamesItAndWithCredentials() {
        MysqlDumpStep dump = new MysqlDumpStep("x.sql.gz");
        dump.setPort(3306);
        dump.setDatabases(List.of("x"));
        dump.setPasswordVariable("NOT_BOUND");
        AbortException refused = assertThrows(AbortException.class,
                () -> ((MysqlDumpStep.Execution) dump.start(context())).run());
        assertTrue(refused.getMessage().contains("NOT_BOUND"), refused.getMessage());
        assertTrue(refused.getMessage().contains("withCredentials"), refused.getMessage());
    }

    @Test
    void outputOutsideTheWorkspaceIsRefusedBeforeAnythingRuns() throws Exception {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.createSymbolicLink(temp.resolve("workspace/escape"), outside);
        for (String output : List.of("../outside/x.sql.gz", "/tmp/x.sql.gz", "escape/x.sql.gz")) {
            MysqlDumpStep dump = new MysqlDumpStep(output);
            dump.setPort(1);
            dump.setDatabases(List.of("x"));
            AbortException refused = assertThrows(AbortException.class,
                    () -> ((MysqlDumpStep.Execution) dump.start(context())).run(), output);
            assertTrue(refused.getMessage().contains("workspace"), output + ": " + refused.getMessage());
        }
        try (var entries = Files.list(outside)) {
            assertEquals(0, entries.count(), "something was written outside the workspace");
        }
        // refused on the node, once the dump had begun: the build's page shows it as a failed dump
        List<DumpRecord> recorded = run.getAction(DumpsAction.class).records();
        assertEquals(1, recorded.size());
        assertEquals("escape/x.sql.gz", recorded.get(0).getFile());
        assertTrue(recorded.get(0).getFailure().contains("leads out of the workspace"), recorded.get(0).getFailure());
    }

    @Test
    void parallelVerifiedDumpThroughTheBuilderWritesACheckedDirectory() throws Exception {
        Map<String, Object> server = startServer("data");
        TestServers.sql(ServerHandle.fromMap(server), "CREATE DATABASE shop",
                "CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO shop.t SELECT seq, CONCAT('v', seq) FROM shop.seq_1_to_1000",
                "CREATE USER 'b'@'127.0.0.1' IDENTIFIED BY 'Fs-secret'", "GRANT ALL ON *.* TO 'b'@'127.0.0.1'");
        MysqlDumpStep shop = new MysqlDumpStep("out/shop"); // no port: the server this build started
        shop.setUser("b");
        shop.setDatabases(List.of("shop"));
        shop.setMethod("parallel");
        shop.setThreads(2);
        shop.setVerify(true);
        MysqlDumpBuilder dump = new MysqlDumpBuilder(shop);
        dump.setPassword(Secret.fromString("Fs-secret"));
        dump.perform(run, workspace, environment, null, listener);

        Path directory = temp.resolve("workspace/out/shop");
        assertTrue(Files.isRegularFile(directory.resolve("metadata.json")), listener.log());
        Map<String, Object> manifest = Json.parseObject(Files.readString(temp.resolve("workspace/out/shop.json")));
        assertEquals("directory", manifest.get("format"));
        assertEquals(true, manifest.get("verified"));
        assertTrue(listener.log().contains("all 1 tables match the source"), listener.log());
        assertFalse(listener.log().contains("Fs-secret"));
        DumpRecord shown = run.getAction(DumpsAction.class).records().get(0);
        assertTrue(shown.isVerified() && shown.isDirectory(), shown.getMethod());
        assertEquals("1", shown.getTables());
        assertEquals("1,000", shown.getRows());
        assertEquals("out/shop", shown.getFile());
    }

    @Test
    void badThreadsOrMethodFailTheDumpBeforeAnythingRuns() {
        for (Map.Entry<String, Integer> bad : Map.of("parallel", 65, "mysqldump", 2, "mydumper", 0).entrySet()) {
            MysqlDumpStep dump = new MysqlDumpStep("x");
            dump.setPort(1);
            dump.setDatabases(List.of("x"));
            dump.setMethod(bad.getKey());
            dump.setThreads(bad.getValue());
            AbortException refused = assertThrows(AbortException.class,
                    () -> ((MysqlDumpStep.Execution) dump.start(context())).run(), bad.toString());
            assertTrue(refused.getMessage().startsWith("mysqlDump: "), refused.getMessage());
            assertTrue(refused.getMessage().contains(bad.getValue() == 0 ? "method" : "threads"),
                    refused.getMessage());
        }
        assertFalse(Files.exists(temp.resolve("workspace/x")));
        assertFalse(Files.exists(temp.resolve("workspace/x.partial")));
    }

    @Test
    void stepsOutsideANodeFailWithAMessageAboutNode() {
        TestBuilds.Context noNode = new TestBuilds.Context(null, run, listener, environment);
        AbortException refused = assertThrows(AbortException.class,
                () -> ((MysqlStartStep.Execution) new MysqlStartStep("/x").start(noNode)).run());
        assertTrue(refused.getMessage().contains("inside node"), refused.getMessage());
        assertNotNull(assertThrows(AbortException.class,
                () -> ((MysqlStopStep.Execution) new MysqlStopStep().start(noNode)).run()));
    }

    /** The node's channel, in this JVM: what the controller uses to reach an agent. */
    static final VirtualChannel LOCAL_CHANNEL = new VirtualChannel() {
        @Override
        public <V, T extends Throwable> V call(Callable<V, T> callable) throws T {
            return callable.call();
        }
    };
}
