package io.jenkins.plugins.mysqllifecycle;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.Signal;
import io.jenkins.plugins.mysqllifecycle.engine.SshKey;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.testing.SecretScan;
import io.jenkins.plugins.mysqllifecycle.testing.SshTestHosts;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Descriptor;
import hudson.model.Run;
import hudson.util.Secret;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * credentialsId: steps and builders log in with credentials of the store, fed through {@link JobCredentials#lookup}
 * (the seam a real Jenkins answers with CredentialsProvider), against real servers and a real sshd. The secrets reach
 * nothing but the server and JSch; every bad combination fails before anything runs.
 */
class CredentialsTest {
    private static final String PASSWORD = "cred-pw-\"q'#7 Zürich";
    private static final String RSA_PASSPHRASE = "rsa-passphrase-Kx4";

    @TempDir
    Path temp;

    private FilePath workspace;
    private final TestBuilds.TestRun run = new TestBuilds.TestRun();
    private final TestBuilds.Listener listener = new TestBuilds.Listener();
    private final Store store = new Store();

    /** The credentials store as a build sees it: what it may use, and what it recorded as used. */
    static final class Store implements JobCredentials.Lookup {
        final Map<String, IdCredentials> credentials = new HashMap<>();
        /** Credentials that exist but that the build may not use: CredentialsProvider does not return them. */
        final Set<String> forbidden = new HashSet<>();
        final List<String> tracked = new ArrayList<>();

        @Override
        public IdCredentials find(String id, Run<?, ?> run) {
            return forbidden.contains(id) ? null : credentials.get(id);
        }

        @Override
        public void track(Run<?, ?> run, Credentials credentials) {
            tracked.add(((Id) credentials).id());
        }
    }

    interface Id {
        String id();
    }

    /** What the credentials plugin's UsernamePasswordCredentialsImpl gives the plugin. */
    record UserPassword(String id, String user, String password) implements StandardUsernamePasswordCredentials, Id {
        @Override
        public String getUsername() {
            return user;
        }

        @Override
        public Secret getPassword() {
            return Secret.fromString(password);
        }

        @Override
        public Descriptor<Credentials> getDescriptor() {
            throw new UnsupportedOperationException("not needed");
        }
    }

    /** What ssh-credentials' BasicSSHUserPrivateKey gives the plugin. */
    record SshKeyCredential(String id, String user, List<String> keys, String passphrase)
            implements SSHUserPrivateKey, Id {
        @Override
        public String getUsername() {
            return user;
        }

        @Override
        public Secret getPassphrase() {
            return passphrase == null ? null : Secret.fromString(passphrase);
        }

        @Override
        public List<String> getPrivateKeys() {
            return keys;
        }

        @Override
        public Descriptor<Credentials> getDescriptor() {
            throw new UnsupportedOperationException("not needed");
        }

        @Override
        public String toString() {
            return "SshKeyCredential[" + id + "]";
        }
    }

    /** A secret text credential: the wrong type for every option here. */
    record SecretText(String id) implements StandardCredentials, Id {
        @Override
        public Descriptor<Credentials> getDescriptor() {
            throw new UnsupportedOperationException("not needed");
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        TestServers.traversable(temp);
        workspace = new FilePath(Files.createDirectories(temp.resolve("workspace")).toFile());
        JobCredentials.lookup = store;
    }

    @AfterEach
    void tearDown() {
        JobCredentials.lookup = JobCredentials.STORE;
        StopServersWhenBuildEnds.stopLeftovers(run, listener, node -> StepsOnRealServerTest.LOCAL_CHANNEL);
    }

    private TestBuilds.Context context(EnvVars environment) {
        return new TestBuilds.Context(workspace, run, listener, environment);
    }

    private TestBuilds.Context context() {
        return context(new EnvVars());
    }

    private Map<String, Object> startServer(String name) throws Exception {
        MysqlStartStep start = new MysqlStartStep(temp.resolve(name).toString());
        start.setInitialize(true);
        return ((MysqlStartStep.Execution) start.start(context())).run();
    }

    @Test
    void aUsernamePasswordCredentialDumpsAndRestoresARealServer() throws Exception {
        Map<String, Object> server = startServer("data");
        ServerHandle handle = ServerHandle.fromMap(server);
        TestServers.sql(handle, "CREATE DATABASE shop CHARACTER SET utf8mb4",
                "CREATE TABLE shop.t (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO shop.t SELECT seq, CONCAT('n', seq) FROM shop.seq_1_to_300000",
                "CREATE USER 'backup'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD.replace("'", "''") + "'",
                "GRANT ALL ON *.* TO 'backup'@'127.0.0.1'");
        store.credentials.put("db-backup", new UserPassword("db-backup", "backup", PASSWORD));

        MysqlDumpStep dump = new MysqlDumpStep("backup/shop.sql.gz");
        dump.setServer(server);
        dump.setCredentialsId("db-backup"); // no user: the credential's
        dump.setDatabases(List.of("shop"));
        CompletableFuture<Map<String, Object>> dumping = CompletableFuture.supplyAsync(() -> {
            try {
                return ((MysqlDumpStep.Execution) dump.start(context())).run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        SecretScan.whileRunning(dumping, List.of(PASSWORD), "mariadb-dump");
        Map<String, Object> dumped = dumping.get();
        assertEquals(List.of("db-backup"), store.tracked, "the build's use of the credential is recorded");

        Map<String, String> before = TestServers.checksums(handle, "shop");
        TestServers.sql(handle, "DROP DATABASE shop");
        // the freestyle builder: the step's credentialsId, no stored password
        MysqlRestoreStep restore = new MysqlRestoreStep((String) dumped.get("file"));
        restore.setCredentialsId("db-backup");
        restore.setUser("backup"); // the credential's own user may be given
        MysqlRestoreBuilder builder = new MysqlRestoreBuilder(restore);
        CompletableFuture<Void> restoring = CompletableFuture.runAsync(() -> {
            try {
                builder.perform(run, workspace, new EnvVars(), null, listener);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        SecretScan.whileRunning(restoring, List.of(PASSWORD), "mariadbd");
        restoring.get();
        assertEquals(List.of("db-backup", "db-backup"), store.tracked);
        assertEquals(Set.of("t"), before.keySet());
        assertEquals(before, TestServers.checksums(handle, "shop"));

        String everythingSaid = listener.log() + Json.write(dumped) + Files.readString(Path.of((String)
                dumped.get("manifest"))) + fieldsOf(dump) + fieldsOf(restore) + fieldsOf(builder);
        assertFalse(everythingSaid.contains(PASSWORD), "the password leaked: " + everythingSaid);
        assertTrue(fieldsOf(dump).contains("db-backup"), "the step keeps the id");
    }

    @Test
    void sshKeyCredentialsReachAGuestWithEd25519AndRsaKeysWithAndWithoutPassphrase() throws Exception {
        try (SshTestHosts machines = SshTestHosts.start(Files.createDirectories(temp.resolve("ssh")), 1)) {
            SshTestHosts.TestHost guest = machines.hosts.get(0);
            List<SshKeyCredential> credentials = List.of(
                    new SshKeyCredential("ed25519-locked", "root", List.of(Files.readString(machines.clientKey)),
                            SshTestHosts.KEY_PASSPHRASE),
                    new SshKeyCredential("ed25519-plain", "root", List.of(Files.readString(
                            machines.authorizedKey("ed25519", ""))), null),
                    new SshKeyCredential("rsa-locked", "root", List.of(Files.readString(
                            machines.authorizedKey("rsa", RSA_PASSPHRASE))), RSA_PASSPHRASE),
                    new SshKeyCredential("rsa-plain", "root", List.of(Files.readString(
                            machines.authorizedKey("rsa", ""))), ""));
            List<String> secrets = new ArrayList<>(List.of(SshTestHosts.KEY_PASSPHRASE, RSA_PASSPHRASE));
            for (SshKeyCredential credential : credentials) {
                store.credentials.put(credential.id(), credential);
                secrets.addAll(keyLines(credential.keys().get(0)));
            }

            Map<String, Object> server;
            MysqlStartStep start = new MysqlStartStep(temp.resolve("guest-data").toString());
            start.setInitialize(true);
            start.setSsh(ssh(guest, machines, "ed25519-locked", null));
            server = ((MysqlStartStep.Execution) start.start(context())).run();
            long pid = ServerMaps.number(server, "pid");
            try {
                assertEquals("root@" + guest.address() + (guest.port() == 22 ? "" : ":" + guest.port()),
                        server.get("host"));
                List<Map<String, Object>> results = new ArrayList<>();
                for (SshKeyCredential credential : credentials) {
                    MysqlDumpStep dump = new MysqlDumpStep("guest/" + credential.id() + ".sql.gz");
                    dump.setServer(server);
                    dump.setAllDatabases(true);
                    // the credential's user, or the same user given again
                    dump.setSsh(ssh(guest, machines, credential.id(), credential.id().startsWith("rsa") ? "root"
                            : null));
                    CompletableFuture<Map<String, Object>> dumping = CompletableFuture.supplyAsync(() -> {
                        try {
                            return ((MysqlDumpStep.Execution) dump.start(context())).run();
                        } catch (Exception e) {
                            throw new IllegalStateException(credential.id(), e);
                        }
                    });
                    SecretScan.whileRunning(dumping, secrets, "mariadbd");
                    Map<String, Object> dumped = dumping.get();
                    assertTrue(Files.size(temp.resolve("workspace/guest/" + credential.id() + ".sql.gz")) > 0);
                    results.add(dumped);
                    String said = Json.write(dumped) + Files.readString(Path.of((String) dumped.get("manifest")))
                            + fieldsOf(dump) + fieldsOf(dump.getSsh());
                    assertNoSecret(said, secrets);
                }
                MysqlStopStep stop = new MysqlStopStep();
                stop.setSsh(ssh(guest, machines, "rsa-plain", null));
                ((MysqlStopStep.Execution) stop.start(context())).run();
                assertTrue(new LocalHost().process(pid).map(p -> p.hasExited()).orElse(true));
                assertEquals(List.of("ed25519-locked", "ed25519-locked", "ed25519-plain", "rsa-locked",
                        "rsa-plain", "rsa-plain"), store.tracked);
                assertNoSecret(listener.log(), secrets);
                assertNoSecret(filesUnder(temp.resolve("workspace")), secrets);
            } finally {
                new LocalHost().signal(pid, Signal.SIGKILL);
            }
        }
    }

    private static SshOptions ssh(SshTestHosts.TestHost guest, SshTestHosts machines, String credentialsId,
                                  String user) {
        SshOptions ssh = new SshOptions(guest.address(), user);
        ssh.setPort(guest.port());
        ssh.setCredentialsId(credentialsId);
        ssh.setKnownHostsFile(machines.knownHosts.toString());
        return ssh;
    }

    /** Each bad combination fails at once, naming what is wrong, before a connection, a process or a file. */
    @Test
    void badInputFailsBeforeAnythingRuns() throws Exception {
        store.credentials.put("db", new UserPassword("db", "backup", PASSWORD));
        store.credentials.put("key", new SshKeyCredential("key", "deploy", List.of("-----BEGIN OPENSSH PRIVATE"
                + " KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n"),
                null));
        store.credentials.put("text", new SecretText("text"));
        store.credentials.put("elsewhere", new UserPassword("elsewhere", "x", PASSWORD));
        store.forbidden.add("elsewhere");
        EnvVars environment = new EnvVars(Map.of("DB_PW", PASSWORD, "KEY", "/nonexistent/key"));

        // a dump's and a restore's account: port 1, where nothing listens, so any attempt would fail differently
        expectDumpRefused("missing", null, null, null, environment, "'missing'", "Username with password");
        expectDumpRefused("elsewhere", null, null, null, environment, "'elsewhere'", "Username with password");
        expectDumpRefused("key", null, null, null, environment, "'key'", "Username with password");
        expectDumpRefused("text", null, null, null, environment, "'text'", "Username with password");
        expectDumpRefused("db", null, "DB_PW", null, environment, "not both", "passwordVariable");
        expectDumpRefused("db", "root", null, null, environment, "user 'root'", "'db'");
        expectDumpRefused("db", null, null, Secret.fromString("stored"), environment, "stored password", "'db'");
        MysqlRestoreStep restore = new MysqlRestoreStep("in.sql");
        Files.writeString(temp.resolve("workspace/in.sql"), "SELECT 1;\n");
        restore.setPort(1);
        restore.setCredentialsId("key");
        AbortException wrongType = assertThrows(AbortException.class,
                () -> ((MysqlRestoreStep.Execution) restore.start(context(environment))).run());
        assertTrue(wrongType.getMessage().startsWith("mysqlRestore: ") && wrongType.getMessage().contains("'key'")
                && wrongType.getMessage().contains("Username with password"), wrongType.getMessage());

        // ssh: a start on an address that answers nothing (TEST-NET-1), so any attempt would time out instead
        expectStartRefused("missing", null, null, environment, "'missing'", "SSH Username with private key");
        expectStartRefused("elsewhere", null, null, environment, "'elsewhere'", "SSH Username with private key");
        expectStartRefused("db", null, null, environment, "'db'", "SSH Username with private key");
        expectStartRefused("key", null, "KEY", environment, "not both", "identityVariable");
        expectStartRefused("key", "root", null, environment, "user 'root'", "'key'");
        SshOptions passphraseToo = new SshOptions("192.0.2.1", null);
        passphraseToo.setCredentialsId("key");
        passphraseToo.setPassphraseVariable("DB_PW");
        MysqlStopStep stop = new MysqlStopStep();
        stop.setSsh(passphraseToo);
        stop.setPid(12345);
        AbortException both = assertThrows(AbortException.class,
                () -> ((MysqlStopStep.Execution) stop.start(context(environment))).run());
        assertTrue(both.getMessage().contains("not both"), both.getMessage());

        assertEquals(List.of(), store.tracked, "a refused step used no credential");
        assertTrue(run.getAction(ServersAction.class) == null
                || run.getAction(ServersAction.class).getServers().isEmpty(), "a server was started");
        try (Stream<Path> files = Files.list(temp.resolve("workspace"))) {
            assertEquals(List.of(temp.resolve("workspace/in.sql")), files.toList(), "something was written");
        }
        assertNoSecret(listener.log(), List.of(PASSWORD));
    }

    private void expectDumpRefused(String credentialsId, String user, String passwordVariable, Secret stored,
                                   EnvVars environment, String... expected) {
        MysqlDumpStep dump = new MysqlDumpStep("out/x.sql.gz");
        dump.setPort(1);
        dump.setDatabases(List.of("x"));
        dump.setCredentialsId(credentialsId);
        dump.setUser(user);
        dump.setPasswordVariable(passwordVariable);
        MysqlDumpBuilder builder = new MysqlDumpBuilder(dump);
        builder.setPassword(stored);
        long started = System.nanoTime();
        AbortException refused = assertThrows(AbortException.class,
                () -> builder.perform(run, workspace, environment, null, listener), credentialsId);
        assertTrue(refused.getMessage().startsWith("mysqlDump: "), refused.getMessage());
        for (String part : expected) {
            assertTrue(refused.getMessage().contains(part), refused.getMessage() + " does not name " + part);
        }
        assertFalse(refused.getMessage().contains(PASSWORD), refused.getMessage());
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "took long enough to have tried something");
    }

    private void expectStartRefused(String credentialsId, String user, String identityVariable,
                                    EnvVars environment, String... expected) {
        SshOptions ssh = new SshOptions("192.0.2.1", user);
        ssh.setCredentialsId(credentialsId);
        ssh.setIdentityVariable(identityVariable);
        MysqlStartStep start = new MysqlStartStep(temp.resolve("never").toString());
        start.setInitialize(true);
        start.setSsh(ssh);
        long started = System.nanoTime();
        AbortException refused = assertThrows(AbortException.class,
                () -> ((MysqlStartStep.Execution) start.start(context(environment))).run(), credentialsId);
        assertTrue(refused.getMessage().startsWith("mysqlStart: "), refused.getMessage());
        for (String part : expected) {
            assertTrue(refused.getMessage().contains(part), refused.getMessage() + " does not name " + part);
        }
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "took long enough to have tried to connect");
        assertFalse(Files.exists(temp.resolve("never")), "the data directory was created");
    }

    @Test
    void aKeyCredentialWithoutKeysIsRefused() {
        store.credentials.put("empty", new SshKeyCredential("empty", "root", List.of(" "), null));
        SshOptions ssh = new SshOptions("192.0.2.1", null);
        ssh.setCredentialsId("empty");
        AbortException refused = assertThrows(AbortException.class, () -> ssh.target(run, new EnvVars(), "mysqlStop"));
        assertTrue(refused.getMessage().contains("'empty'") && refused.getMessage().contains("no private key"),
                refused.getMessage());
    }

    /** Every field of a step or option object, as text: what Jenkins would save of it. */
    private static String fieldsOf(Object object) throws IllegalAccessException {
        StringBuilder text = new StringBuilder();
        for (Class<?> type = object.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (!java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                    field.setAccessible(true);
                    Object value = field.get(object);
                    text.append(field.getName()).append('=').append(value instanceof Secret secret
                            ? secret.getPlainText() : value).append('\n');
                }
            }
        }
        return text.toString();
    }

    /** The body lines of a private key, which must appear nowhere. */
    private static List<String> keyLines(String key) {
        List<String> lines = new ArrayList<>();
        for (String line : key.split("\\R")) {
            if (line.length() >= 16 && !line.startsWith("-----")) {
                lines.add(line);
            }
        }
        assertFalse(lines.isEmpty());
        assertTrue(SshKey.of(key).appearsIn(String.join("\n", lines)));
        return lines;
    }

    private static void assertNoSecret(String text, List<String> secrets) {
        for (String secret : secrets) {
            assertFalse(text.contains(secret), "a secret leaked: " + secret);
        }
    }

    private static String filesUnder(Path directory) throws Exception {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                text.append(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }
}
