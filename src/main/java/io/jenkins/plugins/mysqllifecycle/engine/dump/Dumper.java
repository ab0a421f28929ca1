package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.BinlogCoordinates;
import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.Tls;
import io.jenkins.plugins.mysqllifecycle.engine.format.DumpNames;
import io.jenkins.plugins.mysqllifecycle.engine.format.Manifest;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import io.jenkins.plugins.mysqllifecycle.engine.host.RunningCommand;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.DataConnections;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.ServerGreeting;
import io.jenkins.plugins.mysqllifecycle.engine.retention.Retention;
import io.jenkins.plugins.mysqllifecycle.engine.sql.LockLimits;
import io.jenkins.plugins.mysqllifecycle.engine.sql.ServerVersion;
import io.jenkins.plugins.mysqllifecycle.engine.sql.SnapshotLock;
import io.jenkins.plugins.mysqllifecycle.engine.sql.SnapshotSchema;
import io.jenkins.plugins.mysqllifecycle.engine.sql.TableDefinitions;
import io.jenkins.plugins.mysqllifecycle.engine.sql.Sql;
import io.jenkins.plugins.mysqllifecycle.engine.tools.Installation;
import io.jenkins.plugins.mysqllifecycle.engine.tools.OptionFile;
import io.jenkins.plugins.mysqllifecycle.engine.tools.ToolTls;
import io.jenkins.plugins.mysqllifecycle.engine.tools.ToolVersion;
import io.jenkins.plugins.mysqllifecycle.engine.util.Bytes;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;
import io.jenkins.plugins.mysqllifecycle.engine.util.IoErrors;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import io.jenkins.plugins.mysqllifecycle.engine.verify.DumpVerifier;
import io.jenkins.plugins.mysqllifecycle.engine.verify.TableCheck;
import io.jenkins.plugins.mysqllifecycle.engine.verify.ToolSnapshotWitness;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a consistent logical dump with the server's own dump tool ({@code --single-transaction}), compressed and
 * hashed on the way, to {@code FILE.partial}; only a dump whose tool exited 0 and wrote its completion line is
 * forced to disk and renamed to FILE. Any failure, timeout or interrupt leaves no FILE (an older FILE stays as it
 * was) and no {@code .partial}.
 */
