package io.jenkins.plugins.mysqllifecycle.engine.cli;


import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.StopResult;
import io.jenkins.plugins.mysqllifecycle.engine.StopSpec;
import io.jenkins.plugins.mysqllifecycle.engine.dump.Dumper;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.Jdbc;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerLauncher;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerStopper;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The main job in miniature: a throwaway server is initialized, started, filled with a small shop database, dumped
 * with gzip and stopped with SIGTERM. Everything but the dump and its manifest is removed afterwards.
 */
final class Demo {
    private static final int CUSTOMERS = 2_000;
    private static final int ORDERS = 8_000;

    private final Host host;
    private final PrintStream log;

    Demo(Host host, PrintStream log) {
        this.host = host;
        this.log = log;
    }

    Map<String, Object> run(List<String> options) throws EngineException, InterruptedException {
        if (!options.isEmpty()) {
            throw new io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException("demo takes no options");
        }
        Path work = createWorkDirectory();
        Path datadir = work.resolve("data");
        Map<String, Long> phases = new LinkedHashMap<>();
        ServerHandle server = null;
        try {
            Deadline phase = Deadline.after(Duration.ZERO);
            server = new ServerLauncher(host, log).start(ServerSpec.builder(datadir.toString())
                    .initialize(true).port(0).build());
            phases.put("initializeAndStart", phase.elapsed().toMillis());

            phase = Deadline.after(Duration.ZERO);
            fillSampleDatabase(server);
            phases.put("loadSampleData", phase.elapsed().toMillis());

            phase = Deadline.after(Duration.ZERO);
            DumpResult dump = new Dumper(host, log).dump(DumpSpec.builder().port(server.port()).user("root")
                    .databases(List.of("shop")).output(work.resolve("shop.sql.gz").toString())
                    .compression(Compression.GZIP).build());
            phases.put("dump", phase.elapsed().toMillis());

            phase = Deadline.after(Duration.ZERO);
            StopResult stop = new ServerStopper(host, log).stop(StopSpec.of(server, StopSpec.DEFAULT_TIMEOUT, false));
            server = null;
            phases.put("stop", phase.elapsed().toMillis());

            deleteTree(datadir);
            deleteTree(Path.of(ServerLauncher.tmpdirFor(datadir.toString())));
            summarize(phases, dump, stop);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("phasesMillis", phases);
            result.put("dump", dump.toMap());
            result.put("stop", stop.toMap());
            return result;
        } finally {
            if (server != null) {
                log.println("demo failed; stopping its server pid " + server.pid());
                try {
                    new ServerStopper(host, log).stop(StopSpec.of(server, Duration.ofSeconds(30), true));
                } catch (EngineException e) {
                    log.println("could not stop the demo server: " + e.getMessage());
                }
            }
        }
    }

    /** World-traversable, so that the server's own account (mysql, when run as root) can reach its datadir. */
    private static Path createWorkDirectory() throws EngineException {
        try {
            Path work = Files.createTempDirectory("mysql-lifecycle-demo-");
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
            return work;
        } catch (IOException e) {
            throw new EngineException("Cannot create the demo's directory: " + e.getMessage(), e);
        }
    }

    private void fillSampleDatabase(ServerHandle server) throws EngineException {
        Properties properties = new Properties();
        properties.setProperty("user", "root");
        properties.setProperty("rewriteBatchedStatements", "true");
        try (Connection connection = Jdbc.connect(host.loopbackAddress(server.port()), properties);
             Statement statement = connection.createStatement()) {
            // --no-defaults leaves the server on latin1: say utf8mb4 explicitly
            statement.execute("CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            statement.execute("CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
                    + " email VARCHAR(200) NOT NULL, city VARCHAR(60), since DATE NOT NULL)");
            statement.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, customer_id INT NOT NULL,"
                    + " total DECIMAL(10,2) NOT NULL, note TEXT, placed_at DATETIME NOT NULL,"
                    + " FOREIGN KEY (customer_id) REFERENCES shop.customers(id))");
            String[] cities = {"Zürich", "São Paulo", "Kraków", "O'Fallon", "Reykjavík", "東京"};
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO shop.customers VALUES (?, ?, ?, ?, ?)")) {
                for (int id = 1; id <= CUSTOMERS; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, "Customer " + id);
                    insert.setString(3, "customer" + id + "@example.org");
                    insert.setString(4, cities[id % cities.length]);
                    insert.setObject(5, java.time.LocalDate.of(2020, 1, 1).plusDays(id % 1500));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO shop.orders VALUES (?, ?, ?, ?, ?)")) {
                for (int id = 1; id <= ORDERS; id++) {
                    insert.setInt(1, id);
                    insert.setInt(2, 1 + id % CUSTOMERS);
                    insert.setBigDecimal(3, java.math.BigDecimal.valueOf(id * 137L % 100_000, 2));
                    insert.setString(4, id % 7 == 0 ? null : "gift \"wrap\" \\ note #" + id);
                    insert.setObject(5, LocalDateTime.of(2026, 1, 1, 0, 0).plusMinutes(id * 37L));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            log.println("[demo] created database shop with " + CUSTOMERS + " customers and " + ORDERS + " orders");
        } catch (SQLException | IOException e) {
            throw new EngineException("Could not fill the demo database: " + e.getMessage(), e);
        }
    }

    private void summarize(Map<String, Long> phases, DumpResult dump, StopResult stop) {
        log.println();
        log.println("Demo finished: a real server was started, dumped and stopped with " + stop.signal() + ".");
        phases.forEach((phase, millis) -> log.printf("  %-20s %s%n", phase, Durations.describe(
                Duration.ofMillis(millis))));
        log.println("  dump:                " + dump.file());
        log.println("  size:                " + dump.bytes() + " bytes (" + dump.rawBytes() + " bytes of SQL)");
        log.println("  sha256:              " + dump.sha256());
        log.println("  manifest:            " + dump.manifest());
        log.println();
    }

    private static void deleteTree(Path root) throws EngineException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new EngineException("Could not remove the demo's " + root + ": " + e.getMessage(), e);
        }
    }
}
