package io.jenkins.plugins.mysqllifecycle.engine.server;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.Signal;
import io.jenkins.plugins.mysqllifecycle.engine.StopResult;
import io.jenkins.plugins.mysqllifecycle.engine.StopSpec;
import io.jenkins.plugins.mysqllifecycle.engine.StopTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.engine.util.WaitLoop;
import io.jenkins.plugins.mysqllifecycle.testing.FakeServers;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

class ServerStopperTest {
    @TempDir
    Path temp;

    private final LocalHost host = new LocalHost();
    private Process fake;

    @AfterEach
    void killFake() {
        if (fake != null) {
            fake.destroyForcibly();
        }
    }

    private ServerStopper stopper() {
        return new ServerStopper(host, TestServers.quietLog());
    }

    @Test
    void stopTimesOutWhenServerIgnoresSigtermAndLeavesItRunning() throws Exception {
        Path pidFile = temp.resolve("mysqld.pid");
        fake = FakeServers.ignoringSigterm(temp, pidFile);
        Deadline took = Deadline.after(Duration.ZERO);
        StopTimeoutException timedOut = assertThrows(StopTimeoutException.class,
                () -> stopper().stop(StopSpec.ofPidFile(pidFile.toString(), Duration.ofSeconds(2), false)));
        Duration elapsed = took.elapsed();
        assertTrue(elapsed.compareTo(Duration.ofSeconds(2)) >= 0, "gave up early: " + elapsed);
        assertTrue(elapsed.compareTo(Duration.ofMillis(3000)) < 0, "gave up late: " + elapsed);
        assertTrue(fake.isAlive(), "stop killed a server it was not allowed to kill");
        assertFalse(timedOut.result().forced());
        assertTrue(timedOut.getMessage().contains("pid " + fake.pid()), timedOut.getMessage());
        assertTrue(timedOut.getMessage().contains("still running"), timedOut.getMessage());
        assertTrue(Files.exists(pidFile), "the pid file of a running server was removed");
    }

    @Test
    void killAfterTimeoutEndsServerThatIgnoresSigtermAndSaysForced() throws Exception {
        Path pidFile = temp.resolve("mysqld.pid");
        fake = FakeServers.ignoringSigterm(temp, pidFile);
        StopTimeoutException timedOut = assertThrows(StopTimeoutException.class,
                () -> stopper().stop(StopSpec.ofPidFile(pidFile.toString(), Duration.ofSeconds(1), true)));
        assertTrue(timedOut.result().forced());
        assertEquals(Signal.SIGKILL, timedOut.result().signal());
        assertTrue(fake.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "still running after SIGKILL");
        assertEquals(137, fake.exitValue());
        assertFalse(Files.exists(pidFile), "stale pid file left after SIGKILL");
    }

    @Test
    void stopSeesExitWithinMilliseconds() throws Exception {
        Path pidFile = temp.resolve("mysqld.pid");
        fake = FakeServers.obeyingSigterm(temp, pidFile);
        StopResult stop = stopper().stop(StopSpec.ofPid(fake.pid(), FakeServers.startTicks(fake.pid()),
                Duration.ofSeconds(30), false));
        assertEquals(Signal.SIGTERM, stop.signal());
        assertFalse(stop.alreadyStopped());
        // sh runs its trap after the current 50 ms sleep ends; seeing the exit must not add a second-long pause
        assertTrue(stop.millis() < 500, "took " + stop.millis() + " ms");
    }

