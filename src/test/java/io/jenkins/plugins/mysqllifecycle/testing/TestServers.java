package io.jenkins.plugins.mysqllifecycle.testing;

import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.StopSpec;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.Jdbc;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerLauncher;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerStopper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Real MariaDB or Oracle MySQL servers for tests: each on a fresh data directory in the test's own temp dir, on a free
 * port, started and stopped through the engine. Tests run as root here, so the servers run as the mysql account.
 * MariaDB is the system's; MySQL is the one named by the system property {@value #MYSQLD_PROPERTY} (pom.xml sets it to
 * where bin/test installs MySQL 9.7). A MySQL server takes about 3 s to initialize and 600 MB of memory when idle:
 * start few per test class.
 */
public final class TestServers {
    public static final String MYSQLD_PROPERTY = "mysqlLifecycle.test.mysqld";

    private TestServers() {
    }

    /** The server binary the tests start for {@code flavor}; null lets the engine find the system's (MariaDB). */
    public static String mysqld(Flavor flavor) {
        if (flavor == Flavor.MARIADB) {
            return null;
        }
        String mysqld = System.getProperty(MYSQLD_PROPERTY);
        if (mysqld == null || mysqld.isBlank() || !Files.isExecutable(Path.of(mysqld))) {
            throw new IllegalStateException("Oracle MySQL for the tests is missing: the system property "
                    + MYSQLD_PROPERTY + " is " + mysqld + ". Run bin/test (it installs MySQL 9.7 as root), or"
                    + " sudo bin/lib/install-mysql, or give -D" + MYSQLD_PROPERTY + "=PATH.");
        }
        return mysqld;
    }

    /** A directory holding the client tools of {@code flavor} (MySQL's beside its mysqld). */
    public static Path toolDirectory(Flavor flavor) {
        return flavor == Flavor.MYSQL ? Path.of(mysqld(flavor)).getParent() : Path.of("/usr/bin");
    }

    /** The server account must be able to reach datadirs under JUnit's 0700 temp directories. */
    public static Path traversable(Path directory) throws IOException {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        return directory;
    }

    public static ServerHandle start(Path tempDir, String name) throws Exception {
        return start(tempDir, name, Flavor.MARIADB);
    }

    public static ServerHandle start(Path tempDir, String name, Flavor flavor) throws Exception {
        traversable(tempDir);
        ServerSpec spec = ServerSpec.builder(tempDir.resolve(name).toString()).initialize(true)
                .mysqld(mysqld(flavor)).build();
        return new ServerLauncher(new LocalHost(), quietLog()).start(spec);
    }

    /**
     * A server that writes a binary log: MySQL does under --no-defaults (with GTIDs), MariaDB needs log-bin and a
     * server id (its GTIDs are then on as well).
     */
    public static ServerHandle startWithBinaryLog(Path tempDir, String name, Flavor flavor) throws Exception {
        if (flavor == Flavor.MYSQL) {
            return start(tempDir, name, flavor);
        }
        traversable(tempDir);
        Path defaults = tempDir.resolve(name + ".cnf");
        Files.writeString(defaults, "[mysqld]\nlog-bin=binlog\nserver-id=7\n");
        ServerSpec spec = ServerSpec.builder(tempDir.resolve(name).toString()).initialize(true)
                .defaultsFile(defaults.toString()).build();
        return new ServerLauncher(new LocalHost(), quietLog()).start(spec);
    }

    public static void stop(ServerHandle server) throws Exception {
        if (server != null) {
            new ServerStopper(new LocalHost(), quietLog()).stop(StopSpec.of(server, Duration.ofSeconds(60), true));
        }
    }

    public static PrintStream quietLog() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    public static Connection connect(ServerHandle server, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "10000");
        properties.setProperty("socketTimeout", "120000");
        return Jdbc.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), server.port()),
                properties);
    }

    public static void sql(ServerHandle server, String... statements) throws SQLException {
        try (Connection connection = connect(server, "root", null);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** The first column of the first row {@code query} answers, as a string (null for SQL NULL). */
    public static String query(ServerHandle server, String query) throws SQLException {
        try (Connection connection = connect(server, "root", null);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(query)) {
            return result.next() ? result.getString(1) : null;
        }
    }

    /** CHECKSUM TABLE and row count of every table in {@code database}, by table name. */
    public static Map<String, String> checksums(ServerHandle server, String database) throws SQLException {
        Map<String, String> checksums = new LinkedHashMap<>();
        try (Connection connection = connect(server, "root", null);
             Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = '" + database + "' AND table_type = 'BASE TABLE' ORDER BY table_name")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (String table : tables) {
                String qualified = "`" + database.replace("`", "``") + "`.`" + table.replace("`", "``") + "`";
                try (ResultSet sum = statement.executeQuery("CHECKSUM TABLE " + qualified)) {
                    sum.next();
                    String checksum = sum.getString(2);
                    try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + qualified)) {
                        count.next();
                        checksums.put(table, checksum + "/" + count.getLong(1));
                    }
                }
            }
        }
        return checksums;
    }
}
