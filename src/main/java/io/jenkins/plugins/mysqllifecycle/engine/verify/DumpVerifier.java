package io.jenkins.plugins.mysqllifecycle.engine.verify;

import io.jenkins.plugins.mysqllifecycle.engine.Tls;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreSpec;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.StopSpec;
import io.jenkins.plugins.mysqllifecycle.engine.host.CommandResult;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.DataConnections;
import io.jenkins.plugins.mysqllifecycle.engine.restore.Restorer;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerLauncher;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerStopper;
import io.jenkins.plugins.mysqllifecycle.engine.sql.ServerVersion;
import io.jenkins.plugins.mysqllifecycle.engine.tools.Installation;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Proves a dump loads back into what the source held: a scratch server on a temporary datadir of the same host,
 * the dump restored into it, and each table's row count and CHECKSUM TABLE compared with the source's in the dump's
 * own snapshot. The scratch server and its datadir are removed whatever the outcome.
 */
public final class DumpVerifier {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Host host;
    private final PrintStream logStream;
    private final Log log;

    public DumpVerifier(Host host, PrintStream logStream) {
        this.host = host;
        this.logStream = logStream;
        this.log = new Log(logStream).about("verify");
    }

    /**
     * @param scratchServer the server binary to start the scratch server with (--verify-mysqld); null finds one of
     *                      the source's flavor and major version in {@code besideTools}, on PATH or in the usual
     *                      directories
     * @param besideTools   directories to look in first: where the dump tool is
     */
    public void verify(DumpResult dump, List<TableCheck> expected, String scratchServer, List<String> besideTools)
            throws EngineException, InterruptedException {
        String mysqld = scratchServerFor(ServerVersion.parse(dump.serverVersion()), scratchServer, besideTools);
        String scratch = scratchDirectory();
        ServerHandle server = null;
        try {
            log.info("starting a scratch server (" + mysqld + ") in " + scratch + " to restore " + dump.file()
                    + " into");
            server = new ServerLauncher(host, logStream).start(ServerSpec.builder(scratch + "/data")
                    .initialize(true).mysqld(mysqld).build());
            // the scratch server listens on this machine's loopback address only: no TLS to it
            new Restorer(host, logStream).restore(RestoreSpec.builder().port(server.port()).user("root")
                    .input(dump.file()).tlsMode(Tls.Mode.DISABLED).build());
            List<String> differences = compare(server, expected);
            if (!differences.isEmpty()) {
                throw new EngineException("The dump " + dump.file() + " does not restore to what the source held in"
                        + " its snapshot: " + String.join("; ", differences) + ". The dump is kept for a look; do not"
                        + " rely on it.");
            }
            long views = expected.stream().filter(check -> check.rows() == TableCheck.VIEW_ROWS).count();
            log.info("all " + (expected.size() - views) + " tables match the source: same rows, same CHECKSUM TABLE"
                    + (views > 0 ? "; its " + views + " views are there" : ""));
        } finally {
            // An interrupt (an abort, a signal to the CLI) must not cut the cleanup short: both steps are bounded.
            boolean interrupted = Thread.interrupted();
            try {
                if (server != null) {
                    try {
                        new ServerStopper(host, logStream).stop(StopSpec.of(server, STOP_TIMEOUT, true));
                    } catch (EngineException e) {
                        log.warn("the scratch server (pid " + server.pid() + ") did not stop: " + e.getMessage());
                    }
                }
                removeScratch(scratch);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * A dump restores reliably only into a server of its source's flavor and major version: MySQL's dumps name
     * collations MariaDB lacks (utf8mb4_0900_ai_ci), MariaDB's carry sql_mode values MySQL rejects.
     */
    private String scratchServerFor(ServerVersion source, String given, List<String> besideTools)
            throws EngineException, InterruptedException {
        String needed = source.flavor() == Flavor.MYSQL
                ? "MySQL " + source.major() + ".x's mysqld"
                : "MariaDB " + source.major() + ".x's mariadbd";
        if (given == null && source.major() == 0) {
            log.warn("the dump does not say which server it comes from ('" + source.answer() + "'); the scratch"
                    + " server is the first mariadbd or mysqld found");
            return null;
        }
        if (given != null) {
            Installation installation = Installation.ofServer(host, given);
            ServerVersion parsed = ServerVersion.parse(installation.version());
            ServerVersion scratch = new ServerVersion(installation.flavor(), parsed.major(), parsed.minor(),
                    parsed.patch(), installation.version());
            if (scratch.flavor() != source.flavor() || scratch.major() != source.major()) {
                throw new InvalidSpecException("--verify-mysqld " + given + " is " + scratch.describe() + ", but the"
                        + " dump comes from " + source.describe() + ": verify needs " + needed + ", the source's"
                        + " flavor and major version.");
            }
            return given;
        }
        List<String> directories = new ArrayList<>();
        for (String directory : besideTools) {
            directories.add(directory);
            directories.add(directory.replaceFirst("/bin$", "/sbin"));
        }
        List<Installation.FoundTool> found = Installation.findTools(host, source.flavor() == Flavor.MYSQL
                ? List.of("mysqld") : List.of("mariadbd", "mysqld"), directories);
        for (Installation.FoundTool candidate : found) {
            if (candidate.flavor() == source.flavor()
                    && ServerVersion.parse(candidate.version()).major() == source.major()) {
                return candidate.path();
            }
        }
        throw new EngineException("verify needs a scratch server of the source's flavor and major version, "
                + needed + " (the dump comes from " + source.describe() + "), and found none beside the dump tool,"
                + " on PATH or in the usual directories" + (found.isEmpty() ? "" : " (only " + String.join(", ",
                found.stream().map(Installation.FoundTool::describe).toList()) + ")") + ". Give its path with"
                + " --verify-mysqld. The dump is kept, not verified.");
    }

    private List<String> compare(ServerHandle server, List<TableCheck> expected) throws EngineException {
        List<String> differences = new ArrayList<>();
        DataConnections scratch = DataConnections.to(host, "127.0.0.1", server.port(), null, "root", null, null,
                Tls.DISABLED, "verify");
        try (Connection connection = scratch.open()) {
            for (TableCheck source : expected) {
                if (source.rows() == TableCheck.VIEW_ROWS) {
                    if (!viewExists(connection, source)) {
                        differences.add("the view " + source.describe() + " is missing after the restore");
                    }
                    continue;
                }
                TableCheck restored;
                try {
                    restored = ToolSnapshotWitness.check(connection, source.database(), source.table());
                } catch (SQLException e) {
                    differences.add(source.describe() + " is missing after the restore (" + e.getMessage() + ")");
                    continue;
                }
                if (restored.rows() != source.rows()) {
                    differences.add(source.describe() + " has " + restored.rows() + " rows, the source " + source.rows());
                } else if (!restored.checksum().equals(source.checksum())) {
                    differences.add(source.describe() + " has CHECKSUM TABLE " + restored.checksum() + ", the source "
                            + source.checksum());
                }
            }
        } catch (SQLException e) {
            throw new EngineException("Comparing the restored tables failed: " + e.getMessage(), e);
        }
        return differences;
    }

    private static boolean viewExists(Connection connection, TableCheck view) throws SQLException {
        try (java.sql.PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM"
                + " information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND TABLE_TYPE = 'VIEW'")) {
            statement.setString(1, view.database());
            statement.setString(2, view.table());
            try (java.sql.ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private String scratchDirectory() throws EngineException, InterruptedException {
        try {
            CommandResult made = host.run(List.of("mktemp", "-d", "/tmp/mysql-lifecycle-verify-XXXXXX"),
                    COMMAND_TIMEOUT);
            if (!made.succeeded()) {
                throw new EngineException("Could not make a scratch directory on " + host.describe() + ": "
                        + made.diagnostics());
            }
            String directory = made.stdout().strip();
            // the server account must reach the datadir inside
            host.run(List.of("chmod", "0755", directory), COMMAND_TIMEOUT);
            return directory;
        } catch (IOException e) {
            throw new EngineException("Could not make a scratch directory on " + host.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private void removeScratch(String directory) {
        try {
            host.run(List.of("rm", "-rf", "--one-file-system", directory), COMMAND_TIMEOUT);
        } catch (IOException | EngineException e) {
            log.warn("could not remove the scratch directory " + directory + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted while removing the scratch directory " + directory + "; remove it by hand");
        }
    }
}
