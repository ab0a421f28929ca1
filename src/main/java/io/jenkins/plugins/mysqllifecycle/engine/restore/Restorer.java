package io.jenkins.plugins.mysqllifecycle.engine.restore;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreResult;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreSpec;
import io.jenkins.plugins.mysqllifecycle.engine.Tls;
import io.jenkins.plugins.mysqllifecycle.engine.format.DamagedDumpException;
import io.jenkins.plugins.mysqllifecycle.engine.format.DirectoryMetadata;
import io.jenkins.plugins.mysqllifecycle.engine.format.DumpCheck;
import io.jenkins.plugins.mysqllifecycle.engine.format.Manifest;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.host.RunningCommand;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.DataConnections;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.ServerGreeting;
import io.jenkins.plugins.mysqllifecycle.engine.sql.ServerVersion;
import io.jenkins.plugins.mysqllifecycle.engine.sql.Sql;
import io.jenkins.plugins.mysqllifecycle.engine.tools.DataOnlyClient;
import io.jenkins.plugins.mysqllifecycle.engine.tools.Installation;
import io.jenkins.plugins.mysqllifecycle.engine.tools.OptionFile;
import io.jenkins.plugins.mysqllifecycle.engine.tools.ToolTls;
import io.jenkins.plugins.mysqllifecycle.engine.util.Bytes;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;
import io.jenkins.plugins.mysqllifecycle.engine.util.IoErrors;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * Loads a dump this tool wrote into a server: a dump file through the server's client tool (as {@code mariadb <
 * file} would), a directory dump through several connections at once, schemas first and views last. Nothing is
 * loaded from a dump whose files do not match their manifest.
 */
