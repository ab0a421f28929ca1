package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.BinlogCoordinates;
import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.format.DirectoryMetadata;
import io.jenkins.plugins.mysqllifecycle.engine.format.DumpNames;
import io.jenkins.plugins.mysqllifecycle.engine.format.Manifest;
import io.jenkins.plugins.mysqllifecycle.engine.format.Sha256;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.DataConnections;
import io.jenkins.plugins.mysqllifecycle.engine.restore.RestoreSession;
import io.jenkins.plugins.mysqllifecycle.engine.sql.BinaryLog;
import io.jenkins.plugins.mysqllifecycle.engine.sql.ServerVersion;
import io.jenkins.plugins.mysqllifecycle.engine.sql.SnapshotLock;
import io.jenkins.plugins.mysqllifecycle.engine.sql.SnapshotSchema;
import io.jenkins.plugins.mysqllifecycle.engine.sql.Sql;
import io.jenkins.plugins.mysqllifecycle.engine.sql.SqlText;
import io.jenkins.plugins.mysqllifecycle.engine.sql.TableDefinitions;
import io.jenkins.plugins.mysqllifecycle.engine.util.Bytes;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import io.jenkins.plugins.mysqllifecycle.engine.verify.TableCheck;
import io.jenkins.plugins.mysqllifecycle.engine.verify.ToolSnapshotWitness;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A consistent dump by several Connector/J connections at once, into a directory: one file per table chunk, a schema
 * file per table, {@code metadata.json} with every file's row count and SHA-256, and the manifest beside the
 * directory. All connections read one snapshot: each worker starts {@code START TRANSACTION WITH CONSISTENT SNAPSHOT}
 * while commits are blocked for that instant ({@link SnapshotLock}), and the schema is read inside the snapshot
 * after commits go on again. The directory is written as {@code OUTPUT.partial} and renamed once complete.
 */
public final class ParallelDumper {
    /**
     * No chunk file is planned larger than this, so that a restore has files to spread over its connections and a
     * huge table is not one file.
     */
    static final long CHUNK_BYTES = 1024L * 1024 * 1024;
    /** Pieces smaller than this are not split further: the query per piece would cost more than it balances. */
    private static final long SMALLEST_SPLIT_BYTES = 1024L * 1024;
    /** How far past an even share of the work the busiest worker may be planned before a table is split more. */
    private static final double BALANCE_TOLERANCE = 1.1;
    /** One INSERT statement stops growing past this size; the server's max_allowed_packet is 16 MiB or more. */
    private static final int STATEMENT_BYTES = 1024 * 1024;
    /** How much SQL a chunk gets between early writebacks (see {@link DiskSync#startWriteback}). */
    private static final long WRITEBACK_BYTES = 32L * 1024 * 1024;

    private final Host host;
    private final Log log;
    private final Duration progressInterval;
    private final long chunkBytes;

    ParallelDumper(Host host, Log log, Duration progressInterval, long chunkBytes) {
        this.host = host;
        this.log = log;
        this.progressInterval = progressInterval;
        this.chunkBytes = chunkBytes;
    }

    /** A range of a table's rows: the whole table when {@code from} is null. */
    private record Chunk(SnapshotSchema.Table table, int index, BigInteger from, BigInteger to, boolean last,
                         long estimatedBytes) {
        String where() {
            if (from == null) {
                return "";
            }
            String key = SqlText.quoteName(table.integerKey());
            return " WHERE " + key + " >= " + from + " AND " + key + (last ? " <= " : " < ") + to;
        }
    }

    DumpResult dump(DumpSpec spec) throws EngineException, InterruptedException {
        return dump(spec, new ArrayList<>());
    }

    /** Dumps; with verify, {@code sourceChecks} receives the source's tables and views as counted in the snapshot. */
    DumpResult dump(DumpSpec spec, List<TableCheck> sourceChecks) throws EngineException, InterruptedException {
        try (OutputClaim claim = OutputClaim.claim(Path.of(spec.output()).toAbsolutePath().normalize())) {
            return dumpClaimed(spec, sourceChecks);
        }
    }