    @Test
    void stalePidFileOfDeadProcessIsAlreadyStoppedAndRemoved() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path pidFile = temp.resolve("mysqld.pid");
        Files.writeString(pidFile, gone.pid() + "\n");
        StopResult stop = stopper().stop(StopSpec.ofPidFile(pidFile.toString(), Duration.ofSeconds(5), false));
        assertTrue(stop.alreadyStopped());
        assertNull(stop.signal());
        assertFalse(Files.exists(pidFile));
    }

    @Test
    void livePidThatIsNotAServerIsRefusedAndNotSignalled() throws Exception {
        fake = new ProcessBuilder("sleep", "60").start();
        Path pidFile = temp.resolve("mysqld.pid");
        Files.writeString(pidFile, fake.pid() + "\n");
        EngineException refused = assertThrows(EngineException.class,
                () -> stopper().stop(StopSpec.ofPidFile(pidFile.toString(), Duration.ofSeconds(5), false)));
        assertTrue(refused.getMessage().contains("is not a MySQL or MariaDB server"), refused.getMessage());
        assertTrue(refused.getMessage().contains("sleep 60"), refused.getMessage());
        assertTrue(refused.getMessage().contains("stale"), refused.getMessage());
        assertTrue(fake.isAlive(), "a process that is not a server was signalled");
        assertTrue(Files.exists(pidFile));
    }

    /** argv[0] and the process name are the program's to set; the executable decides, as README says. */
    @Test
    void aProcessThatOnlyCallsItselfMysqldIsRefusedAndNotSignalled() throws Exception {
        List<List<String>> impostors = List.of(
                List.of("bash", "-c", "exec -a mysqld sleep 60"),
                List.of("python3", "-c", "import ctypes, time\nctypes.CDLL(None).prctl(15, b'mysqld', 0, 0, 0)\n"
                        + "time.sleep(60)"));
        for (List<String> impostor : impostors) {
            fake = new ProcessBuilder(impostor).start();
            long pid = fake.pid();
            new WaitLoop(Duration.ofMillis(2), Duration.ofMillis(20)).await("the impostor's name", Deadline.after(
                    Duration.ofSeconds(10)), WaitLoop.Liveness.ALWAYS, () -> {
                        try {
                            ProcessInfo process = host.process(pid).orElseThrow();
                            return process.comm().equals("mysqld") || !process.commandLine().isEmpty()
                                    && process.commandLine().get(0).equals("mysqld") ? java.util.Optional.of(true)
                                    : java.util.Optional.empty();
                        } catch (java.io.IOException e) {
                            throw new WaitLoop.NotYet(e.getMessage(), e);
                        }
                    });
            Path pidFile = temp.resolve("mysqld.pid");
            Files.writeString(pidFile, pid + "\n");
            EngineException refused = assertThrows(EngineException.class,
                    () -> stopper().stop(StopSpec.ofPidFile(pidFile.toString(), Duration.ofSeconds(5), false)),
                    String.join(" ", impostor));
            assertTrue(refused.getMessage().contains("is not a MySQL or MariaDB server"), refused.getMessage());
            assertTrue(fake.isAlive(), "a process that only calls itself mysqld was signalled: " + impostor);
            fake.destroyForcibly();
        }
    }

    @Test
    void recycledPidOfAnotherServerIsNotSignalled() throws Exception {
        Path pidFile = temp.resolve("mysqld.pid");
        fake = FakeServers.obeyingSigterm(temp, pidFile);
        long realTicks = FakeServers.startTicks(fake.pid());
        // A start record for an earlier server that had the same pid but started at another time.
        ServerHandle earlier = new ServerHandle("localhost", fake.pid(), 3306, "/tmp/x.sock", pidFile.toString(),
                temp.toString(), temp + "/error.log", "10.11", Flavor.MARIADB, Instant.now(), 1, realTicks - 1);
        Files.writeString(Path.of(ServerHandle.recordPathFor(pidFile.toString())), Json.write(earlier.toMap()));
        StopResult stop = stopper().stop(StopSpec.ofPidFile(pidFile.toString(), Duration.ofSeconds(5), false));
        assertTrue(stop.alreadyStopped());
        assertNull(stop.signal());
        assertTrue(fake.isAlive(), "a recycled pid was signalled");
        assertTrue(Files.exists(pidFile), "the pid file of another live server was removed");

        StopResult byPid = stopper().stop(StopSpec.ofPid(fake.pid(), realTicks - 1, Duration.ofSeconds(5), false));
        assertTrue(byPid.alreadyStopped());
        assertTrue(fake.isAlive(), "a recycled pid was signalled");
    }

    @Test
    void secondStopOfTheSameServerSaysAlreadyStopped() throws Exception {
        ServerHandle server = TestServers.start(temp, "data");
        StopResult first = stopper().stop(StopSpec.ofPidFile(server.pidFile(), Duration.ofSeconds(60), false));
        assertFalse(first.alreadyStopped());
        assertFalse(Files.exists(Path.of(server.pidFile())));
        StopResult second = stopper().stop(StopSpec.ofPidFile(server.pidFile(), Duration.ofSeconds(60), false));
        assertTrue(second.alreadyStopped());
        assertEquals(server.pid(), second.pid());
    }

    @Test
    void serverKilledBeforeStopIsAlreadyStoppedAndItsPidFileRemoved() throws Exception {
        ServerHandle server = TestServers.start(temp, "data");
        host.signal(server.pid(), Signal.SIGKILL);
        new WaitLoop(Duration.ofMillis(1), Duration.ofMillis(10)).await("the server to die",
                Deadline.after(Duration.ofSeconds(10)), WaitLoop.Liveness.ALWAYS,
                () -> {
                    try {
                        return host.process(server.pid()).map(ProcessInfo::hasExited).orElse(true)
                                ? java.util.Optional.of(true) : java.util.Optional.empty();
                    } catch (java.io.IOException e) {
                        throw new WaitLoop.NotYet(e.getMessage(), e);
                    }
                });
        assertTrue(Files.exists(Path.of(server.pidFile())), "SIGKILL leaves the pid file behind");
        StopResult stop = stopper().stop(StopSpec.ofPidFile(server.pidFile(), Duration.ofSeconds(10), false));
        assertTrue(stop.alreadyStopped());
        assertFalse(Files.exists(Path.of(server.pidFile())));
    }

    @Test
    void missingPidFileWithoutStartRecordIsAnError() {
        EngineException missing = assertThrows(EngineException.class, () -> stopper().stop(
                StopSpec.ofPidFile(temp.resolve("nope.pid").toString(), Duration.ofSeconds(5), false)));
        assertTrue(missing.getMessage().contains("No pid file"), missing.getMessage());
    }

    @Test
    void pidFileWithGarbageIsAnError() throws Exception {
        Path pidFile = temp.resolve("mysqld.pid");
        Files.writeString(pidFile, "hello\n");
        EngineException bad = assertThrows(EngineException.class, () -> stopper().stop(
                StopSpec.ofPidFile(pidFile.toString(), Duration.ofSeconds(5), false)));
        assertTrue(bad.getMessage().contains("'hello'"), bad.getMessage());
    }

    @Test
    void specRejectsMissingTargetAndNonPositiveTimeout() {
        assertThrows(InvalidSpecException.class, () -> StopSpec.ofPid(0, 0, Duration.ofSeconds(1), false));
        assertThrows(InvalidSpecException.class, () -> StopSpec.ofPid(1, 0, Duration.ofSeconds(1), false));
        assertThrows(InvalidSpecException.class, () -> StopSpec.ofPidFile("/x.pid", Duration.ZERO, false));
    }

    /**
     * A stop by pid file while the server is still starting: the pid file is not there yet (MySQL writes it about a
     * second after spawn) and the start record, if any, is an earlier server's. Both flavors, since their start-up
     * windows differ (MariaDB's is under 0.1 s, MySQL's 1-2 s); the earlier run's record is the worse case, where the
     * stop used to say "alreadyStopped" and exit 0 while the new server kept running.
     */
    @ParameterizedTest
    @EnumSource(Flavor.class)
    void stopByPidFileWhileTheServerIsStartingStopsIt(Flavor flavor) throws Exception {
        TestServers.traversable(temp);
        Path run = Files.createDirectories(temp.resolve("run"));
        Files.setOwner(run, run.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("mysql"));
        String pidFile = run.resolve("server.pid").toString();
        ServerSpec spec = ServerSpec.builder(temp.resolve("data").toString()).initialize(true).pidFile(pidFile)
                .mysqld(TestServers.mysqld(flavor)).build();
        stopWhileStarting(spec, "no pid file and no start record yet");
        // an earlier run leaves its start record beside the pid file
        ServerHandle earlier = new ServerLauncher(host, TestServers.quietLog()).start(spec);
        stopper().stop(StopSpec.ofPidFile(pidFile, Duration.ofSeconds(60), true));
        assertTrue(Files.exists(Path.of(ServerHandle.recordPathFor(pidFile))), "no start record left");
        assertFalse(Files.exists(Path.of(pidFile)));
        stopWhileStarting(spec, "an earlier server's start record (pid " + earlier.pid() + ")");
    }

    private void stopWhileStarting(ServerSpec spec, String situation) throws Exception {
        java.util.concurrent.CompletableFuture<ServerHandle> start = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return new ServerLauncher(host, TestServers.quietLog()).start(spec);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
        ProcessInfo starting = null;
        try {
            Deadline spawned = Deadline.after(Duration.ofSeconds(60));
            while (starting == null && !spawned.hasExpired() && !start.isDone()) {
                starting = host.processes().stream().filter(p -> !p.hasExited() && p.isMysqlServer()
                        && p.option("--pid-file").filter(spec.pidFile()::equals).isPresent()).findFirst()
                        .orElse(null);
                Thread.sleep(2);
            }
            assertTrue(starting != null, situation + ": the server was never seen starting");
            StopResult stop = stopper().stop(StopSpec.ofPidFile(spec.pidFile(), Duration.ofSeconds(60), true));
            assertFalse(stop.alreadyStopped(), situation + ": a starting server was reported as stopped");
            assertEquals(starting.pid(), stop.pid(), situation);
            assertTrue(host.process(starting.pid()).map(ProcessInfo::hasExited).orElse(true),
                    situation + ": the server still runs");
        } finally {
            try {
                start.get(60, java.util.concurrent.TimeUnit.SECONDS); // ready before the stop, or stopped during start
            } catch (java.util.concurrent.ExecutionException stoppedWhileStarting) {
                // the launcher saw its server exit during start-up: that was the point
            }
            if (starting != null && host.process(starting.pid()).filter(p -> !p.hasExited()).isPresent()) {
                host.signal(starting.pid(), Signal.SIGKILL);
            }
        }
    }
}
