package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.BinlogCoordinates;
import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreResult;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreSpec;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.Signal;
import io.jenkins.plugins.mysqllifecycle.engine.SshKey;
import io.jenkins.plugins.mysqllifecycle.engine.SshTarget;
import io.jenkins.plugins.mysqllifecycle.engine.StopResult;
import io.jenkins.plugins.mysqllifecycle.engine.StopSpec;
import io.jenkins.plugins.mysqllifecycle.engine.StopTimeoutException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;


import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What crosses the controller–agent channel survives Java serialization, as remoting needs. */
class SerializationTest {

    @SuppressWarnings("unchecked")
    static <T extends Serializable> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    private static final ServerSpec SERVER_SPEC = spec();
    private static final ServerHandle HANDLE = new ServerHandle("localhost", 4242, 3307, "/d/mysqld.sock",
            "/d/mysqld.pid", "/d", "/d/error.log", "10.11.19-MariaDB", Flavor.MARIADB,
            Instant.parse("2026-11-27T10:00:00Z"), 85, 123456);

    private static ServerSpec spec() {
        try {
            return ServerSpec.builder("/d").port(3307).initialize(true).readyTimeout(Duration.ofSeconds(9))
                    .osUser("mysql").build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static DumpSpec dumpSpec() throws Exception {
        return DumpSpec.builder().port(3307).user("backup").password(Password.of("s3cret-value"))
                .databases(List.of("a", "b")).output("/w/x.sql.gz").compression(Compression.GZIP)
                .timeout(Duration.ofMinutes(5)).build();
    }

    @Test
    void specsAndResultsRoundTripEqual() throws Exception {
        assertEquals(SERVER_SPEC, roundTrip(SERVER_SPEC));
        assertEquals(HANDLE, roundTrip(HANDLE));
        StopSpec stop = StopSpec.of(HANDLE, Duration.ofSeconds(120), true);
        assertEquals(stop, roundTrip(stop));
        StopResult stopped = new StopResult(4242, 15, Signal.SIGTERM, false, false);
        assertEquals(stopped, roundTrip(stopped));
        DumpResult dumped = new DumpResult("/w/x.sql.gz", "/w/x.sql.gz.json", 10, "ab", Compression.GZIP,
                List.of("a"), false, "10.11", "mariadb-dump", "10.11", Instant.EPOCH, 5, 20, DumpResult.FILE, true,
                BinlogCoordinates.at("binlog.000003", 4242, "0-1-42"), List.of("x-old.sql.gz"));
        assertEquals(dumped, roundTrip(dumped));
        RestoreSpec restore = restoreSpec();
        assertEquals(restore.input(), roundTrip(restore).input());
        assertEquals(restore.threads(), roundTrip(restore).threads());
        RestoreResult restored = new RestoreResult("/w/shop", DumpResult.DIRECTORY, 3, 20003, 123456, 789);
        assertEquals(restored, roundTrip(restored));
        DumpSpec parallel = DumpSpec.builder().port(3307).user("backup").databases(List.of("a")).output("/w/a")
                .method(DumpMethod.PARALLEL).threads(3).verify(true).build();
        DumpSpec parallelCopy = roundTrip(parallel);
        assertEquals(DumpMethod.PARALLEL, parallelCopy.method());
        assertEquals(3, parallelCopy.threads());
        assertEquals(true, parallelCopy.verify());
    }

    private static RestoreSpec restoreSpec() throws Exception {
        return RestoreSpec.builder().port(3307).user("loader").password(Password.of("restore-pw-31"))
                .input("/w/backup/shop").threads(2).timeout(Duration.ofMinutes(7)).clientTool("/usr/bin/mariadb")
                .build();
    }

    @Test
    void restoreSpecKeepsThePasswordButNeverPrintsIt() throws Exception {
        RestoreSpec copy = roundTrip(restoreSpec());
        assertEquals(Duration.ofMinutes(7), copy.timeout());
        assertEquals("/usr/bin/mariadb", copy.clientTool());
        assertEquals(true, copy.password().appearsIn("x restore-pw-31 y"));
        assertFalse(copy.toString().contains("restore-pw-31"), copy.toString());
    }

    @Test
    void dumpSpecKeepsThePasswordButNeverPrintsIt() throws Exception {
        DumpSpec copy = roundTrip(dumpSpec());
        assertEquals(dumpSpec().databases(), copy.databases());
        assertNotNull(copy.password());
        assertEquals(true, copy.password().appearsIn("x s3cret-value y"));
        assertFalse(copy.toString().contains("s3cret-value"), copy.toString());
    }

    @Test
    void callablesAndEngineExceptionsRoundTrip() throws Exception {
        TestBuilds.Listener listener = new TestBuilds.Listener();
        SshTarget ssh = SshTarget.of("backup@db-7:2222", "/agent/tmp/key", Password.of("key-pass-77"), null, null,
                SshTarget.HostKeyCheck.ACCEPT_NEW);
        assertEquals(ssh.describe(), roundTrip(ssh).describe());
        assertFalse(ssh.toString().contains("key-pass-77"), ssh.toString());
        assertNotNull(roundTrip(new EngineCall.Start(SERVER_SPEC, ssh, listener)));
        assertNotNull(roundTrip(new EngineCall.Dump(dumpSpec(), "/w", null, listener)));
        assertNotNull(roundTrip(new EngineCall.Restore(restoreSpec(), "/w", ssh, listener)));
        assertNotNull(roundTrip(new EngineCall.Stop(StopSpec.of(HANDLE, Duration.ofSeconds(5), false), ssh,
                listener)));
        EngineException failure = roundTrip(new EngineException("the cause and the fix"));
        assertEquals("the cause and the fix", failure.getMessage());
        StopTimeoutException timeout = roundTrip(new StopTimeoutException("late",
                new StopResult(1, 2, Signal.SIGKILL, true, false)));
        assertEquals(true, timeout.result().forced());
    }

    @Test
    void sshTargetWithKeysGivenAsTextKeepsThemButNeverPrintsThem() throws Exception {
        String key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0\n"
                + "-----END OPENSSH PRIVATE KEY-----\n";
        java.util.List<SshKey> keys = new java.util.ArrayList<>(java.util.List.of(SshKey.of(key)));
        SshTarget ssh = SshTarget.withKeys("backup", "db-7", 2222, keys, Password.of("key-pass-78"), null,
                SshTarget.HostKeyCheck.STRICT);
        keys.clear();
        assertEquals(1, ssh.identityKeys().size(), "the target holds its own list");
        SshTarget copy = roundTrip(ssh);
        assertEquals(key, new String(copy.identityKeys().get(0).reveal(), StandardCharsets.UTF_8));
        byte[] revealed = copy.identityKeys().get(0).reveal();
        java.util.Arrays.fill(revealed, (byte) 0); // as JSch clears what it is given
        assertEquals(key, new String(copy.identityKeys().get(0).reveal(), StandardCharsets.UTF_8));
        for (String text : java.util.List.of(ssh.toString(), copy.toString(), ssh.describe(), ssh.describeKey())) {
            assertFalse(ssh.identityKeys().get(0).appearsIn(text), text);
            assertFalse(text.contains("key-pass-78"), text);
        }
        assertNotNull(roundTrip(new EngineCall.Stop(StopSpec.of(HANDLE, Duration.ofSeconds(5), false), ssh,
                new TestBuilds.Listener())));
    }

    @Test
    void stepReturnValuesHoldOnlyPlainSerializableValues() throws Exception {
        java.util.Map<String, Object> server = ServerMaps.toMap(HANDLE, "agent-1");
        assertEquals(server, roundTrip(new java.util.LinkedHashMap<>(server)));
        for (Object value : server.values()) {
            assertEquals(true, value == null || value instanceof String || value instanceof Number
                    || value instanceof Boolean, "not a plain value: " + value);
        }
        assertFalse(new String(serialize(server), StandardCharsets.ISO_8859_1).contains("engine.Flavor"),
                "an engine class leaked into the pipeline's saved state");
        java.util.Map<String, Object> restored = new java.util.LinkedHashMap<>(new RestoreResult("/w/shop",
                DumpResult.DIRECTORY, 3, 20003, 123456, 789).toMap());
        assertEquals(restored, roundTrip(new java.util.LinkedHashMap<>(restored)));
        for (Object value : restored.values()) {
            assertEquals(true, value instanceof String || value instanceof Number, "not a plain value: " + value);
        }
    }

    private static byte[] serialize(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }
}