    private DumpResult dumpClaimed(DumpSpec spec, List<TableCheck> sourceChecks) throws EngineException,
            InterruptedException {
        Path output = Path.of(spec.output()).toAbsolutePath().normalize();
        Path partial = DumpNames.partialOf(output);
        Path manifest = DumpNames.manifestOf(output);
        Log dumpLog = log.about("dump " + spec.host() + ":" + spec.port());
        int threads = spec.threads() > 0 ? spec.threads() : Runtime.getRuntime().availableProcessors();
        Instant startedAt = Instant.now();
        Deadline deadline = Deadline.after(spec.timeout());
        DataConnections server = DataConnections.to(host, spec.host(), spec.port(), spec.socket(), spec.user(),
                spec.password(), spec.defaultsFile(), spec.tls(), "method parallel");

        FileLock lock = createPartial(output, partial);
        List<Connection> connections = new ArrayList<>();
        boolean complete = false;
        DiskSync sync = new DiskSync();
        try {
            Connection coordinator = server.open();
            connections.add(coordinator);
            String serverVersion = query(coordinator, "SELECT VERSION()");
            List<String> databases = spec.allDatabases() ? SnapshotSchema.allDatabases(coordinator)
                    : spec.databases();
            dumpLog.info("dumping " + (spec.allDatabases() ? "all databases" : String.join(", ", databases))
                    + " with " + threads + " connections in one snapshot to " + output + "/ (" + spec.compression()
                    .id() + ", timeout " + Durations.describe(spec.timeout()) + ")");
            List<Connection> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                workers.add(server.open());
                connections.add(workers.get(i));
            }
            Snapshot snapshot = takeSnapshot(server, coordinator, workers, databases, spec, deadline, dumpLog);

            Map<String, Object> tablesMetadata = new LinkedHashMap<>();
            List<DirectoryMetadata.Listed> files = Collections.synchronizedList(new ArrayList<>());
            List<SnapshotSchema.Table> tables = new ArrayList<>();
            for (SnapshotSchema.Database database : snapshot.databases) {
                files.add(writeText(partial, DumpNames.databaseSchema(database.name()), database.createStatement()
                        .replaceFirst("^CREATE DATABASE ", "CREATE DATABASE IF NOT EXISTS ") + ";\n", sync));
                for (SnapshotSchema.Table table : database.tables()) {
                    files.add(writeText(partial, DumpNames.tableSchema(table), schemaStatements(table), sync));
                    if (table.hasRows()) {
                        tables.add(table);
                    }
                }
                if (!database.storedObjects().isEmpty()) {
                    files.add(writeText(partial, DumpNames.storedObjects(database.name()),
                            storedObjectStatements(database), sync));
                }
            }
            long[] estimatedBytes = new long[tables.size()];
            boolean[] splittable = new boolean[tables.size()];
            for (int i = 0; i < tables.size(); i++) {
                estimatedBytes[i] = tables.get(i).estimatedBytes();
                splittable[i] = tables.get(i).integerKey() != null;
            }
            int[] pieces = piecesPerTable(estimatedBytes, splittable, threads, chunkBytes);
            List<Chunk> chunks = new ArrayList<>();
            for (int i = 0; i < tables.size(); i++) {
                chunks.addAll(plan(workers.get(0), tables.get(i), pieces[i]));
            }
            releaseMetadataLocks(workers.get(0));
            DdlWatch ddl = new DdlWatch(coordinator, databases, spec.lockWaitTimeout(), dumpLog);
            Map<Chunk, DirectoryMetadata.Listed> written = runChunks(chunks, workers, partial, sync, spec, deadline,
                    dumpLog, ddl);
            awaitWorkers(sync.pending(), workers, deadline, dumpLog, null);
            Map<SnapshotSchema.ObjectKey, String> checksums = new LinkedHashMap<>();
            if (spec.verify()) {
                // what verify compares the restore with is counted apart from the list this dump wrote, so that an
                // object the dump missed is missed by the restore and found missing
                Deadline counting = Deadline.after(Duration.ZERO);
                List<TableCheck> counted = ToolSnapshotWitness.checksIn(workers, databases);
                dumpLog.info("the source's tables counted and checksummed in "
                        + Durations.describe(counting.elapsed()));
                sourceChecks.addAll(counted);
                for (TableCheck check : counted) {
                    if (check.checksum() != null) {
                        checksums.put(new SnapshotSchema.ObjectKey(check.database(), check.table()), check.checksum());
                    }
                }
            }
            for (SnapshotSchema.Database database : snapshot.databases) {
                for (SnapshotSchema.Table table : database.tables()) {
                    if (tablesMetadata.put(table.key().toString(), tableMetadata(table, written, checksums)) != null) {
                        throw new IllegalStateException("the schema lists " + table.describe() + " twice");
                    }
                }
            }
            files.addAll(written.values());
            closeAll(connections);

            List<DirectoryMetadata.Listed> sorted = new ArrayList<>(files);
            sorted.sort(Comparator.comparing(DirectoryMetadata.Listed::file));
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("format", DirectoryMetadata.FORMAT);
            metadata.put("snapshotAt", snapshot.at.toString());
            metadata.put("serverVersion", serverVersion);
            metadata.put("binlog", snapshot.binlog.toManifestValue());
            metadata.put("databases", databases);
            metadata.put("compress", spec.compression().id());
            metadata.put("tables", tablesMetadata);
            metadata.put("files", sorted.stream().map(DirectoryMetadata.Listed::toMap).toList());
            DirectoryMetadata.Listed metadataFile = writeText(partial, DumpNames.METADATA, Json.write(metadata) + "\n", null);
            forceFile(partial.resolve(DumpNames.METADATA));
            forceDirectory(partial);
            long bytes = sorted.stream().mapToLong(DirectoryMetadata.Listed::bytes).sum() + metadataFile.bytes();
            DumpResult result = new DumpResult(output.toString(), manifest.toString(), bytes,
                    metadataFile.sha256(), spec.compression(), databases, spec.allDatabases(), serverVersion,
                    "mysql-lifecycle", "parallel/" + threads, startedAt, deadline.elapsed().toMillis(),
                    sqlBytes.get(), DumpResult.DIRECTORY, false, snapshot.binlog, List.of())
                    .withCounts(tablesMetadata.size(), rows.get());
            // the manifest is complete on disk before the dump takes its name: only renames are left after this
            Manifest.Pending pendingManifest = Manifest.prepare(manifest, result.toManifest());
            try {
                // the lock is held through the rename: a dump that looked at OUTPUT.partial in between would take
                // an unlocked directory for one a dead dump left, and remove it
                replace(partial, output, dumpLog);
            } catch (IOException e) {
                pendingManifest.discard();
                throw e;
            }
            complete = true;
            releaseLock(lock, output.resolve(LOCK_FILE), dumpLog);
            Dumper.putInPlace(pendingManifest, output, manifest);
            dumpLog.info("wrote " + output + "/: " + sorted.size() + " files, " + Bytes.describe(bytes) + " ("
                    + Bytes.describe(result.rawBytes()) + " of SQL), " + rows.get() + " rows in "
                    + Durations.describe(deadline.elapsed()) + ", metadata sha256 " + result.sha256());
            return result;
        } catch (SQLException e) {
            throw new EngineException("The parallel dump failed: " + Sql.describe(e, spec.user()), e);
        } catch (IOException e) {
            throw new EngineException("Writing the dump " + output + "/ failed: " + Dumper.describe(e)
                    + ". No dump was left behind" + (Files.exists(output) ? "; the earlier " + output + "/ is as"
                    + " it was" : "") + ".", e);
        } finally {
            closeAll(connections);
            sync.close();
            if (!complete) {
                // removed while still locked, so that it cannot be another dump's by then
                deleteTree(partial, dumpLog);
                try {
                    lock.channel().close();
                } catch (IOException ignored) {
                    // the lock goes with the channel in any case
                }
            }
        }
    }

    private final AtomicLong sqlBytes = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();

    private record Snapshot(Instant at, BinlogCoordinates binlog, List<SnapshotSchema.Database> databases) {
    }

    /**
     * Every worker begins its transaction while commits are blocked ({@link SnapshotLock}: bounded, and withdrawn if
     * the dump gives up), so all of them read one snapshot, and the binary log position names it. Commits go on as
     * soon as the transactions have begun; the schema is read after that, inside the snapshot. information_schema and
     * SHOW CREATE are not part of a snapshot, though: on MySQL LOCK INSTANCE FOR BACKUP keeps DDL out until the
     * schema is read, and on both servers a table that DDL changed in that moment fails the dump
     * ({@link TableDefinitions}). DDL after that fails the read of the table it changed (MySQL error 1412, or 1146
     * for a table renamed or dropped; MariaDB's in-place ALTER leaves the columns the dump names readable as they
     * were in the snapshot).
     */
    private Snapshot takeSnapshot(DataConnections server, Connection coordinator, List<Connection> workers,
                                  List<String> databases, DumpSpec spec, Deadline deadline, Log dumpLog)
            throws SQLException, EngineException, InterruptedException {
        ServerVersion version = ServerVersion.parse(query(coordinator, "SELECT VERSION()"));
        if (version.flavor() == io.jenkins.plugins.mysqllifecycle.engine.Flavor.MARIADB) {
            releaseLocksAtSavepoints(workers, dumpLog);
        }
        TableDefinitions before = TableDefinitions.read(coordinator, databases);
        try (SnapshotLock lock = SnapshotLock.take(coordinator, server, version, Dumper.lockLimits(spec), deadline,
                dumpLog, "use method mysqldump, whose one connection needs no lock")) {
            Instant at;
            BinlogCoordinates binlog;
            try {
                at = Instant.now();
                for (Connection worker : workers) {
                    try (Statement start = worker.createStatement()) {
                        start.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                        start.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
                        start.execute("SAVEPOINT " + SAVEPOINT);
                    }
                }
                binlog = BinaryLog.ofSnapshot(workers.get(0), coordinator, version);
                lock.keepDdlOut();
            } finally {
                lock.releaseCommits();
            }
            List<SnapshotSchema.Database> schema = SnapshotSchema.read(workers.get(0), databases);
            List<String> changed = before.changedIn(TableDefinitions.read(coordinator, databases));
            if (!changed.isEmpty()) {
                throw new EngineException(TableDefinitions.failure(changed, "while the dump took its snapshot"));
            }
            return new Snapshot(at, binlog, schema);
        }
    }

    /**
     * How many key ranges each table is read in. Tables are split only as far as balance needs: in paired runs
     * (docs/benchmarks.md) 60 pieces cost the server more CPU than six whole tables in 9 of 10 pairs, although one
     * connection reading a table in 30 ranges costs what one full scan costs. So no piece is larger than
     * {@code maxPieceBytes}, and then, while the busiest worker of a largest-first plan would get more than
     * {@link #BALANCE_TOLERANCE} times the best it could (an even share, or the largest table that cannot be split),
     * the largest splittable piece is split once more. Six tables of one size on two workers are read whole; one big
     * table is split into about as many ranges as workers.
     */
    static int[] piecesPerTable(long[] estimatedBytes, boolean[] splittable, int workers, long maxPieceBytes) {
        int[] pieces = new int[estimatedBytes.length];
        long total = 0;
        for (int i = 0; i < pieces.length; i++) {
            pieces[i] = splittable[i] ? (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2,
                    (estimatedBytes[i] + maxPieceBytes - 1) / maxPieceBytes)) : 1;
            total += estimatedBytes[i];
        }
        // no plan does better than an even share, nor better than the largest table that cannot be split
        double target = (double) total / workers;
        for (int i = 0; i < pieces.length; i++) {
            if (!splittable[i]) {
                target = Math.max(target, estimatedBytes[i]);
            }
        }
        while (busiestWorker(estimatedBytes, pieces, workers) > target * BALANCE_TOLERANCE) {
            int largest = -1;
            for (int i = 0; i < pieces.length; i++) {
                if (splittable[i] && estimatedBytes[i] / pieces[i] >= 2 * SMALLEST_SPLIT_BYTES
                        && (largest < 0 || estimatedBytes[i] / pieces[i] > estimatedBytes[largest] / pieces[largest])) {
                    largest = i;
                }
            }
            if (largest < 0) {
                break; // what is left cannot be split: it is read as it is
            }
            pieces[largest]++;
        }
        return pieces;
    }

    /** The load of the busiest worker when workers take the largest piece left whenever they are free. */
    private static long busiestWorker(long[] estimatedBytes, int[] pieces, int workers) {
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < pieces.length; i++) {
            for (int p = 0; p < pieces[i]; p++) {
                sizes.add(estimatedBytes[i] / pieces[i]);
            }
        }
        sizes.sort(Comparator.reverseOrder());
        java.util.PriorityQueue<Long> loads = new java.util.PriorityQueue<>();
        for (int w = 0; w < workers; w++) {
            loads.add(0L);
        }
        long busiest = 0;
        for (long size : sizes) {
            long load = loads.poll() + size;
            busiest = Math.max(busiest, load);
            loads.add(load);
        }
        return busiest;
    }

    /** Reads a table whole, or in {@code pieces} ranges of its one-column integer key. */
    private List<Chunk> plan(Connection connection, SnapshotSchema.Table table, int pieces) throws SQLException {
        if (pieces == 1) {
            return List.of(new Chunk(table, 0, null, null, true, table.estimatedBytes()));
        }
        String key = SqlText.quoteName(table.integerKey());
        BigInteger min;
        BigInteger max;
        try (Statement statement = connection.createStatement();
             ResultSet bounds = statement.executeQuery("SELECT MIN(" + key + "), MAX(" + key + ") FROM "
                     + table.qualifiedName())) {
            bounds.next();
            if (bounds.getString(1) == null) {
                return List.of(new Chunk(table, 0, null, null, true, 0));
            }
            min = new BigInteger(bounds.getString(1));
            max = new BigInteger(bounds.getString(2));
        }
        BigInteger span = max.subtract(min).add(BigInteger.ONE);
        BigInteger step = span.divide(BigInteger.valueOf(pieces)).max(BigInteger.ONE);
        List<Chunk> chunks = new ArrayList<>();
        BigInteger from = min;
        int index = 0;
        while (from.compareTo(max) <= 0) {
            BigInteger to = from.add(step);
            boolean last = to.compareTo(max) > 0 || index == pieces - 1;
            chunks.add(new Chunk(table, index++, from, last ? max : to, last, table.estimatedBytes() / pieces));
            if (last) {
                break;
            }
            from = to;
        }
        return chunks;
    }

    /**
     * Workers take the largest chunks first, so no worker is left with a big one at the end; among pieces of one size,
     * one of each table in turn, so that the connections read different tables.
     */
    private Map<Chunk, DirectoryMetadata.Listed> runChunks(List<Chunk> chunks, List<Connection> workers, Path directory,
                                            DiskSync sync, DumpSpec spec, Deadline deadline, Log dumpLog,
                                            DdlWatch ddl)
            throws EngineException, InterruptedException, IOException, SQLException {
        List<Chunk> ordered = new ArrayList<>(chunks);
        ordered.sort(Comparator.comparingLong(Chunk::estimatedBytes).reversed().thenComparingInt(Chunk::index));
        ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>(ordered);
        Map<Chunk, DirectoryMetadata.Listed> written = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers.size(), daemon("mysql-lifecycle parallel dump"));
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (Connection worker : workers) {
                running.add(pool.submit(() -> {
                    Chunk chunk;
                    while ((chunk = queue.poll()) != null) {
                        DirectoryMetadata.Listed entry;
                        try {
                            entry = writeChunk(worker, chunk, directory, spec.compression(), sync);
                        } catch (SQLException | com.mysql.cj.exceptions.CJException e) {
                            // a streamed read fails mid-rows with Connector/J's unchecked exception
                            throw changedByDdl(chunk.table(), e);
                        }
                        releaseMetadataLocks(worker);
                        written.put(chunk, entry);
                        sync.add(directory.resolve(entry.file()));
                    }
                    return null;
                }));
            }
            awaitWorkers(running, workers, deadline, dumpLog, ddl);
            return written;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /**
     * A table read in a transaction stays locked against DDL (its metadata lock) until the transaction ends, and an
     * ALTER waiting for that lock makes every write to the table wait behind it. Rolling back to the savepoint each
     * worker set when its transaction began lets MySQL release those locks at once (MariaDB keeps them until the
     * end); a table DDL changes before its next chunk is read then fails that read (error 1412).
     */
    private static void releaseMetadataLocks(Connection worker) throws SQLException {
        try (Statement rollback = worker.createStatement()) {
            rollback.execute("ROLLBACK TO SAVEPOINT " + SAVEPOINT);
        }
    }

    private static final String SAVEPOINT = "dumped";

    /**
     * MariaDB releases the metadata locks a rollback to a savepoint leaves behind only when the session writes no
     * binary log (MySQL always): the workers only read, so they turn it off for themselves when the account may
     * (BINLOG ADMIN or SUPER). Otherwise MariaDB keeps each read table locked against DDL until the dump ends, and the
     * dump gives way to DDL that waits for it ({@link DdlWatch}).
     */
    private static void releaseLocksAtSavepoints(List<Connection> workers, Log dumpLog) throws SQLException {
        for (Connection worker : workers) {
            try (Statement statement = worker.createStatement()) {
                statement.execute("SET SESSION sql_log_bin = 0");
            } catch (SQLException e) {
                if (e.getErrorCode() != 1227) {
                    throw e;
                }
                dumpLog.info("each table read stays locked against DDL until the dump ends (releasing it needs"
                        + " BINLOG ADMIN on MariaDB); DDL that waits for it makes the dump give way");
                return;
            }
        }
    }

    /**
     * What a read fails with when DDL changed its table after the snapshot: MySQL 1412 (the table's definition is
     * newer than the snapshot; MariaDB too for a rebuilt or truncated table), 1146 (renamed or dropped), 1054 (a
     * column the snapshot's schema names was dropped or renamed). Said as such; any other error as it is.
     */
    private static Exception changedByDdl(SnapshotSchema.Table table, Exception e) {
        int code = e instanceof SQLException sql ? sql.getErrorCode()
                : e instanceof com.mysql.cj.exceptions.CJException cj ? cj.getVendorCode() : 0;
        if (code == 1412 || code == 1146 || code == 1054) {
            return new EngineException(TableDefinitions.failure(List.of(table.describe()), "while the dump read it")
                    + " (" + e.getMessage() + ")", e);
        }
        return e;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * The dump's files go to disk on a thread of their own: a worker that waited for the disk after each chunk left
     * its share of the CPU idle meanwhile. The dump waits for every one before it writes the metadata.
     */
    private static final class DiskSync implements AutoCloseable {
        private final ExecutorService thread = Executors.newSingleThreadExecutor(daemon("mysql-lifecycle dump sync"));
        private final List<Future<Void>> pending = Collections.synchronizedList(new ArrayList<>());

        void add(Path file) {
            pending.add(thread.submit(() -> forceFile(file)));
        }

        /**
         * Sends what a chunk being written has so far to disk in the background, so that the force after its last
         * byte, which the dump waits for, finds little left: forced only once whole, the last chunks' hundreds of
         * MiB were written out while the CPUs stood idle. Best effort: the chunk may be closed by then, and its own
         * force after completion (by {@link #add}) is what the dump relies on.
         */
        void startWriteback(FileChannel channel) {
            try {
                thread.execute(() -> {
                    try {
                        channel.force(false);
                    } catch (IOException | RuntimeException closedOrFailed) {
                        // the force after the chunk is complete reports a disk that fails
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException dumpEnding) {
                // the dump is failing and its syncs were stopped
            }
        }

        List<Future<Void>> pending() {
            synchronized (pending) {
                return List.copyOf(pending);
            }
        }

        /** A dump that failed stops its pending syncs; its directory is removed next. */
        @Override
        public void close() {
            thread.shutdownNow();
            try {
                thread.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Opened again for the fsync: Linux reports a write-back error to the first fsync after it, on any descriptor. */
    private static Void forceFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            channel.force(true);
        }
        return null;
    }

    /** @param ddl looks for DDL the workers' locks hold up, every second; null for none */
    private void awaitWorkers(List<Future<Void>> running, List<Connection> workers, Deadline deadline, Log dumpLog,
                              DdlWatch ddl)
            throws EngineException, InterruptedException, IOException, SQLException {
        long lastBytes = 0;
        long lastNanos = System.nanoTime();
        Duration look = ddl == null ? progressInterval : Durations.min(progressInterval, DdlWatch.LOOK_INTERVAL);
        for (Future<Void> worker : running) {
            while (true) {
                try {
                    worker.get(Math.max(1, Math.min(look.toNanos(), deadline.remaining().toNanos())),
                            TimeUnit.NANOSECONDS);
                    break;
                } catch (java.util.concurrent.TimeoutException notYet) {
                    if (deadline.hasExpired()) {
                        abort(workers);
                        throw new OperationTimeoutException("The parallel dump did not finish within its timeout of "
                                + Durations.describe(deadline.elapsed()) + " (" + Bytes.describe(sqlBytes.get())
                                + " of SQL so far); its connections were closed and nothing was kept.", null);
                    }
                    if (ddl != null && ddl.waits()) {
                        abort(workers);
                        ddl.giveWay();
                    }
                    long now = System.nanoTime();
                    if (now - lastNanos < progressInterval.toNanos()) {
                        continue;
                    }
                    long bytes = sqlBytes.get();
                    dumpLog.info(rows.get() + " rows, " + Bytes.describe(bytes) + " of SQL written, "
                            + Bytes.describe((long) ((bytes - lastBytes) / ((now - lastNanos) / 1e9))) + "/s");
                    lastBytes = bytes;
                    lastNanos = now;
                } catch (java.util.concurrent.ExecutionException failed) {
                    abort(workers);
                    Throwable cause = failed.getCause();
                    if (cause instanceof SQLException sql) {
                        throw sql;
                    }
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof EngineException engine) {
                        throw engine;
                    }
                    throw new EngineException("A dump worker failed: " + cause, cause);
                } catch (InterruptedException interrupted) {
                    abort(workers);
                    throw interrupted;
                }
            }
        }
    }

    /** Closing a connection ends the query it runs; the other workers stop at their next row. */
    private static void abort(List<Connection> workers) {
        for (Connection worker : workers) {
            try {
                worker.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // the dump is being discarded
            }
        }
    }

    private DirectoryMetadata.Listed writeChunk(Connection connection, Chunk chunk, Path directory, Compression compression,
                                 DiskSync sync) throws SQLException, IOException, InterruptedException {
        SnapshotSchema.Table table = chunk.table();
        List<SnapshotSchema.Column> columns = table.storedColumns();
        StringBuilder select = new StringBuilder("SELECT ");
        StringBuilder insert = new StringBuilder("INSERT INTO " + table.qualifiedName() + " (");
        for (int i = 0; i < columns.size(); i++) {
            String column = SqlText.quoteName(columns.get(i).name());
            select.append(i == 0 ? "" : ", ").append(column);
            insert.append(i == 0 ? "" : ",").append(column);
        }
        // a system-versioned table's history is rows of its own, read and loaded with their period
        select.append(" FROM ").append(table.qualifiedName())
                .append(table.period() != null ? " FOR SYSTEM_TIME ALL" : "").append(chunk.where());
        insert.append(") VALUES ");
        byte[] insertPrefix = insert.toString().getBytes(StandardCharsets.UTF_8);

        String name = DumpNames.chunk(table, chunk.index(), compression);
        Path file = directory.resolve(name);
        long chunkRows = 0;
        long chunkBytes = 0;
        long nextWriteback = WRITEBACK_BYTES;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            DumpCopier.Streaming copier = DumpCopier.streaming(channel, compression);
            OutputStream out = copier.input();
            SqlText.ByteSink statement = new SqlText.ByteSink(STATEMENT_BYTES + 64 * 1024);
            statement.write(RestoreSession.HEADER, 0, RestoreSession.HEADER.length);
            if (table.period() != null) {
                statement.write(INSERT_HISTORY, 0, INSERT_HISTORY.length);
            }
            try (PreparedStatement query = StreamedRows.prepare(connection, select.toString())) {
                try (ResultSet result = query.executeQuery()) {
                    StreamedRows resultRows = StreamedRows.of(result, columns, log);
                    boolean open = false;
                    while (resultRows.next()) {
                        if (!open) {
                            statement.write(insertPrefix, 0, insertPrefix.length);
                            open = true;
                        } else {
                            statement.write((byte) ',');
                        }
                        resultRows.appendTuple(statement);
                        chunkRows++;
                        if (statement.length() >= STATEMENT_BYTES) {
                            statement.write((byte) ';');
                            statement.write((byte) '\n');
                            chunkBytes += flush(statement, out);
                            open = false;
                            if (chunkBytes >= nextWriteback) {
                                sync.startWriteback(channel);
                                nextWriteback = chunkBytes + WRITEBACK_BYTES;
                            }
                        }
                    }
                    if (open) {
                        statement.write((byte) ';');
                        statement.write((byte) '\n');
                    }
                    flush(statement, out);
                }
            }
            out.close(); // ends the copy at once: it runs on this thread
            if (!copier.awaitEnd(0)) {
                throw new IllegalStateException("the copy of " + name + " did not end on close");
            }
            rows.addAndGet(chunkRows);
            return new DirectoryMetadata.Listed(name, chunkRows, copier.fileBytes(), copier.sha256());
        }
    }

    /** Lets a chunk of a system-versioned table set its rows' period (MariaDB 10.11 and later). */
    private static final byte[] INSERT_HISTORY = "SET @@system_versioning_insert_history = 1;\n"
            .getBytes(StandardCharsets.UTF_8);

    /** Returns the bytes written. */
    private int flush(SqlText.ByteSink statement, OutputStream out) throws IOException {
        int length = statement.length();
        out.write(statement.buffer(), 0, length);
        sqlBytes.addAndGet(length);
        statement.clear();
        return length;
    }

    /**
     * Each object as SHOW CREATE gave it, under the sql_mode and collation it was created with, between DELIMITER
     * lines (a body holds ';'), as the mariadb client and the restore both read them. The body is written in utf8mb4
     * as it was read, so it is created under utf8mb4 whatever its character_set_client was.
     */
    static String storedObjectStatements(SnapshotSchema.Database database) {
        StringBuilder sql = new StringBuilder(new String(RestoreSession.HEADER, StandardCharsets.UTF_8))
                .append("USE ").append(SqlText.quoteName(database.name())).append(";\n");
        for (SnapshotSchema.StoredObject object : database.storedObjects()) {
            sql.append("DROP ").append(object.type()).append(" IF EXISTS ").append(SqlText.quoteName(object.name()))
                    .append(";\n");
            sql.append("SET sql_mode = ").append(SqlText.quoteString(object.sqlMode())).append(";\n");
            sql.append("SET collation_connection = ").append(SqlText.quoteString(object.collation())).append(";\n");
            if (object.timeZone() != null) {
                sql.append("SET time_zone = ").append(SqlText.quoteString(object.timeZone())).append(";\n");
            }
            String delimiter = delimiterFor(object.createStatement());
            sql.append("DELIMITER ").append(delimiter).append("\n").append(object.createStatement())
                    .append(delimiter).append("\nDELIMITER ;\n");
        }
        return sql.toString();
    }

    /** ';;' as mysqldump writes, unless the body holds it (in a string, say): then one the body does not hold. */
    static String delimiterFor(String body) {
        for (String candidate : List.of(";;", "$$", "//")) {
            if (!body.contains(candidate)) {
                return candidate;
            }
        }
        for (int i = 1; ; i++) {
            String candidate = ";;" + i + ";;";
            if (!body.contains(candidate)) {
                return candidate;
            }
        }
    }

    /** A sequence is created and then set to the next value it had (DROP TABLE drops a sequence as well). */
    private static String schemaStatements(SnapshotSchema.Table table) {
        String drop = table.view() ? "DROP VIEW IF EXISTS " : "DROP TABLE IF EXISTS ";
        String statements = new String(RestoreSession.HEADER, StandardCharsets.UTF_8) + "USE "
                + SqlText.quoteName(table.database()) + ";\n" + drop + table.qualifiedName() + ";\n"
                + table.createStatement() + ";\n";
        if (table.type() == SnapshotSchema.Type.SEQUENCE) {
            statements += "DO SETVAL(" + table.qualifiedName() + ", " + table.sequenceNext() + ");\n";
        }
        return statements;
    }

    private static Map<String, Object> tableMetadata(SnapshotSchema.Table table, Map<Chunk, DirectoryMetadata.Listed> written,
                                                     Map<SnapshotSchema.ObjectKey, String> checksums) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("database", table.database());
        map.put("table", table.name());
        map.put("type", table.type().name().toLowerCase(java.util.Locale.ROOT));
        map.put("schema", DumpNames.tableSchema(table));
        if (table.hasRows()) {
            List<Map.Entry<Chunk, DirectoryMetadata.Listed>> chunks = written.entrySet().stream()
                    .filter(entry -> entry.getKey().table() == table)
                    .sorted(Comparator.comparingInt(entry -> entry.getKey().index())).toList();
            map.put("rows", chunks.stream().mapToLong(entry -> entry.getValue().rows()).sum());
            map.put("chunks", chunks.stream().map(entry -> entry.getValue().file()).toList());
            if (checksums.containsKey(table.key())) {
                map.put("checksum", checksums.get(table.key()));
            }
        }
        return map;
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    private static final String LOCK_FILE = ".lock";

    /**
     * A fresh OUTPUT.partial directory, locked; a stale one from a dump that died is removed first. The directory is
     * made and locked under a name of its own and then renamed to OUTPUT.partial in one step, so that no other
     * dump ever sees an OUTPUT.partial that is not locked yet and takes it for a stale one; a rename onto a
     * directory that is there fails, and the one there is then either locked (another dump writes it) or stale.
     */
    private FileLock createPartial(Path output, Path partial) throws EngineException {
        Path directory = partial.getParent();
        if (!Files.isDirectory(directory)) {
            throw new InvalidSpecException("The output directory " + directory + " does not exist; create it or"
                    + " give another output path.");
        }
        Path fresh = null;
        FileChannel channel = null;
        boolean made = false;
        try {
            fresh = Files.createTempDirectory(directory, partial.getFileName() + "-");
            channel = FileChannel.open(fresh.resolve(LOCK_FILE), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            FileLock lock = channel.lock();
            // a stale directory is removed at most once per try; three tries end any race with other dumps
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    Files.move(fresh, partial, StandardCopyOption.ATOMIC_MOVE);
                    made = true;
                    return lock;
                } catch (IOException taken) {
                    if (!Files.exists(partial, LinkOption.NOFOLLOW_LINKS)) {
                        throw taken;
                    }
                }
                removeIfStale(partial, output);
            }
            throw OutputClaim.anotherDumpIsWriting(output);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new EngineException("Cannot write to the output directory " + directory + ": permission denied."
                    + " Give the engine's user write access or choose another output path.", e);
        } catch (IOException e) {
            throw new EngineException("Cannot create " + partial + ": " + Dumper.describe(e), e);
        } finally {
            if (!made) {
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // the directory goes next
                    }
                }
                if (fresh != null) {
                    deleteTree(fresh, log);
                }
            }
        }
    }

    /** The dump is complete and in place by now: a lock file left behind is only untidy. */
    private static void releaseLock(FileLock lock, Path lockFile, Log dumpLog) {
        try {
            Files.deleteIfExists(lockFile);
        } catch (IOException e) {
            dumpLog.warn("could not remove " + lockFile + ": " + e.getMessage() + "; it is not part of the dump");
        }
        try {
            lock.channel().close();
        } catch (IOException ignored) {
            // the lock goes with the channel in any case
        }
    }

    /** Removes OUTPUT.partial when no dump holds its lock (its dump died); refuses when one does. */
    private void removeIfStale(Path partial, Path output) throws IOException, EngineException {
        FileChannel probe;
        try {
            probe = FileChannel.open(partial.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException renamedMeanwhile) {
            return; // its dump completed and renamed it: try again
        }
        try (probe) {
            FileLock held;
            try {
                held = probe.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
                held = null;
            }
            if (held == null) {
                throw OutputClaim.anotherDumpIsWriting(output);
            }
            log.info("removing " + partial + ", left by a dump that did not finish");
            deleteTree(partial, log);
        }
    }

    /** Writes a small file of the dump; {@code sync} (when given) takes it to disk. */
    private static DirectoryMetadata.Listed writeText(Path directory, String name, String text, DiskSync sync) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(directory.resolve(name), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        if (sync != null) {
            sync.add(directory.resolve(name));
        }
        return new DirectoryMetadata.Listed(name, 0, bytes.length, Sha256.of(bytes));
    }

    /** An older dump at OUTPUT is replaced only once the new one is complete; a crash in between keeps one of them. */
    private static void replace(Path partial, Path output, Log dumpLog) throws IOException {
        Path replaced = output.resolveSibling(output.getFileName() + ".replaced");
        boolean hadOlder = Files.exists(output, LinkOption.NOFOLLOW_LINKS);
        if (hadOlder) {
            dumpLog.info("replacing the existing " + output);
            deleteTree(replaced, dumpLog);
            Files.move(output, replaced, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (hadOlder) {
                // the older dump goes back to its name, so that the failure leaves it as it was
                Files.move(replaced, output, StandardCopyOption.ATOMIC_MOVE);
            }
            throw e;
        }
        if (hadOlder) {
            deleteTree(replaced, dumpLog);
        }
    }

    private static void forceDirectory(Path directory) throws IOException {
        Dumper.forceDirectory(directory);
    }

    private static void closeAll(List<Connection> connections) {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException ignored) {
                // nothing more is read from it
            }
        }
    }

    static void deleteTree(Path root, Log log) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            log.warn("could not remove " + root + ": " + e.getMessage() + "; remove it by hand");
        }
    }
}
