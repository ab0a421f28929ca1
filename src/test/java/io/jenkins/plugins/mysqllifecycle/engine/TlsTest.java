package io.jenkins.plugins.mysqllifecycle.engine;

import io.jenkins.plugins.mysqllifecycle.engine.dump.Dumper;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.ServerGreeting;
import io.jenkins.plugins.mysqllifecycle.engine.restore.Restorer;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerLauncher;
import io.jenkins.plugins.mysqllifecycle.testing.TestCertificates;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS against real servers of both flavors that the test gives its own certificate: a CA of the test's signs the
 * server's certificate for localhost and 127.0.0.1, and a second CA signs nothing of it. Each flavor has a server that
 * offers TLS and one that does not, both listening on every address, so that the machine's own non-loopback address
 * stands for another host. The account {@code tls} may log in only over TLS ({@code REQUIRE SSL}): a dump or restore
 * that works as {@code tls} went over TLS, whichever connection of the engine or of the tools it used.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsTest {
    private static final String PASSWORD = "tls test pw";
    private static final String DATABASE = "shop";
    private static final LocalHost HOST = new LocalHost();

    @TempDir
    static Path temp;
    private TestCertificates certificates;
    private final Map<Flavor, ServerHandle> offeringTls = new EnumMap<>(Flavor.class);
    private final Map<Flavor, ServerHandle> withoutTls = new EnumMap<>(Flavor.class);

    @BeforeAll
    void makeCertificates() throws Exception {
        TestServers.traversable(temp);
        certificates = TestCertificates.make(temp.resolve("certs"));
    }

    @AfterAll
    void stopServers() throws Exception {
        for (ServerHandle server : offeringTls.values()) {
            TestServers.stop(server);
        }
        for (ServerHandle server : withoutTls.values()) {
            TestServers.stop(server);
        }
    }

    /** The servers of a flavor, started on first use (a MySQL server takes ~3 s and ~600 MB). */
    private ServerHandle offeringTls(Flavor flavor) throws Exception {
        if (!offeringTls.containsKey(flavor)) {
            offeringTls.put(flavor, start(flavor, "tls-" + flavor, certificates.serverOptions(
                    temp.resolve("tls-" + flavor + ".cnf"))));
        }
        return offeringTls.get(flavor);
    }

    private ServerHandle withoutTls(Flavor flavor) throws Exception {
        if (!withoutTls.containsKey(flavor)) {
            Path options = null;
            if (flavor == Flavor.MYSQL) {
                // MySQL makes itself a certificate when it has none; no TLS version leaves it without TLS
                options = Files.writeString(temp.resolve("plain-mysql.cnf"), "[mysqld]\ntls_version=''\n");
            }
            withoutTls.put(flavor, start(flavor, "plain-" + flavor, options));
        }
        return withoutTls.get(flavor);
    }

    private static ServerHandle start(Flavor flavor, String name, Path options) throws Exception {
        ServerHandle server = new ServerLauncher(HOST, TestServers.quietLog()).start(ServerSpec.builder(
                temp.resolve(name).toString()).initialize(true).mysqld(TestServers.mysqld(flavor))
                .defaultsFile(options == null ? null : options.toString()).bindAddress("0.0.0.0").build());
        // MariaDB's anonymous accounts would take a login from localhost before 'tls'@'%' could
        try (var connection = TestServers.connect(server, "root", null);
             var statement = connection.createStatement();
             var anonymous = statement.executeQuery("SELECT host FROM mysql.user WHERE user = ''")) {
            List<String> hosts = new java.util.ArrayList<>();
            while (anonymous.next()) {
                hosts.add(anonymous.getString(1));
            }
            for (String host : hosts) {
                statement.execute("DROP USER ''@'" + host + "'");
            }
        }
        TestServers.sql(server,
                "CREATE USER 'tls'@'%' IDENTIFIED BY '" + PASSWORD + "' REQUIRE SSL",
                "CREATE USER 'plain'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL ON *.* TO 'tls'@'%', 'plain'@'%'",
                "CREATE DATABASE " + DATABASE,
                "CREATE TABLE " + DATABASE + ".orders (id INT PRIMARY KEY, item VARCHAR(20))",
                "INSERT INTO " + DATABASE + ".orders VALUES (1, 'tea'), (2, 'milk'), (3, 'bread')");
        return server;
    }

    /** An address of this machine that is not loopback: what the engine must treat as another host. */
    private static String otherHostAddress() throws Exception {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (network.isUp() && !network.isLoopback()) {
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address.getHostAddress();
                    }
                }
            }
        }
        assumeTrue(false, "this machine has no IPv4 address besides loopback to stand for another host");
        return null;
    }

    private static String dumpTool(Flavor flavor) {
        return TestServers.toolDirectory(flavor).resolve(flavor == Flavor.MYSQL ? "mysqldump" : "mariadb-dump")
                .toString();
    }

    private static String clientTool(Flavor flavor) {
        return TestServers.toolDirectory(flavor).resolve(flavor == Flavor.MYSQL ? "mysql" : "mariadb").toString();
    }

    private static DumpSpec.Builder dump(Flavor flavor, String host, ServerHandle server, String user,
                                         DumpMethod method, String output) {
        DumpSpec.Builder spec = DumpSpec.builder().host(host).port(server.port()).user(user)
                .password(Password.of(PASSWORD)).databases(List.of(DATABASE)).method(method)
                .output(temp.resolve(output).toString()).timeout(Duration.ofMinutes(2));
        return method == DumpMethod.MYSQLDUMP ? spec.dumpTool(dumpTool(flavor)) : spec;
    }

    private static RestoreSpec.Builder restore(Flavor flavor, String host, ServerHandle server, String user,
                                               String input) {
        return RestoreSpec.builder().host(host).port(server.port()).user(user).password(Password.of(PASSWORD))
                .input(input).clientTool(clientTool(flavor)).timeout(Duration.ofMinutes(2));
    }

    private static DumpResult dumpWith(DumpSpec spec) throws Exception {
        return new Dumper(HOST, TestServers.quietLog()).dump(spec);
    }

    private static EngineException refused(DumpSpec spec) {
        EngineException refused = assertThrows(EngineException.class, () -> dumpWith(spec));
        assertFalse(Files.exists(Path.of(spec.output())), "a refused dump left " + spec.output());
        assertFalse(Password.of(PASSWORD).appearsIn(refused.getMessage()), refused.getMessage());
        return refused;
    }

    private static void assertSays(EngineException refused, String... parts) {
        for (String part : parts) {
            assertTrue(refused.getMessage().contains(part), "expected '" + part + "' in: " + refused.getMessage());
        }
    }

    /** Restores into {@code server} after dropping the database, and checks that every row came back. */
    private static void restoreAndCount(RestoreSpec spec, ServerHandle server) throws Exception {
        TestServers.sql(server, "DROP DATABASE " + DATABASE);
        try {
            new Restorer(HOST, TestServers.quietLog()).restore(spec);
        } finally {
            TestServers.sql(server, "CREATE DATABASE IF NOT EXISTS " + DATABASE);
        }
        assertEquals("3", TestServers.query(server, "SELECT COUNT(*) FROM " + DATABASE + ".orders"));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void theGreetingSaysWhetherTheServerOffersTls(Flavor flavor) throws Exception {
        assertTrue(ServerGreeting.greetingOf(HOST, "127.0.0.1", offeringTls(flavor).port(), null,
                Duration.ofSeconds(10)).offersTls());
        assertFalse(ServerGreeting.greetingOf(HOST, "127.0.0.1", withoutTls(flavor).port(), null,
                Duration.ofSeconds(10)).offersTls());
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void anotherHostIsDumpedAndRestoredOverTlsByDefaultWithBothMethods(Flavor flavor) throws Exception {
        String other = otherHostAddress();
        ServerHandle server = offeringTls(flavor);
        DumpSpec tool = dump(flavor, other, server, "tls", DumpMethod.MYSQLDUMP, "default-" + flavor + ".sql.gz")
                .build();
        assertEquals(Tls.Mode.REQUIRED, tool.tls().mode());
        DumpResult file = dumpWith(tool);
        DumpResult directory = dumpWith(dump(flavor, other, server, "tls", DumpMethod.PARALLEL, "default-" + flavor)
                .build());
        restoreAndCount(restore(flavor, other, server, "tls", file.file()).build(), server);
        restoreAndCount(restore(flavor, other, server, "tls", directory.file()).build(), server);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void anotherHostWithoutTlsIsRefusedByDefaultNamingTheOptionThatAllowsIt(Flavor flavor) throws Exception {
        String other = otherHostAddress();
        ServerHandle server = withoutTls(flavor);
        String where = other + ":" + server.port();
        for (DumpMethod method : DumpMethod.values()) {
            assertSays(refused(dump(flavor, other, server, "plain", method, "clear-" + flavor + "-" + method.id())
                    .build()), "The server at " + where + " offers no TLS", "--tls disabled");
        }
        DumpResult loopback = dumpWith(dump(flavor, "127.0.0.1", server, "plain", DumpMethod.MYSQLDUMP,
                "loopback-" + flavor + ".sql.gz").build());
        EngineException restore = assertThrows(EngineException.class, () -> new Restorer(HOST,
                TestServers.quietLog()).restore(restore(flavor, other, server, "plain", loopback.file()).build()));
        assertSays(restore, "The server at " + where + " offers no TLS", "--tls disabled");
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void disabledReachesAnotherHostWithoutTlsWhenTheCallerTrustsTheNetwork(Flavor flavor) throws Exception {
        String other = otherHostAddress();
        ServerHandle server = withoutTls(flavor);
        for (DumpMethod method : DumpMethod.values()) {
            dumpWith(dump(flavor, other, server, "plain", method, "trusted-" + flavor + "-" + method.id())
                    .tlsMode(Tls.Mode.DISABLED).build());
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void requiredIsRefusedByAServerWithoutTlsEvenOnLoopback(Flavor flavor) throws Exception {
        ServerHandle server = withoutTls(flavor);
        for (DumpMethod method : DumpMethod.values()) {
            assertSays(refused(dump(flavor, "127.0.0.1", server, "plain", method, "required-" + flavor + "-"
                    + method.id()).tlsMode(Tls.Mode.REQUIRED).build()), "offers no TLS", "tls is required");
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void verifyIdentityWithTheCaThatSignedTheCertificateDumpsAndRestores(Flavor flavor) throws Exception {
        ServerHandle server = offeringTls(flavor);
        String ca = certificates.ca().toString();
        // CA files are often links (/etc/ssl/certs): the restore is given one
        Path link = temp.resolve("ca-link-" + flavor + ".pem");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, certificates.ca());
        for (DumpMethod method : DumpMethod.values()) {
            DumpSpec spec = dump(flavor, "127.0.0.1", server, "tls", method, "verified-" + flavor + "-"
                    + method.id()).tlsCa(ca).build();
            assertEquals(Tls.Mode.VERIFY_IDENTITY, spec.tls().mode(), "a CA file alone means verify-identity");
            DumpResult dumped = dumpWith(spec);
            restoreAndCount(restore(flavor, "127.0.0.1", server, "tls", dumped.file()).tlsCa(link.toString())
                    .build(), server);
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aCaThatDidNotSignTheServersCertificateIsRefusedByTheToolsAndByConnectorJ(Flavor flavor) throws Exception {
        ServerHandle server = offeringTls(flavor);
        String otherCa = certificates.otherCa().toString();
        for (Tls.Mode mode : List.of(Tls.Mode.VERIFY_CA, Tls.Mode.VERIFY_IDENTITY)) {
            for (DumpMethod method : DumpMethod.values()) {
                EngineException refused = refused(dump(flavor, "127.0.0.1", server, "tls", method, "untrusted-"
                        + flavor + "-" + mode.id() + "-" + method.id()).tlsMode(mode).tlsCa(otherCa).build());
                if (method == DumpMethod.MYSQLDUMP && flavor == Flavor.MYSQL && mode == Tls.Mode.VERIFY_IDENTITY) {
                    // OpenSSL in MySQL's tools says the same for a foreign CA and for a name it lacks
                    assertSays(refused, "either no CA in " + otherCa + " (tlsCa, --tls-ca) signed it");
                } else {
                    assertSays(refused, "presented a certificate that no CA in " + otherCa + " (tlsCa, --tls-ca)"
                            + " signed", "no password was sent");
                }
            }
        }
        DumpResult dumped = dumpWith(dump(flavor, "127.0.0.1", server, "root", DumpMethod.MYSQLDUMP,
                "for-untrusted-" + flavor + ".sql").password(null).build());
        EngineException restore = assertThrows(EngineException.class, () -> new Restorer(HOST,
                TestServers.quietLog()).restore(restore(flavor, "127.0.0.1", server, "tls", dumped.file())
                .tlsMode(Tls.Mode.VERIFY_CA).tlsCa(otherCa).build()));
        assertSays(restore, "no CA in " + otherCa);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void verifyIdentityRefusesAHostTheCertificateDoesNotNameWhileVerifyCaTakesIt(Flavor flavor) throws Exception {
        ServerHandle server = offeringTls(flavor);
        String ca = certificates.ca().toString();
        // 127.0.0.2 reaches this machine too, but the certificate names only localhost and 127.0.0.1
        for (DumpMethod method : DumpMethod.values()) {
            assertSays(refused(dump(flavor, "127.0.0.2", server, "tls", method, "misnamed-" + flavor + "-"
                    + method.id()).tlsMode(Tls.Mode.VERIFY_IDENTITY).tlsCa(ca).build()), "does not name");
        }
        dumpWith(dump(flavor, "127.0.0.2", server, "tls", DumpMethod.PARALLEL, "ca-only-" + flavor)
                .tlsMode(Tls.Mode.VERIFY_CA).tlsCa(ca).build());
        DumpSpec caOnlyTool = dump(flavor, "127.0.0.2", server, "tls", DumpMethod.MYSQLDUMP, "ca-only-" + flavor
                + ".sql.gz").tlsMode(Tls.Mode.VERIFY_CA).tlsCa(ca).build();
        if (flavor == Flavor.MYSQL) {
            dumpWith(caOnlyTool);
        } else {
            // MariaDB's tools check the name with the CA or fall back to no TLS: the engine asks for the name too
            assertSays(refused(caOnlyTool), "does not name 127.0.0.2", "MariaDB's tools cannot check the CA alone");
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aDefaultsFileThatSpeaksOfTlsIsOverriddenAndSaysSo(Flavor flavor) throws Exception {
        ServerHandle server = offeringTls(flavor);
        Path defaults = Files.writeString(temp.resolve("defaults-" + flavor + ".cnf"), "[client]\n"
                + (flavor == Flavor.MYSQL ? "ssl-mode=DISABLED\n" : "skip-ssl\n"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new Dumper(HOST, new PrintStream(log, true, StandardCharsets.UTF_8)).dump(dump(flavor, "127.0.0.1", server,
                "tls", DumpMethod.MYSQLDUMP, "overridden-" + flavor + ".sql.gz").defaultsFile(defaults.toString())
                .tlsMode(Tls.Mode.REQUIRED).build());
        String said = log.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("the defaults file " + defaults + " sets " + (flavor == Flavor.MYSQL ? "ssl-mode"
                : "skip-ssl") + "; TLS is chosen with tls and tlsCa"), said);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aCaFileThatIsMissingOrNotPemIsRefusedBeforeAnythingConnects(Flavor flavor) throws Exception {
        ServerHandle server = offeringTls(flavor);
        Path notPem = Files.writeString(temp.resolve("not-a-ca-" + flavor + ".pem"), "just text\n");
        for (DumpMethod method : DumpMethod.values()) {
            InvalidSpecException missing = assertThrows(InvalidSpecException.class, () -> dumpWith(dump(flavor,
                    "127.0.0.1", server, "tls", method, "no-ca-" + flavor + "-" + method.id())
                    .tlsCa(temp.resolve("no-such-ca.pem").toString()).build()));
            assertSays(missing, "no-such-ca.pem (tlsCa, --tls-ca) does not exist");
            InvalidSpecException text = assertThrows(InvalidSpecException.class, () -> dumpWith(dump(flavor,
                    "127.0.0.1", server, "tls", method, "text-ca-" + flavor + "-" + method.id())
                    .tlsCa(notPem.toString()).build()));
            assertSays(text, "(tlsCa, --tls-ca)", "certificate");
        }
    }
}