public final class Restorer {
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);
    private static final List<String> CLIENT_TOOLS = List.of("mariadb", "mysql");
    private static final Duration GREETING_TIMEOUT = Duration.ofSeconds(10);
    /**
     * The system property that makes a directory restore send its statements through Connector/J's public JDBC API
     * only ({@code jdbc}), as it does on its own when a Connector/J lacks what the faster way uses (see
     * StatementSender).
     */
    public static final String STATEMENT_SENDER_PROPERTY = "io.jenkins.plugins.mysqllifecycle.statementSender";

    private final Host host;
    private final Log log;
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong rowsLoaded = new AtomicLong();

    public Restorer(Host host, PrintStream log) {
        this.host = host;
        this.log = new Log(log);
    }

    public RestoreResult restore(RestoreSpec spec) throws EngineException, InterruptedException {
        Path input = Path.of(spec.input()).toAbsolutePath().normalize();
        Log restoreLog = log.about("restore " + (spec.socket() != null ? spec.socket()
                : spec.host() + ":" + spec.port()));
        Deadline deadline = Deadline.after(spec.timeout());
        OptionFile.checkUsable(host, spec.password(), spec.defaultsFile());
        ToolTls.checkCaFile(host, spec.tls());
        if (spec.tls().mode() != Tls.Mode.DISABLED) {
            restoreLog.info("TLS " + spec.tls().describe());
        }
        try {
            refuseCrossFlavor(input, spec, restoreLog);
            if (Files.isDirectory(input)) {
                return restoreDirectory(input, spec, deadline, restoreLog);
            }
            if (!Files.isRegularFile(input)) {
                throw new InvalidSpecException("The dump " + input + " does not exist; give the path of a dump file"
                        + " or directory.");
            }
            return restoreFile(input, spec, deadline, restoreLog);
        } catch (IOException e) {
            throw new EngineException("Reading the dump " + input + " failed: " + IoErrors.describe(e), e);
        }
    }

    /**
     * A dump made of one flavor does not load into the other: MySQL's name collations MariaDB lacks
     * (utf8mb4_0900_ai_ci, MySQL 8's default), MariaDB's carry sql_mode values MySQL rejects in routines, triggers and
     * events (NO_AUTO_CREATE_USER) and may hold MariaDB-only objects. Such a load fails partway, leaving some tables
     * loaded, so it is refused before anything is loaded unless the caller allows it. A dump without a manifest, or
     * a server that cannot be asked, is loaded as before.
     */
    private void refuseCrossFlavor(Path input, RestoreSpec spec, Log restoreLog) throws EngineException,
            InterruptedException, IOException {
        Manifest manifest;
        try {
            manifest = Manifest.besideOrNull(input);
        } catch (DamagedDumpException damaged) {
            return; // the checks of the dump itself, next, say what is wrong with it
        }
        if (manifest == null || manifest.serverVersion() == null) {
            return;
        }
        ServerVersion source = ServerVersion.parse(manifest.serverVersion());
        Optional<ServerGreeting.Greeting> greeting = greeting(spec, restoreLog, "cannot tell whether the dump of "
                + source.describe() + " suits it");
        if (greeting.isEmpty()) {
            return;
        }
        ServerVersion target = ServerVersion.parse(greeting.get().version());
        if (source.flavor() == target.flavor()) {
            return;
        }
        String where = spec.socket() != null ? spec.socket() : spec.host() + ":" + spec.port();
        if (spec.allowCrossFlavor()) {
            restoreLog.warn("loading a dump of " + source.describe() + " into " + target.describe() + " as asked"
                    + " (allow cross flavor); a statement the server does not know fails the restore partway");
            return;
        }
        String why = source.flavor() == Flavor.MYSQL
                ? "MySQL's dumps name collations MariaDB does not have (utf8mb4_0900_ai_ci, MySQL 8's default) and"
                        + " MySQL-only syntax"
                : "MariaDB's dumps carry sql_mode values MySQL rejects in routines, triggers and events"
                        + " (NO_AUTO_CREATE_USER) and may hold MariaDB-only types and objects (sequences,"
                        + " system-versioned tables, INET6, UUID)";
        String portable = source.flavor() == Flavor.MYSQL
                ? "when every table and column of the dump uses a collation MariaDB knows (utf8mb4_unicode_ci, say)"
                : "when the dump holds no routines, triggers, events or MariaDB-only types";
        throw new InvalidSpecException("The dump " + input + " comes from " + source.describe() + " and the server at "
                + where + " is " + target.describe() + ": " + why + ", so the load would fail partway with some"
                + " tables loaded. Nothing was loaded. Restore it into a "
                + (source.flavor() == Flavor.MYSQL ? "MySQL " : "MariaDB ") + source.major() + ".x server; or, "
                + portable + ", allow it with allowCrossFlavor (--allow-cross-flavor).");
    }

    /** What the server says in its greeting; empty, with a warning that ends in {@code consequence}, if unreachable. */
    private Optional<ServerGreeting.Greeting> greeting(RestoreSpec spec, Log restoreLog, String consequence) {
        try {
            return Optional.of(ServerGreeting.greetingOf(host, spec.host(), spec.port(), spec.socket(),
                    GREETING_TIMEOUT));
        } catch (IOException e) {
            restoreLog.warn("could not ask the server its version (" + e.getMessage() + "); " + consequence);
            return Optional.empty();
        }
    }

    private RestoreResult restoreFile(Path file, RestoreSpec spec, Deadline deadline, Log restoreLog)
            throws EngineException, InterruptedException, IOException {
        Compression compression = DumpCheck.checkFile(file, restoreLog);
        String tool = spec.clientTool() != null ? spec.clientTool() : findClient();
        String versionLine = Installation.versionOf(host, tool, "--client-tool");
        List<String> dataOnly = DataOnlyClient.options(tool, versionLine);
        Flavor toolFlavor = Flavor.fromVersionOutput(versionLine);
        String server = spec.host() + ":" + spec.port();
        if (spec.tls().mode().requiresTls()) {
            ToolTls.refuseWhatTheToolCannotDo(spec.tls(), toolFlavor, ProcessInfo.baseName(tool),
                    greeting(spec, restoreLog, "TLS is left to " + ProcessInfo.baseName(tool)), server, restoreLog);
        }
        ToolTls.warnIfDefaultsFileSetsTls(host, spec.defaultsFile(), spec.tls(), restoreLog);
        OptionFile options = OptionFile.of(spec.password(), spec.defaultsFile(), ToolTls.options(spec.tls(),
                toolFlavor));
        List<String> arguments = new ArrayList<>();
        if (spec.socket() != null) {
            arguments.addAll(List.of("--protocol=SOCKET", "--socket=" + spec.socket()));
        } else {
            arguments.addAll(List.of("--protocol=TCP", "--host=" + spec.host(), "--port=" + spec.port()));
        }
        arguments.add("--user=" + spec.user());
        arguments.addAll(dataOnly);
        if (spec.skipBinaryLog()) {
            // run by the client before the file's first statement: without the privilege it stops there, having
            // loaded nothing
            arguments.add("--init-command=" + SKIP_BINARY_LOG);
        }
        List<String> command = options.clientCommand(tool, arguments);
        restoreLog.info("loading " + file + " (" + Bytes.describe(Files.size(file)) + ", " + compression.id()
                + ") with " + tool);
        try (InputStream in = options.clientInput(decompressed(file, compression));
             RunningCommand load = host.start(command, in, OutputStream.nullOutputStream())) {
            OptionalInt exit = awaitExit(load, deadline, Files.size(file), restoreLog);
            if (exit.getAsInt() != 0) {
                String stderr = load.stderrTail().strip();
                throw new EngineException(ProcessInfo.baseName(tool) + " failed with exit code "
                        + exit.getAsInt() + " loading " + file + ": " + stderr
                        + ToolTls.explain(stderr, spec.tls(), toolFlavor, server)
                        + (DataOnlyClient.refusedAClientCommand(stderr) ? ". The file holds a client command"
                        + " (such as \\! to run a shell command or \\. to read a file), which a restore never"
                        + " runs: a dump file is data, and no dump of mysqldump or mariadb-dump holds one, so this"
                        + " file was edited or made by another program. The statements before that line were"
                        + " loaded; check where the file came from before loading it by hand." : ""));
            }
        }
        restoreLog.info("loaded " + file + " in " + Durations.describe(deadline.elapsed()));
        return new RestoreResult(file.toString(), DumpResult.FILE, -1, -1, Files.size(file),
                deadline.elapsed().toMillis());
    }

    private OptionalInt awaitExit(RunningCommand load, Deadline deadline, long total, Log restoreLog)
            throws InterruptedException, OperationTimeoutException {
        while (true) {
            OptionalInt exit = load.waitFor(Durations.min(PROGRESS_INTERVAL, deadline.remaining()));
            if (exit.isPresent()) {
                return exit;
            }
            if (deadline.hasExpired()) {
                load.destroy();
                throw new OperationTimeoutException("The restore did not finish within its timeout of "
                        + Durations.describe(deadline.elapsed()) + "; the client was stopped. The server holds what"
                        + " was loaded until then.", null);
            }
            restoreLog.info(Bytes.describe(bytesRead.get()) + " of " + Bytes.describe(total) + " read");
        }
    }

    private RestoreResult restoreDirectory(Path directory, RestoreSpec spec, Deadline deadline, Log restoreLog)
            throws EngineException, InterruptedException, IOException {
        DumpCheck.Directory dump = DumpCheck.checkDirectory(directory, restoreLog);
        int threads = spec.threads() > 0 ? spec.threads() : Runtime.getRuntime().availableProcessors();
        DataConnections server = DataConnections.to(host, spec.host(), spec.port(), spec.socket(), spec.user(),
                spec.password(), spec.defaultsFile(), spec.tls(), "restoring a directory dump");
        restoreLog.info("loading " + directory + "/ (" + dump.tables().size() + " tables and views, "
                + Bytes.describe(dump.bytes()) + ") with " + threads + " connections");
        List<Connection> connections = new ArrayList<>();
        List<StatementSender> senders = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                connections.add(server.openForFileStatements());
                if (spec.skipBinaryLog()) {
                    skipBinaryLog(connections.get(i), spec);
                }
                senders.add(StatementSender.of(connections.get(i), restoreLog));
            }
            StatementSender first = senders.get(0);
            for (String schema : dump.databaseSchemas()) {
                execute(first, directory.resolve(schema), Compression.NONE);
            }
            for (DirectoryMetadata.Table table : dump.tables()) {
                if (!table.view()) {
                    execute(first, directory.resolve(table.schema()), Compression.NONE);
                }
            }
            ConcurrentLinkedQueue<String> chunks = new ConcurrentLinkedQueue<>();
            dump.tables().forEach(table -> chunks.addAll(table.chunks()));
            loadChunks(chunks, connections, senders, directory, dump.compression(), deadline, restoreLog);
            for (DirectoryMetadata.Table table : dump.tables()) {
                if (table.view()) {
                    execute(first, directory.resolve(table.schema()), Compression.NONE);
                }
            }
            for (String storedObjects : dump.storedObjects()) {
                execute(first, directory.resolve(storedObjects), Compression.NONE);
            }
            long expected = dump.tables().stream().mapToLong(DirectoryMetadata.Table::rows).sum();
            if (rowsLoaded.get() != expected) {
                throw new EngineException("Loaded " + rowsLoaded.get() + " rows from " + directory + " but its"
                        + " metadata lists " + expected + ": the server did not take every row.");
            }
            restoreLog.info("loaded " + directory + "/: " + dump.tables().size() + " tables and views, "
                    + rowsLoaded.get() + " rows in " + Durations.describe(deadline.elapsed()));
            return new RestoreResult(directory.toString(), DumpResult.DIRECTORY, dump.tables().size(),
                    rowsLoaded.get(), dump.bytes(), deadline.elapsed().toMillis());
        } catch (SQLException e) {
            throw new EngineException("The restore failed: " + Sql.describe(e, spec.user()), e);
        } finally {
            for (Connection connection : connections) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the restore has ended
                }
            }
        }
    }

    private static final String SKIP_BINARY_LOG = "SET SESSION sql_log_bin = 0";
    private static final int ER_SPECIFIC_ACCESS_DENIED = 1227;

    private static void skipBinaryLog(Connection connection, RestoreSpec spec) throws SQLException,
            EngineException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(SKIP_BINARY_LOG);
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_SPECIFIC_ACCESS_DENIED) {
                throw new EngineException("Restoring without the binary log (skipBinaryLog, --skip-binary-log)"
                        + " needs the SUPER privilege (MySQL: SESSION_VARIABLES_ADMIN or SYSTEM_VARIABLES_ADMIN;"
                        + " MariaDB 10.5.2 and later: BINLOG ADMIN), which " + spec.user() + " lacks; grant it or"
                        + " leave the option out. Nothing was loaded. " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private void loadChunks(ConcurrentLinkedQueue<String> chunks, List<Connection> connections,
                            List<StatementSender> senders, Path directory,
                            Compression compression, Deadline deadline, Log restoreLog)
            throws EngineException, InterruptedException, SQLException, IOException {
        ExecutorService pool = Executors.newFixedThreadPool(connections.size(), runnable -> {
            Thread thread = new Thread(runnable, "mysql-lifecycle restore");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (StatementSender sender : senders) {
                running.add(pool.submit(() -> {
                    String chunk;
                    while ((chunk = chunks.poll()) != null) {
                        execute(sender, directory.resolve(chunk), compression);
                    }
                    return null;
                }));
            }
            for (Future<Void> worker : running) {
                while (true) {
                    try {
                        worker.get(Math.max(1, Durations.min(PROGRESS_INTERVAL, deadline.remaining()).toNanos()),
                                TimeUnit.NANOSECONDS);
                        break;
                    } catch (java.util.concurrent.TimeoutException notYet) {
                        if (deadline.hasExpired()) {
                            abort(connections);
                            throw new OperationTimeoutException("The restore did not finish within its timeout of "
                                    + Durations.describe(deadline.elapsed()) + "; its connections were closed. The"
                                    + " server holds what was loaded until then.", null);
                        }
                        restoreLog.info(rowsLoaded.get() + " rows loaded, " + Bytes.describe(bytesRead.get())
                                + " read");
                    } catch (java.util.concurrent.ExecutionException failed) {
                        abort(connections);
                        Throwable cause = failed.getCause();
                        if (cause instanceof SQLException sql) {
                            throw sql;
                        }
                        if (cause instanceof EngineException engine) {
                            throw engine;
                        }
                        if (cause instanceof IOException io) {
                            throw io;
                        }
                        throw new EngineException("A restore worker failed: " + cause, cause);
                    } catch (InterruptedException interrupted) {
                        abort(connections);
                        throw interrupted;
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    private static void abort(List<Connection> connections) {
        for (Connection connection : connections) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // the restore is failing anyway
            }
        }
    }

    /** Runs the statements of one of this tool's files (see {@link FileStatements} for how they are split). */
    private void execute(StatementSender sender, Path file, Compression compression)
            throws IOException, EngineException, InterruptedException {
        // a file of the dump's directory: one its metadata lists and that was checked, never a link put there since
        try (FileStatements statements = FileStatements.start(decompressed(file, compression,
                java.nio.file.LinkOption.NOFOLLOW_LINKS), file.getFileName().toString(), sender.prefixBytes(),
                sender.buffers)) {
            FileStatements.Statement statement;
            while ((statement = statements.next()) != null) {
                long changed = executeStatement(sender, statement, file);
                if (statements.isInsert(statement)) {
                    rowsLoaded.addAndGet(changed);
                }
                statements.done(statement);
            }
        }
    }

    private static final int ER_LOCK_DEADLOCK = 1213;
    private static final int DEADLOCK_ATTEMPTS = 5;

    /** Returns the rows the statement changed. */
    private static long executeStatement(StatementSender sender, FileStatements.Statement statement, Path file)
            throws EngineException {
        for (int attempt = 1; ; attempt++) {
            try {
                return sender.execute(statement.bytes().buffer(), statement.bytes().length());
            } catch (SQLException e) {
                // Two connections starting on chunks of one empty table at the same moment can deadlock (MariaDB's
                // bulk load into an empty table takes its table lock; seen once in ParallelDumpTest). Each statement
                // runs in autocommit, so the one chosen as the victim was rolled back whole and is run again.
                if (e.getErrorCode() == ER_LOCK_DEADLOCK && attempt < DEADLOCK_ATTEMPTS) {
                    continue;
                }
                throw new EngineException("Loading " + file.getFileName() + " failed at statement "
                        + statement.number() + ": " + e.getMessage() + " (error " + e.getErrorCode() + ")", e);
            }
        }
    }

    private InputStream decompressed(Path file, Compression compression, java.nio.file.OpenOption... options)
            throws IOException {
        InputStream raw = new FilterInputStream(Files.newInputStream(file, options)) {
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    bytesRead.addAndGet(n);
                }
                return n;
            }
        };
        return switch (compression) {
            case NONE -> raw;
            case GZIP -> new GZIPInputStream(raw, 64 * 1024);
            case ZSTD -> new com.github.luben.zstd.ZstdInputStream(raw);
        };
    }

    private String findClient() throws EngineException {
        for (String name : CLIENT_TOOLS) {
            var found = Installation.find(host, name, List.of());
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new EngineException("No client (mariadb or mysql) found on " + host.describe() + ". Install it"
                + " (Debian: apt-get install -y mariadb-client) or give its path.");
    }
}