public final class Dumper {
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);
    /** How long the server may take to greet a new connection with its version. */
    private static final Duration GREETING_TIMEOUT = Duration.ofSeconds(10);
    /** After the output ends, how long the tool may take to exit before it counts as hung. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(30);

    private final Host host;
    private final PrintStream logStream;
    private final Log log;
    private final Duration progressInterval;

    public Dumper(Host host, PrintStream log) {
        this(host, log, PROGRESS_INTERVAL);
    }

    Dumper(Host host, PrintStream log, Duration progressInterval) {
        this.host = host;
        this.logStream = log;
        this.log = new Log(log);
        this.progressInterval = progressInterval;
    }

    /**
     * Dumps; with {@code verify}, the finished dump is then restored into a scratch server and compared table by table
     * with the source as it was in the dump's snapshot, and a difference fails the dump (the files stay for a look).
     */
    public DumpResult dump(DumpSpec spec) throws EngineException, InterruptedException {
        OptionFile.checkUsable(host, spec.password(), spec.defaultsFile());
        ToolTls.checkCaFile(host, spec.tls());
        if (spec.tls().mode() != Tls.Mode.DISABLED) {
            log.about("dump " + spec.host() + ":" + spec.port()).info("TLS " + spec.tls().describe());
        }
        DumpResult result;
        if (spec.method() == DumpMethod.PARALLEL) {
            List<TableCheck> checks = new ArrayList<>();
            result = new ParallelDumper(host, log, progressInterval, ParallelDumper.CHUNK_BYTES).dump(spec, checks);
            if (spec.verify()) {
                result = verify(result, checks, spec, List.of());
            }
        } else {
            List<TableCheck> checks = new ArrayList<>();
            List<String> toolDirectory = new ArrayList<>();
            result = dumpWithTool(spec, checks, toolDirectory);
            if (spec.verify()) {
                result = verify(result, checks, spec, toolDirectory);
            }
        }
        // only a complete (and, when asked, verified) dump makes older ones go
        return new Retention(log.about("retention " + Path.of(result.file()).getParent())).apply(result,
                spec.keep());
    }

    private DumpResult verify(DumpResult result, List<TableCheck> checks, DumpSpec spec, List<String> toolDirectory)
            throws EngineException, InterruptedException {
        new DumpVerifier(host, logStream).verify(result, checks, spec.verifyServer(), toolDirectory);
        DumpResult verified = result.asVerified();
        try {
            Manifest.write(Path.of(result.manifest()), verified.toManifest());
        } catch (IOException e) {
            throw new EngineException("Writing the manifest " + result.manifest() + " failed: " + e.getMessage(), e);
        }
        return verified;
    }

    /** The dump tool's dump; with verify, {@code checks} receives the source's tables in the tool's snapshot. */
    /** @param toolDirectory receives the directory of the dump tool, where verify looks for a server first */
    private DumpResult dumpWithTool(DumpSpec spec, List<TableCheck> checks, List<String> toolDirectory)
            throws EngineException, InterruptedException {
        try (OutputClaim claim = OutputClaim.claim(outputOf(spec))) {
            return dumpWithToolClaimed(spec, checks, toolDirectory);
        }
    }

    private DumpResult dumpWithToolClaimed(DumpSpec spec, List<TableCheck> checks, List<String> toolDirectory)
            throws EngineException, InterruptedException {
        Path output = outputOf(spec);
        Path partial = partialOf(spec);
        Path manifest = DumpNames.manifestOf(output);
        Log dumpLog = log.about("dump " + (spec.socket() != null ? spec.socket() : spec.host() + ":" + spec.port()));
        warnOnSuffixMismatch(output, spec.compression(), dumpLog);

        Optional<ServerGreeting.Greeting> greeting = askGreeting(spec, dumpLog);
        Optional<ServerVersion> server = greeting.map(said -> ServerVersion.parse(said.version()));
        Installation.FoundTool dumpTool = chooseDumpTool(spec, server);
        String tool = dumpTool.path();
        String toolVersion = dumpTool.version();
        ToolTls.refuseWhatTheToolCannotDo(spec.tls(), dumpTool.flavor(), ProcessInfo.baseName(tool), greeting,
                spec.host() + ":" + spec.port(), dumpLog);
        if (tool.lastIndexOf('/') > 0) {
            toolDirectory.add(tool.substring(0, tool.lastIndexOf('/')));
        }
        if (dumpTool.flavor() != Flavor.MYSQL && !spec.setGtidPurged().equals(DumpSpec.DEFAULT_SET_GTID_PURGED)) {
            throw new InvalidSpecException("--set-gtid-purged " + spec.setGtidPurged() + " is an option of MySQL's"
                    + " mysqldump; " + dumpTool.describe() + " has none. Leave it out.");
        }
        SourceState source = sourceState(spec, dumpLog);
        Instant startedAt = Instant.now();
        Deadline deadline = Deadline.after(spec.timeout());

        FileChannel channel = openPartial(output, partial);
        ToolTls.warnIfDefaultsFileSetsTls(host, spec.defaultsFile(), spec.tls(), dumpLog);
        OptionFile options = OptionFile.of(spec.password(), spec.defaultsFile(),
                ToolTls.options(spec.tls(), dumpTool.flavor()));
        boolean complete = false;
        try {
            List<String> command = command(tool, dumpTool.flavor(), spec, options, source != null
                    && source.binaryLog());
            dumpLog.info("dumping " + (spec.allDatabases() ? "all databases" : String.join(", ", spec.databases()))
                    + " with " + tool + " " + toolVersion + " to " + output + " (" + spec.compression().id()
                    + ", timeout " + Durations.describe(spec.timeout()) + ")");
            boolean witnessCoordinates = dumpTool.flavor() == Flavor.MYSQL && source != null && source.binaryLog();
            ToolRun run;
            try (java.sql.Connection watching = source == null ? null
                    : engineConnections(spec, "the DDL watch").open()) {
                DdlWatch ddl = watching == null ? null : new DdlWatch(watching, source.databases(),
                        spec.lockWaitTimeout(), dumpLog);
                run = runDump(command, dumpTool.flavor(), options, channel, spec, deadline, dumpLog, checks,
                        witnessCoordinates, ddl);
            } catch (java.sql.SQLException e) {
                throw new EngineException("The dump could not watch for DDL while its tool runs: "
                        + Sql.describe(e, spec.user()), e);
            } catch (OperationTimeoutException e) {
                throw e;
            } catch (EngineException e) {
                // a tool that stopped at a table DDL changed under it (MySQL's error 1412, a table gone) says so in
                // its own words; the cause comes first
                if (source != null) {
                    blameDdlIfAny(spec, source, e);
                }
                throw e;
            }
            DumpCopier copied = run.copier();
            if (source != null) {
                requireNoDdl(spec, source, "");
            }
            BinlogCoordinates binlog = source == null ? null : !source.binaryLog() ? BinlogCoordinates.OFF
                    : witnessCoordinates ? run.witnessed() : copied.binlogCoordinates();
            if (source != null && source.binaryLog() && binlog == null) {
                dumpLog.warn("the binary log coordinates of the dump's snapshot are not recorded in the manifest");
            }
            channel.force(true);
            DumpResult result = new DumpResult(output.toString(), manifest.toString(), copied.fileBytes(),
                    copied.sha256(), spec.compression(), spec.databases(), spec.allDatabases(),
                    copied.serverVersion(), ProcessInfo.baseName(tool), toolVersion, startedAt,
                    deadline.elapsed().toMillis(), copied.rawBytes(), DumpResult.FILE, false, binlog, List.of());
            // the manifest is complete on disk before the dump takes its name: only renames are left after this
            Manifest.Pending pendingManifest = Manifest.prepare(manifest, result.toManifest());
            if (Files.exists(output)) {
                dumpLog.info("replacing the existing " + output);
            }
            try {
                Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                pendingManifest.discard();
                throw e;
            }
            complete = true;
            // held until FILE.partial is renamed: a dump that locked it before would truncate this one's bytes
            closeQuietly(channel);
            putInPlace(pendingManifest, output, manifest);
            dumpLog.info("wrote " + output + ": " + Bytes.describe(result.bytes()) + " (" + Bytes.describe(
                    result.rawBytes()) + " of SQL) in " + Durations.describe(deadline.elapsed()) + ", sha256 "
                    + result.sha256());
            return result;
        } catch (IOException e) {
            throw new EngineException("Writing the dump " + output + " failed: " + describe(e)
                    + ". No dump file was left behind" + (Files.exists(output) ? "; the earlier " + output
                    + " is as it was" : "") + ".", e);
        } finally {
            if (!complete) {
                // removed while still locked, so that it cannot be another dump's by then
                deleteQuietly(partial, dumpLog);
                closeQuietly(channel);
            }
        }
    }

    /**
     * Renames the manifest into place once its dump has its name, and makes both renames durable. Only a rename
     * can fail here: the message says what is on disk then, since the dump itself is complete.
     */
    static void putInPlace(Manifest.Pending pendingManifest, Path output, Path manifest) throws EngineException {
        try {
            pendingManifest.commit();
        } catch (IOException e) {
            pendingManifest.discard();
            throw new EngineException("The dump " + output + " is complete, but its manifest could not be renamed"
                    + " into place (" + describe(e) + "): " + manifest + " is missing or still describes the"
                    + " earlier dump, so a restore refuses " + output + ". Dump again.", e);
        }
        try {
            forceDirectory(output.getParent());
        } catch (IOException e) {
            throw new EngineException("The dump " + output + " and its manifest are in place, but syncing their"
                    + " directory failed (" + describe(e) + "): a crash now could lose the renames. Check the disk"
                    + " of " + output.getParent() + ".", e);
        }
    }

    /** The tool's output as copied, and the coordinates read under the witness's lock (null without one). */
    private record ToolRun(DumpCopier copier, BinlogCoordinates witnessed) {
    }

    /**
     * @param witnessCoordinates hold commits while the tool starts, to read where its snapshot stands (MySQL's tool
     *                           cannot say that without a lock of its own, which it would not bound)
     */
    private ToolRun runDump(List<String> command, Flavor toolFlavor, OptionFile options, FileChannel channel,
                            DumpSpec spec, Deadline deadline, Log dumpLog, List<TableCheck> checks,
                            boolean witnessCoordinates, DdlWatch ddl)
            throws EngineException, InterruptedException, IOException {
        Path partial = partialOf(spec);
        boolean toolWritesFile = spec.compression() == Compression.NONE && host instanceof LocalHost;
        DumpCopier.Streaming streaming = toolWritesFile ? null : DumpCopier.streaming(channel, spec.compression());
        try (ToolSnapshotWitness witness = spec.verify() || witnessCoordinates
                ? lockForWitness(spec, deadline, dumpLog) : null;
             RunningCommand dump = toolWritesFile
                     ? ((LocalHost) host).startWritingTo(command, options.toolInput(), partial)
                     : host.start(command, options.toolInput(), streaming.input())) {
            DumpCopier copier = toolWritesFile
                    ? DumpCopier.following(channel, () -> hasExited(dump), "mysql-lifecycle dump to " + partial)
                    : streaming;
            try {
                if (witness != null) {
                    witness.awaitToolSnapshotThenUnlock(() -> hasExited(dump));
                }
                awaitCopy(copier, deadline, dump, dumpLog, ddl);
                if (witness != null && spec.verify()) {
                    dumpLog.info("counting and checksumming the source's tables in the dump's snapshot");
                    checks.addAll(witness.checks(spec.databases(), spec.allDatabases()));
                }
            } catch (java.sql.SQLException e) {
                dump.destroy();
                awaitEndQuietly(copier);
                throw new EngineException("Taking the source's checksums or coordinates in the dump's snapshot"
                        + " failed: " + Sql.describe(e, spec.user()) + ". The dump tool was stopped and nothing was"
                        + " kept.", e);
            } catch (EngineException | IOException | InterruptedException | RuntimeException e) {
                dump.destroy();
                awaitEndQuietly(copier);
                throw e;
            }
            OptionalInt exit = dump.waitFor(EXIT_WAIT);
            String tool = ProcessInfo.baseName(command.get(0));
            if (exit.isEmpty()) {
                throw new EngineException(tool + " closed its output but did not exit within "
                        + Durations.describe(EXIT_WAIT) + "; it was killed and the dump discarded.");
            }
            if (exit.getAsInt() != 0) {
                throw new EngineException(tool + " failed with exit code " + exit.getAsInt() + ": "
                        + dump.stderrTail().strip() + explainWriteError(dump.stderrTail(), spec)
                        + ". No dump file was written." + ToolTls.explain(dump.stderrTail(), spec.tls(), toolFlavor,
                        spec.host() + ":" + spec.port()));
            }
            if (!copier.endsWithCompletionLine()) {
                throw new EngineException(tool + " exited 0 but its output does not end with '"
                        + DumpCopier.COMPLETION_LINE + "': the dump is incomplete and was discarded. "
                        + dump.stderrTail().strip());
            }
            return new ToolRun(copier, witness == null ? null : witness.coordinates());
        }
    }

    /**
     * The witness's lock: verify needs it (the source's checksums in the tool's snapshot); without verify it only
     * records the coordinates, which an account that may not lock still gets when nothing commits while the tool
     * starts ({@link ToolSnapshotWitness#watchWithoutLock}).
     */
    private ToolSnapshotWitness lockForWitness(DumpSpec spec, Deadline deadline, Log dumpLog) throws EngineException,
            InterruptedException {
        DataConnections server = DataConnections.to(host, spec.host(), spec.port(), spec.socket(), spec.user(),
                spec.password(), spec.defaultsFile(), spec.tls(), spec.verify() ? "verify"
                        : "the binary log coordinates");
        // for the coordinates alone a dump neither waits for a long statement nor stops one: if anything holds the
        // lock up, it reads them without one
        LockLimits limits = spec.verify() ? lockLimits(spec) : new LockLimits(spec.lockWaitTimeout(),
                Duration.ofMillis(1), false);
        try {
            return ToolSnapshotWitness.lockBeforeDump(server, limits, deadline, dumpLog, spec.verify(),
                    spec.verify() ? "dump without verify" : "leave the coordinates out of the manifest");
        } catch (OperationTimeoutException e) {
            throw e;
        } catch (EngineException e) {
            if (spec.verify()) {
                throw e;
            }
            dumpLog.info("the coordinates are read without a lock, so they are recorded only if nothing commits while"
                    + " the dump tool starts: " + e.getMessage());
        } catch (java.sql.SQLException e) {
            throw new EngineException("The dump could not hold commits while its tool starts (for "
                    + (spec.verify() ? "verify's checksums" : "the binary log coordinates") + "): "
                    + Sql.describe(e, spec.user()), e);
        }
        try {
            return ToolSnapshotWitness.watchWithoutLock(server, dumpLog);
        } catch (SnapshotLock.NotPermittedException | java.sql.SQLException e) {
            dumpLog.warn("the binary log coordinates of the dump's snapshot are not recorded: " + e.getMessage());
            return null;
        }
    }

    /** How far the dump may hold the server up for its snapshot, from the spec's options. */
    static LockLimits lockLimits(DumpSpec spec) {
        return new LockLimits(spec.lockWaitTimeout(), spec.longQueryGuard(), spec.killLongQueries());
    }

    /**
     * What the engine learns over its own connection before the tool starts: whether the server writes a binary log
     * (so whether to ask the tool for its snapshot's coordinates), and the definitions of the tables the dump is about
     * to read, to see DDL that changes one under the tool. Null when the engine cannot log in itself (a socket, a
     * defaults file): the dump is made without both.
     */
    private record SourceState(boolean binaryLog, List<String> databases, TableDefinitions tables) {
    }

    private SourceState sourceState(DumpSpec spec, Log dumpLog) throws InterruptedException {
        if (spec.socket() != null || spec.password() == null && spec.defaultsFile() != null) {
            dumpLog.info("the binary log coordinates are not recorded in the manifest, and DDL during the dump is not"
                    + " watched: the engine logs in over TCP with a password it is given, and this dump uses "
                    + (spec.socket() != null ? "a socket" : "a defaults file"));
            return null;
        }
        try (java.sql.Connection connection = engineConnections(spec, "the binary log coordinates").open()) {
            boolean binaryLog = "1".equals(queryOne(connection, "SELECT @@log_bin"));
            List<String> databases = spec.allDatabases() ? SnapshotSchema.allDatabases(connection) : spec.databases();
            return new SourceState(binaryLog, databases, TableDefinitions.read(connection, databases));
        } catch (java.sql.SQLException | EngineException e) {
            dumpLog.warn("could not ask the server about its binary log and tables (" + e.getMessage() + "): the"
                    + " manifest records no coordinates, and DDL during the dump is not watched");
            return null;
        }
    }

    /**
     * After the tool failed: when DDL changed a table it was reading (MySQL's tool stops at error 1412, or at a table
     * gone), that is the cause and comes first. A check that cannot be made (the server or the connection to it is
     * gone) says nothing: the tool's own failure does.
     */
    private void blameDdlIfAny(DumpSpec spec, SourceState source, EngineException toolFailure) throws EngineException {
        List<String> changed;
        try (java.sql.Connection connection = engineConnections(spec, "the DDL watch").open()) {
            connection.setNetworkTimeout(Runnable::run, (int) DdlWatch.READ_TIMEOUT.toMillis());
            changed = source.tables().changedIn(TableDefinitions.read(connection, source.databases()));
        } catch (java.sql.SQLException | EngineException | RuntimeException unknown) {
            return;
        }
        if (!changed.isEmpty()) {
            throw new EngineException(TableDefinitions.failure(changed, "while the dump tool read the databases")
                    + " (" + toolFailure.getMessage() + ")", toolFailure);
        }
    }

    /**
     * Fails the dump when DDL changed a table it read while the tool ran (see {@link TableDefinitions}).
     *
     * @param toolSaid what the tool's failure said, appended to the message; empty when it did not fail
     */
    private void requireNoDdl(DumpSpec spec, SourceState source, String toolSaid) throws EngineException {
        List<String> changed;
        try (java.sql.Connection connection = engineConnections(spec, "the DDL watch").open()) {
            changed = source.tables().changedIn(TableDefinitions.read(connection, source.databases()));
        } catch (java.sql.SQLException e) {
            throw new EngineException("Could not check that no DDL changed the dumped tables while the dump ran: "
                    + Sql.describe(e, spec.user()) + ". Nothing was kept.", e);
        }
        if (!changed.isEmpty()) {
            throw new EngineException(TableDefinitions.failure(changed, "while the dump tool read the databases")
                    + toolSaid);
        }
    }

    private DataConnections engineConnections(DumpSpec spec, String what) throws EngineException {
        return DataConnections.to(host, spec.host(), spec.port(), null, spec.user(), spec.password(), null, spec.tls(),
                what);
    }

    private static String queryOne(java.sql.Connection connection, String sql) throws java.sql.SQLException {
        try (java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        }
    }

    private static final Pattern WRITE_ERRNO = Pattern.compile("errno (\\d+) on write");

    /** When the dump tool wrote the file itself, it names a failed write by its errno only. */
    private static String explainWriteError(String stderr, DumpSpec spec) {
        Matcher matcher = WRITE_ERRNO.matcher(stderr);
        if (!matcher.find()) {
            return "";
        }
        String directory = String.valueOf(outputOf(spec).getParent());
        return switch (Integer.parseInt(matcher.group(1))) {
            case 28 -> " (No space left on device: free space in " + directory + " or write the dump elsewhere)";
            case 122 -> " (Disk quota exceeded in " + directory + ")";
            case 27 -> " (File too large for the file system of " + directory + ")";
            case 5 -> " (Input/output error on the disk of " + directory + ")";
            default -> " (writing into " + directory + " failed)";
        };
    }

    private static boolean hasExited(RunningCommand command) {
        try {
            return command.waitFor(Duration.ZERO).isPresent();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits for the copy, logging progress every interval, enforcing the deadline; interrupts propagate. */
    /** @param ddl looks every second for DDL the tool's locks hold up, and gives way to it; null for none */
    private void awaitCopy(DumpCopier copier, Deadline deadline, RunningCommand dump, Log dumpLog, DdlWatch ddl)
            throws EngineException, InterruptedException, IOException {
        long lastRaw = 0;
        long lastNanos = System.nanoTime();
        Duration look = ddl == null ? progressInterval : Durations.min(progressInterval, DdlWatch.LOOK_INTERVAL);
        while (!copier.awaitEnd(Math.max(1, Math.min(look.toNanos(), deadline.remaining().toNanos())))) {
            if (deadline.hasExpired()) {
                throw new OperationTimeoutException("The dump did not finish within its timeout of "
                        + Durations.describe(deadline.elapsed()) + " (" + Bytes.describe(copier.rawBytes())
                        + " of SQL read so far); the dump tool was stopped and nothing was kept. "
                        + dump.stderrTail().strip(), null);
            }
            if (ddl != null && ddl.waits()) {
                ddl.giveWay(); // the caller stops the tool
            }
            long now = System.nanoTime();
            if (now - lastNanos < progressInterval.toNanos()) {
                continue;
            }
            long raw = copier.rawBytes();
            double seconds = (now - lastNanos) / 1e9;
            dumpLog.info(Bytes.describe(raw) + " of SQL read, " + Bytes.describe(copier.fileBytes())
                    + " written, " + Bytes.describe((long) ((raw - lastRaw) / seconds)) + "/s");
            lastRaw = raw;
            lastNanos = now;
        }
    }

    /** After a failure: the copy ends once the destroyed tool's output does; what it says then no longer matters. */
    private static void awaitEndQuietly(DumpCopier copier) throws InterruptedException {
        try {
            copier.awaitEnd(EXIT_WAIT.toNanos());
        } catch (IOException ignored) {
            // the failure being reported is the first one
        }
    }

    private static Path outputOf(DumpSpec spec) {
        return Path.of(spec.output()).toAbsolutePath().normalize();
    }

    private static Path partialOf(DumpSpec spec) {
        Path output = outputOf(spec);
        return DumpNames.partialOf(output);
    }

    /**
     * What the server says it is in its greeting, before any login; empty (with a warning) when the engine cannot
     * reach it itself: a socket on an SSH host, or a server that is not on the SSH host's loopback address.
     */
    private Optional<ServerGreeting.Greeting> askGreeting(DumpSpec spec, Log dumpLog) {
        try {
            ServerGreeting.Greeting greeting = ServerGreeting.greetingOf(host, spec.host(), spec.port(),
                    spec.socket(), GREETING_TIMEOUT);
            ServerVersion.parse(greeting.version()); // a version the engine cannot read counts as no answer
            return Optional.of(greeting);
        } catch (IOException | RuntimeException e) {
            // the dump tool then says in its own words what is wrong with the connection
            dumpLog.warn("could not ask the server its version (" + e.getMessage() + "); the dump tool is chosen by"
                    + " what is installed, MariaDB's first");
            return Optional.empty();
        }
    }

    /**
     * A dump tool of the server's own flavor: a dump MariaDB's tool made of a MySQL server does not load back into
     * MySQL (error 3105 at a generated column), and MySQL's tool writes MySQL-only statements. The tool given
     * (--dump-tool) must be of that flavor; otherwise the first of that flavor's tools found on PATH or in the usual
     * directories. Refused before anything is written when none is.
     */
    private Installation.FoundTool chooseDumpTool(DumpSpec spec, Optional<ServerVersion> server)
            throws EngineException, InterruptedException {
        if (spec.dumpTool() != null) {
            String versionLine = Installation.versionOf(host, spec.dumpTool(), "--dump-tool");
            Installation.FoundTool given = new Installation.FoundTool(spec.dumpTool(),
                    Flavor.fromVersionOutput(versionLine), ToolVersion.parse(versionLine));
            if (server.isPresent() && given.flavor() != server.get().flavor()) {
                throw new InvalidSpecException("--dump-tool " + given.describe() + " cannot dump "
                        + server.get().describe() + ": " + mismatchReason(server.get().flavor()) + " Give "
                        + toolNeeded(server.get()) + " with --dump-tool, or use --method parallel.");
            }
            return given;
        }
        Flavor flavor = server.map(ServerVersion::flavor).orElse(Flavor.MARIADB);
        List<Installation.FoundTool> found = Installation.findTools(host, flavor == Flavor.MARIADB
                ? Flavor.MARIADB.dumpTools() : List.of("mysqldump", "mariadb-dump"), List.of());
        for (Installation.FoundTool tool : found) {
            if (server.isEmpty() || tool.flavor() == flavor) {
                return tool;
            }
        }
        if (server.isEmpty()) {
            throw new EngineException("No dump tool (mariadb-dump or mysqldump) found on " + host.describe()
                    + ". Install the client (Debian: apt-get install -y mariadb-client) or give its path.");
        }
        throw new EngineException("No dump tool for " + server.get().describe() + " found on " + host.describe()
                + (found.isEmpty() ? "" : "; there is only " + String.join(", ", found.stream()
                .map(Installation.FoundTool::describe).toList()) + ", and " + mismatchReason(flavor))
                + (found.isEmpty() ? "." : "") + " Install " + toolNeeded(server.get()) + " and give its path with --dump-tool (or put it on"
                + " PATH), or use --method parallel. Nothing was written.");
    }

    private static String mismatchReason(Flavor serverFlavor) {
        return serverFlavor == Flavor.MYSQL
                ? "a dump MariaDB's tool makes of a MySQL server does not load back into MySQL (error 3105 at a"
                        + " generated column)."
                : "MySQL's mysqldump writes statements MariaDB does not know.";
    }

    private static String toolNeeded(ServerVersion server) {
        return server.flavor() == Flavor.MYSQL
                ? "MySQL's own mysqldump, of the server's version " + server.major() + "." + server.minor()
                        + " or later (Debian: mysql-client; Oracle: the server's bin directory)"
                : "MariaDB's mariadb-dump (Debian: apt-get install -y mariadb-client)";
    }

    /** @param coordinates ask the tool to write where its snapshot stands in the binary log (MariaDB's tool) */
    private static List<String> command(String tool, Flavor toolFlavor, DumpSpec spec, OptionFile options,
                                        boolean coordinates) {
        List<String> command = new ArrayList<>();
        command.add(tool);
        // The option-file flag must come first; the password comes only through it, from a pipe.
        command.add(options.toolArgument());
        if (spec.socket() != null) {
            command.add("--protocol=SOCKET");
            command.add("--socket=" + spec.socket());
        } else {
            command.add("--protocol=TCP");
            command.add("--host=" + spec.host());
            command.add("--port=" + spec.port());
        }
        command.add("--user=" + spec.user());
        command.addAll(List.of("--single-transaction", "--quick", "--routines", "--events", "--triggers",
                "--hex-blob", "--default-character-set=utf8mb4", "--comments"));
        if (toolFlavor == Flavor.MYSQL) {
            // AUTO (MySQL's default) writes SET @@GLOBAL.GTID_PURGED: the dump then fails to load into its source or
            // twice into any server (error 3546), and making it needs RELOAD; the manifest records the set instead
            command.add("--set-gtid-purged=" + spec.setGtidPurged());
            if (!spec.setGtidPurged().equals(DumpSpec.DEFAULT_SET_GTID_PURGED)) {
                // with GTID_PURGED to write, mysqldump takes FLUSH TABLES WITH READ LOCK itself: bounded as the dump's
                // own lock is ("loose": a mysqldump without the option ignores it)
                command.add("--loose-init-command=SET SESSION lock_wait_timeout = "
                        + Math.max(1, spec.lockWaitTimeout().toSeconds()));
            }
        } else if (coordinates) {
            // MariaDB's tool reads the coordinates of its own snapshot (binlog_snapshot_file and _position) with no
            // lock and no privilege, and writes them as comments: CHANGE MASTER TO ... and gtid_slave_pos
            command.add("--master-data=2");
            command.add("--gtid");
        }
        if (spec.allDatabases()) {
            command.add("--all-databases");
        } else {
            command.add("--databases");
            // after '--' a name that starts with '-' is a name, not an option
            command.add("--");
            command.addAll(spec.databases());
        }
        return command;
    }

    private FileChannel openPartial(Path output, Path partial) throws EngineException {
        Path directory = partial.getParent();
        if (!Files.isDirectory(directory)) {
            throw new InvalidSpecException("The output directory " + directory + " does not exist; create it or"
                    + " give another output path.");
        }
        try {
            // never through a link someone left at FILE.partial
            FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw OutputClaim.anotherDumpIsWriting(output);
            }
            channel.truncate(0);
            return channel;
        } catch (AccessDeniedException e) {
            throw new EngineException("Cannot write to the output directory " + directory + ": permission denied."
                    + " Give the engine's user write access or choose another output path.", e);
        } catch (IOException e) {
            throw new EngineException("Cannot create " + partial + ": " + describe(e), e);
        }
    }

    /** Makes the renames durable: on Linux a directory is synced through a read-only channel on it. */
    static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void warnOnSuffixMismatch(Path output, Compression compression, Log dumpLog) {
        String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
        for (Compression other : Compression.values()) {
            if (other != Compression.NONE && other != compression && name.endsWith(other.suffix())) {
                dumpLog.warn(output + " ends in " + other.suffix() + " but is written with compress "
                        + compression.id());
            }
        }
        if (compression != Compression.NONE && !name.endsWith(compression.suffix())) {
            dumpLog.warn(output + " is " + compression.id() + "-compressed but its name does not end in "
                    + compression.suffix());
        }
    }

    static String describe(IOException e) {
        return IoErrors.describe(e);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the partial file is deleted next; nothing in it is kept
        }
    }

    private static void deleteQuietly(Path partial, Log dumpLog) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            dumpLog.warn("could not remove " + partial + ": " + e.getMessage() + "; remove it by hand");
        }
    }
}
