package io.jenkins.plugins.mysqllifecycle.bench;


import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreSpec;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.SshTarget;
import io.jenkins.plugins.mysqllifecycle.engine.StopSpec;
import io.jenkins.plugins.mysqllifecycle.engine.dump.Dumper;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ssh.SshHost;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.Jdbc;
import io.jenkins.plugins.mysqllifecycle.engine.restore.Restorer;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerLauncher;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerStopper;
import io.jenkins.plugins.mysqllifecycle.engine.tools.Installation;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.testing.SshTestHosts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * bin/bench: every step of the engine against the tool a DBA would use instead, alternating A and B in one run, on
 * one dataset and one server. Prints a Markdown table (medians, min–max, CPU seconds, ratios) and writes JSON.
 */
public final class Bench {
    private static final int TABLES = 6;
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream(), true,
            StandardCharsets.UTF_8);

    private final boolean quick;
    private final int reps;
    private final List<String> only = new ArrayList<>();
    private final Path work;
    private final Host host = new LocalHost();
    private final List<Comparison> comparisons = new ArrayList<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();
    /** The server binary measured (--mysqld); null for the first MariaDB or MySQL server found, as the CLI does. */
    private final String mysqld;
    /** Its flavor, which names the reference tools: mariadb-dump and mariadb-admin, or MySQL's own beside it. */
    private final Flavor flavor;

    private Bench(boolean quick, int reps, Path work, String mysqld) throws Exception {
        this.quick = quick;
        this.reps = reps;
        this.work = work;
        this.mysqld = mysqld;
        this.flavor = Installation.ofServer(new LocalHost(), mysqld).flavor();
    }

    /** A client tool of the measured server's flavor: MySQL's from beside its mysqld, MariaDB's from PATH. */
    private String tool(String mariadbName, String mysqlName) {
        return flavor == Flavor.MYSQL ? Path.of(mysqld).resolveSibling(mysqlName).toString() : mariadbName;
    }

    private String dumpTool() {
        return tool("mariadb-dump", "mysqldump");
    }

    /**
     * {@code [prefix, source]} of an INSERT ... SELECT over the numbers 1 to {@code rows} in a column seq: MariaDB's
     * Sequence engine, or a recursive CTE on MySQL, which has no such engine.
     */
    private String[] numbers(String database, long rows) {
        return flavor == Flavor.MYSQL
                ? new String[] {"WITH RECURSIVE numbers (seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM numbers"
                        + " WHERE seq < " + rows + ") ", "numbers"}
                : new String[] {"", database + ".seq_1_to_" + rows};
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        boolean ssh = !List.of(args).contains("--no-ssh");
        List<String> onlyGroups = new ArrayList<>();
        int reps = quick ? 3 : 5;
        Path json = Path.of("target/bench-results.json");
        String mysqld = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--reps")) {
                reps = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--json")) {
                json = Path.of(args[++i]);
            } else if (args[i].equals("--only")) {
                onlyGroups.add(args[++i]);
            } else if (args[i].equals("--mysqld")) {
                mysqld = args[++i];
            }
        }
        Path work = Files.createTempDirectory("mysql-lifecycle-bench-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Bench bench = new Bench(quick, reps, work, mysqld);
        bench.only.addAll(onlyGroups);
        try {
            bench.run(ssh);
        } finally {
            deleteTree(work);
        }
        bench.report(json);
    }

    /**
     * --only GROUP (repeatable) runs just those groups: dump, parallel, memory, stall, restore, verify, cli (cold CLI
     * dump and stop; the cold start is in start), start, stop, ssh.
     */
    private boolean wanted(String group) {
        return only.isEmpty() || only.contains(group);
    }

    private static void say(String line) {
        System.err.println("[bench] " + line);
    }

    /**
     * Peak heap used per phase of the run (the restores and verify have their own, the rest is "other"): sampled
     * every 5 ms, which counts garbage not yet collected, and after each collection, which is what the phase kept
     * alive. The bench JVM's -Xmx64m is the hard limit: anything that needed more would fail.
     */
    private static final class HeapWatch {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final Map<String, Long> peaks = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Long> livePeaks = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile String phase = "other";
        private final Thread sampler = new Thread(this::sample, "bench heap watch");
        private static final java.util.Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
                .map(java.lang.management.MemoryPoolMXBean::getName).collect(java.util.stream.Collectors.toSet());

        HeapWatch() {
            sampler.setDaemon(true);
            sampler.start();
            for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((javax.management.NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                    if (notification.getType().equals(com.sun.management.GarbageCollectionNotificationInfo
                            .GARBAGE_COLLECTION_NOTIFICATION)) {
                        var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                                (javax.management.openmbean.CompositeData) notification.getUserData());
                        long live = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                                .filter(pool -> HEAP_POOLS.contains(pool.getKey()))
                                .mapToLong(pool -> pool.getValue().getUsed()).sum();
                        livePeaks.merge(phase, live, Math::max);
                    }
                }, null, null);
            }
        }

        void phase(String name) {
            record();
            phase = name;
            record();
        }

        private void record() {
            peaks.merge(phase, memory.getHeapMemoryUsage().getUsed(), Math::max);
        }

        private void sample() {
            while (true) {
                record();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private final HeapWatch heap = new HeapWatch();

    private void run(boolean ssh) throws Exception {
        long rowsPerTable = quick ? 100_000 : 1_160_000;
        facts.put("date", Instant.now().toString());
        facts.put("cores", Runtime.getRuntime().availableProcessors());
        facts.put("mode", quick ? "quick" : "full");
        facts.put("repetitions", reps);
        facts.put("server", Installation.ofServer(host, mysqld).version());
        ServerHandle server = new ServerLauncher(host, QUIET).start(ServerSpec.builder(work.resolve("data")
                .toString()).initialize(true).mysqld(mysqld).build());
        try {
            say("generating " + TABLES + " tables of " + rowsPerTable + " rows");
            Deadline generating = Deadline.after(Duration.ZERO);
            generate(server, rowsPerTable);
            facts.put("rows", TABLES * rowsPerTable);
            facts.put("generateSeconds", generating.elapsed().toSeconds());
            if (wanted("dump")) {
                compareDumps(server);
            }
            if (wanted("parallel")) {
                compareParallel(server);
            }
            if (wanted("memory")) {
                measureMemory(server);
            }
            if (wanted("stall")) {
                compareWriteStall(server);
            }
            if (wanted("restore")) {
                compareRestores(server);
            }
            if (wanted("verify")) {
                measureVerify(server);
            }
            if (wanted("cli")) {
                compareColdCliDump(server);
            }
        } finally {
            new ServerStopper(host, QUIET).stop(StopSpec.of(server, Duration.ofMinutes(5), true));
        }
        if (wanted("start")) {
            compareStart();
        }
        if (wanted("stop")) {
            compareStop();
        }
        if (wanted("cli")) {
            compareColdCliStop();
        }
        if (ssh && wanted("ssh") && flavor == Flavor.MARIADB) { // the SSH test hosts have MariaDB only
            compareRemoteDump(server);
        }
    }

    private static Connection connect(Host host, int port) throws SQLException, IOException {
        Properties properties = new Properties();
        properties.setProperty("user", "root");
        properties.setProperty("socketTimeout", "0");
        return Jdbc.connect(host.loopbackAddress(port), properties);
    }

    /** Ints, decimals, doubles, varchars with quotes, backslashes and UTF-8, text and datetimes. */
    private void generate(ServerHandle server, long rows) throws Exception {
        try (Connection connection = connect(host, server.port()); Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE bench CHARACTER SET utf8mb4");
            String[] numbers = numbers("bench", rows);
            if (flavor == Flavor.MYSQL) {
                sql.execute("SET SESSION cte_max_recursion_depth = " + (rows + 1));
            }
            for (int t = 1; t <= TABLES; t++) {
                sql.execute("CREATE TABLE bench.t" + t + " (id INT PRIMARY KEY, qty INT NOT NULL, price DECIMAL(12,2),"
                        + " ratio DOUBLE, name VARCHAR(80), note TEXT, at DATETIME)");
                sql.execute("INSERT INTO bench.t" + t + " " + numbers[0] + "SELECT seq, (seq * 7919) % 100003, (seq % 100000) / 100,"
                        + " seq * 1.000001e-3 + " + t + ", CONCAT('it''s \\\\ \"quoted\" Zürich-', seq),"
                        + " REPEAT(CONCAT('note ', seq % 97, ' 東京 '), 6), '2020-01-01' + INTERVAL seq SECOND"
                        + " FROM " + numbers[1]);
            }
        }
    }

    private List<String> dumpArguments(int port) {
        List<String> arguments = new ArrayList<>(List.of("--no-defaults", "--protocol=TCP", "--host=127.0.0.1",
                "--port=" + port, "--user=root", "--single-transaction", "--quick", "--routines", "--events",
                "--triggers", "--hex-blob", "--default-character-set=utf8mb4", "--comments"));
        if (flavor == Flavor.MYSQL) {
            arguments.add("--set-gtid-purged=OFF"); // as the engine runs it
        }
        // no TLS on the loopback address, as the engine runs the tool there (MySQL's default would be TLS)
        arguments.add(flavor == Flavor.MYSQL ? "--ssl-mode=DISABLED" : "--skip-ssl");
        arguments.addAll(List.of("--databases", "bench"));
        return arguments;
    }

    private Sample engineDump(Host where, ServerHandle server, Compression compression) throws Exception {
        Path output = work.resolve("engine.sql" + compression.suffix());
        Sample.Mark mark = Sample.Mark.now(server.pid());
        new Dumper(where, QUIET).dump(DumpSpec.builder().port(server.port()).user("root").databases(List.of("bench"))
                .compression(compression).output(output.toString())
                .dumpTool(flavor == Flavor.MYSQL ? dumpTool() : null).build());
        Sample sample = mark.sampleNow(server.pid());
        facts.put("bytes." + (where instanceof SshHost ? "ssh." : "") + compression.id(), Files.size(output));
        Files.delete(output);
        Files.delete(Path.of(output + ".json"));
        return sample;
    }

    /**
     * {@code script} writes {@code output}, a file that does not exist yet; it is removed after the sample, untimed,
     * as the engine's output is. (Writing over the last run's file made the reference tool pay for truncating 1.3 GB
     * inside its time: 0.06 to 0.4 s here.) The file's size is kept in {@link #referenceBytes}.
     */
    private Sample referenceDump(String script, List<String> arguments, long serverPid, Path output)
            throws Exception {
        Files.deleteIfExists(output);
        Sample sample = shell(script, arguments, serverPid);
        referenceBytes = Files.size(output);
        Files.delete(output);
        return sample;
    }

    /** The size of the last {@link #referenceDump}'s file. */
    private long referenceBytes;

    private Sample shell(String script, List<String> arguments, long serverPid) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        command.addAll(arguments);
        Sample.Mark mark = Sample.Mark.now(serverPid);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("reference command failed: " + script);
        }
        return mark.sampleNow(serverPid);
    }

    private void compareDumps(ServerHandle server) throws Exception {
        Path out = work.resolve("reference.out");
        record Case(Compression compression, String pipe, String target) {
        }
        for (Case c : List.of(new Case(Compression.NONE, "", ">= 0.95"), new Case(Compression.GZIP, " | gzip -1",
                ">= 1.0"), new Case(Compression.ZSTD, " | zstd -1 -q", ">= 1.0"))) {
            Comparison comparison = new Comparison("dump " + c.compression().id(), "engine",
                    Path.of(dumpTool()).getFileName() + c.pipe() + " > file", c.target());
            // the engine's dump is on disk when it returns (fsync, then the rename made durable); "> file" is not
            Comparison durable = new Comparison("dump " + c.compression().id() + ", durable", "engine",
                    Path.of(dumpTool()).getFileName() + c.pipe() + " > file && sync file", ">= 1.0");
            boolean withDurable = c.compression() == Compression.NONE;
            say(comparison.name);
            for (int i = 0; i < reps; i++) {
                Sample engine = engineDump(host, server, c.compression());
                comparison.aSamples.add(engine);
                comparison.bSamples.add(referenceDump(dumpTool() + " \"$@\"" + c.pipe() + " > " + out,
                        dumpArguments(server.port()), server.pid(), out));
                if (withDurable) {
                    durable.aSamples.add(engine);
                    durable.bSamples.add(referenceDump(dumpTool() + " \"$@\"" + c.pipe() + " > " + out + " && sync "
                            + out, dumpArguments(server.port()), server.pid(), out));
                }
            }
            facts.put("bytes.reference." + c.compression().id(), referenceBytes);
            comparisons.add(comparison);
            if (withDurable) {
                comparisons.add(durable);
                target("single-stream dump vs " + comparison.b, comparison.ratio(), ">= 0.95",
                        comparison.ratio() >= 0.95);
                target("single-stream durable dump vs " + durable.b, durable.ratio(), ">= 1.0",
                        durable.ratio() >= 1.0);
            }
        }
    }

    /** The parallel method (2 connections, as many as cores here) against mariadb-dump and mydumper -t 2. */
    private void compareParallel(ServerHandle server) throws Exception {
        Path out = work.resolve("reference.out");
        Path mydumperDirectory = work.resolve("mydumper.out");
        Comparison againstDump = new Comparison("dump none, parallel", "engine parallel, 2 connections",
                Path.of(dumpTool()).getFileName() + " > file", ">= 2.0");
        Comparison againstMydumper = new Comparison("dump none, parallel", "engine parallel, 2 connections",
                "mydumper -t 2", ">= 1.5");
        // mydumper does not fsync what it wrote; the engine forces every file before it calls the dump complete
        Comparison againstDurableMydumper = new Comparison("dump none, parallel", "engine parallel, 2 connections",
                "mydumper -t 2, then sync of its files", "(reported)");
        say(againstDump.name);
        for (int i = 0; i < reps; i++) {
            Sample engine = engineParallelDump(server);
            againstDump.aSamples.add(engine);
            againstMydumper.aSamples.add(engine);
            againstDump.bSamples.add(referenceDump(dumpTool() + " \"$@\" > " + out, dumpArguments(server.port()),
                    server.pid(), out));
            // Debian's mydumper 0.10 is built with MariaDB's client library; it dumps MySQL 9.7 too (checked with
            // myloader's load of its dump in compareRestores)
            deleteTree(mydumperDirectory);
            List<String> mydumperArguments = mydumperArguments(server, mydumperDirectory);
            againstMydumper.bSamples.add(shell("mydumper \"$@\"", mydumperArguments, server.pid()));
            deleteTree(mydumperDirectory);
            againstDurableMydumper.aSamples.add(engine);
            againstDurableMydumper.bSamples.add(shell("mydumper \"$@\" && sync " + mydumperDirectory + "/* "
                    + mydumperDirectory, mydumperArguments, server.pid()));
            deleteTree(mydumperDirectory);
        }
        comparisons.add(againstDump);
        comparisons.add(againstMydumper);
        comparisons.add(againstDurableMydumper);
        target("parallel dump vs " + againstDump.b, againstDump.ratio(), ">= 2.0", againstDump.ratio() >= 2.0);
        target("parallel dump vs mydumper -t 2", againstMydumper.ratio(), ">= 1.5", againstMydumper.ratio() >= 1.5);
    }

    private static List<String> mydumperArguments(ServerHandle server, Path directory) {
        return List.of("--host", "127.0.0.1", "--port", Integer.toString(server.port()), "--user", "root",
                "--database", "bench", "--threads", "2", "--outputdir", directory.toString());
    }

    private Sample engineParallelDump(ServerHandle server) throws Exception {
        Path output = work.resolve("engine-parallel");
        Sample.Mark mark = Sample.Mark.now(server.pid());
        new Dumper(host, QUIET).dump(DumpSpec.builder().port(server.port()).user("root").databases(List.of("bench"))
                .method(DumpMethod.PARALLEL).threads(2).compression(Compression.NONE).output(output.toString())
                .build());
        Sample sample = mark.sampleNow(server.pid());
        deleteTree(output);
        Files.delete(Path.of(output + ".json"));
        return sample;
    }

    /**
     * How long writes elsewhere on the server wait while a consistent dump takes its snapshot, beside the tool a DBA
     * would use: mydumper -t 2 on MariaDB (FLUSH TABLES WITH READ LOCK), MySQL's mysqldump --single-transaction
     * --source-data=2 (the same lock, for the binary log position). A probe connection inserts into a table outside
     * the dump every 10 ms; a sample is the longest of its inserts while the dump runs (in the wall-time column; CPU
     * is not what is compared). Idle: nothing else runs. Busy: two more connections each run writes of 0.5 s back to
     * back, which FLUSH TABLES WITH READ LOCK must wait for, with every other write queued behind it.
     */
    private void compareWriteStall(ServerHandle server) throws Exception {
        try (Connection connection = connect(host, server.port()); Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE IF NOT EXISTS stall");
            sql.execute("CREATE TABLE IF NOT EXISTS stall.probe (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                    + " at DATETIME(6))");
            sql.execute("CREATE TABLE IF NOT EXISTS stall.busy (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT)");
        }
        Path referenceOutput = work.resolve("stall-reference");
        String reference = flavor == Flavor.MARIADB ? "mydumper -t 2"
                : Path.of(dumpTool()).getFileName() + " --single-transaction --source-data=2";
        for (boolean busy : List.of(false, true)) {
            Comparison comparison = new Comparison("write stall, " + (busy ? "busy" : "idle")
                    + " server (longest insert, ms)", "engine parallel, 2 connections", reference, "(reported)");
            say(comparison.name);
            for (int i = 0; i < reps; i++) {
                comparison.aSamples.add(longestInsertDuring(server, busy, () -> engineParallelDump(server)));
                comparison.bSamples.add(longestInsertDuring(server, busy, () -> {
                    deleteTree(referenceOutput);
                    if (flavor == Flavor.MARIADB) {
                        shell("mydumper \"$@\"", List.of("--host", "127.0.0.1", "--port",
                                Integer.toString(server.port()), "--user", "root", "--database", "bench", "--threads",
                                "2", "--outputdir", referenceOutput.toString()), server.pid());
                    } else {
                        List<String> arguments = new ArrayList<>(dumpArguments(server.port()));
                        arguments.add(arguments.indexOf("--databases"), "--source-data=2");
                        shell(dumpTool() + " \"$@\" > " + referenceOutput, arguments, server.pid());
                    }
                    deleteTree(referenceOutput);
                    return null;
                }));
            }
            comparisons.add(comparison);
        }
    }

    /** The longest insert of a probe writing every 10 ms while {@code dump} runs, as a sample's wall time. */
    private Sample longestInsertDuring(ServerHandle server, boolean busy, java.util.concurrent.Callable<?> dump)
            throws Exception {
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        AtomicLong longestNanos = new AtomicLong();
        AtomicLong probes = new AtomicLong();
        AtomicLong busyWrites = new AtomicLong();
        List<java.util.concurrent.Future<?>> load = new ArrayList<>();
        try {
            for (int writer = 0; busy && writer < 2; writer++) {
                load.add(threads.submit(() -> {
                    try (Connection connection = connect(host, server.port());
                         Statement sql = connection.createStatement()) {
                        while (running.get()) {
                            sql.executeUpdate("INSERT INTO stall.busy (v) SELECT SLEEP(0.5)");
                            busyWrites.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            load.add(threads.submit(() -> {
                try (Connection connection = connect(host, server.port());
                     Statement sql = connection.createStatement()) {
                    while (running.get()) {
                        long started = System.nanoTime();
                        sql.executeUpdate("INSERT INTO stall.probe (at) VALUES (NOW(6))");
                        longestNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
                        probes.incrementAndGet();
                        Thread.sleep(10); // the probe's pace
                    }
                }
                return null;
            }));
            // the load under way first: the probe writing, and each busy writer past its first write
            Deadline underWay = Deadline.after(Duration.ofSeconds(30));
            while (probes.get() < 5 || busy && busyWrites.get() < 2) {
                if (underWay.hasExpired()) {
                    throw new IllegalStateException("the probe and load did not get under way");
                }
                Thread.sleep(5);
            }
            longestNanos.set(0);
            dump.call();
            return new Sample(longestNanos.get() / 1e6, 0, 0);
        } finally {
            running.set(false);
            for (java.util.concurrent.Future<?> thread : load) {
                thread.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            threads.shutdownNow();
        }
    }

    /** Peak heap (sampled every 5 ms) and peak RSS (VmHWM, reset first) of this JVM during a gzip dump. */
    private void measureMemory(ServerHandle server) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        engineDump(host, server, Compression.GZIP);
        sampler.interrupt();
        sampler.join();
        facts.put("memory.peakHeapUsedMiB", peakHeap.get() / (1024 * 1024));
        facts.put("memory.maxHeapMiB", memory.getHeapMemoryUsage().getMax() / (1024 * 1024));
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                facts.put("memory.peakRssMiB", Long.parseLong(line.replaceAll("\\D", "")) / 1024);
            }
        }
    }

    /** The server's client: MariaDB's from PATH, or MySQL's beside its mysqld. */
    private String clientTool() {
        return tool("mariadb", "mysql");
    }

    /** One engine restore into an emptied target, timed as {@code comparison}'s A side, checked, then dropped. */
    private void engineRestore(Comparison comparison, String heapPhase, ServerHandle target, Path input,
                               boolean skipBinaryLog) throws Exception {
        dropBench(target);
        heap.phase(heapPhase);
        Sample.Mark mark = Sample.Mark.now(target.pid());
        new Restorer(host, QUIET).restore(restoreSpec(target, input, skipBinaryLog));
        comparison.aSamples.add(mark.sampleNow(target.pid()));
        heap.phase("other");
        checkRestored(target, "the engine");
        dropBench(target);
    }

    private RestoreSpec restoreSpec(ServerHandle target, Path input, boolean skipBinaryLog) throws Exception {
        return RestoreSpec.builder().port(target.port()).user("root").input(input.toString()).threads(2)
                .clientTool(flavor == Flavor.MYSQL ? clientTool() : null).skipBinaryLog(skipBinaryLog).build();
    }

    private String query(ServerHandle server, String sql) throws Exception {
        try (Connection connection = connect(host, server.port()); Statement statement = connection.createStatement();
             var result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    private void dropBench(ServerHandle target) throws Exception {
        try (Connection connection = connect(host, target.port()); Statement sql = connection.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS bench");
        }
    }

    /** Every row of the dataset is back: a reference tool that failed quietly would otherwise look fast. */
    private void checkRestored(ServerHandle target, String by) throws Exception {
        long rows = 0;
        try (Connection connection = connect(host, target.port()); Statement sql = connection.createStatement()) {
            for (int t = 1; t <= TABLES; t++) {
                try (var count = sql.executeQuery("SELECT COUNT(*) FROM bench.t" + t)) {
                    count.next();
                    rows += count.getLong(1);
                }
            }
        }
        if (rows != (Long) facts.get("rows")) {
            throw new IllegalStateException(by + " restored " + rows + " rows of " + facts.get("rows"));
        }
    }

    /**
     * Restores into a second server of the same binary, the database dropped (untimed) before each load: a directory
     * dump with 2 connections against myloader -t 2 loading mydumper's dump of the same data, and a dump file of
     * each compression against the client reading the same file.
     */
    private void compareRestores(ServerHandle source) throws Exception {
        ServerHandle target = new ServerLauncher(host, QUIET).start(ServerSpec.builder(work.resolve("target")
                .toString()).initialize(true).mysqld(mysqld).build());
        Path engineDirectory = work.resolve("restore-engine");
        Path mydumperDirectory = work.resolve("restore-mydumper");
        try {
            say("restore: making the dumps to load");
            new Dumper(host, QUIET).dump(DumpSpec.builder().port(source.port()).user("root")
                    .databases(List.of("bench")).method(DumpMethod.PARALLEL).threads(2).compression(Compression.NONE)
                    .output(engineDirectory.toString()).build());
            shell("mydumper \"$@\"", mydumperArguments(source, mydumperDirectory), source.pid());
            // myloader leaves the binary log out by default (SET SQL_LOG_BIN=0), as --skip-binary-log does; on a
            // server that logs (MySQL's default) both are also measured logging, as the engine restores by default
            boolean logging = "1".equals(query(target, "SELECT @@log_bin"));
            Comparison directory = new Comparison("restore directory", "engine restore, 2 connections,"
                    + " --skip-binary-log", "myloader -t 2", ">= 1.2");
            Comparison logged = new Comparison("restore directory, binary log written", "engine restore,"
                    + " 2 connections", "myloader -t 2 --enable-binlog", "(reported)");
            say(directory.name);
            List<String> myloaderArguments = List.of("--host", "127.0.0.1", "--port",
                    Integer.toString(target.port()), "--user", "root", "--threads", "2", "--directory",
                    mydumperDirectory.toString());
            for (int i = 0; i < reps; i++) {
                for (boolean skipBinaryLog : logging ? List.of(true, false) : List.of(true)) {
                    Comparison comparison = skipBinaryLog ? directory : logged;
                    engineRestore(comparison, "restore directory", target, engineDirectory, skipBinaryLog);
                    List<String> arguments = new ArrayList<>(myloaderArguments);
                    if (!skipBinaryLog) {
                        arguments.add("--enable-binlog");
                    }
                    comparison.bSamples.add(shell("myloader \"$@\"", arguments, target.pid()));
                    checkRestored(target, "myloader");
                }
            }
            comparisons.add(directory);
            if (logging) {
                comparisons.add(logged);
            }
            target("parallel restore vs myloader -t 2", directory.ratio(), ">= 1.2", directory.ratio() >= 1.2);
            deleteTree(engineDirectory);
            Files.deleteIfExists(Path.of(engineDirectory + ".json"));
            deleteTree(mydumperDirectory);

            String client = Path.of(clientTool()).getFileName().toString();
            for (Compression compression : Compression.values()) {
                Path file = work.resolve("restore.sql" + compression.suffix());
                new Dumper(host, QUIET).dump(DumpSpec.builder().port(source.port()).user("root")
                        .databases(List.of("bench")).compression(compression).output(file.toString())
                        .dumpTool(flavor == Flavor.MYSQL ? dumpTool() : null).build());
                String[] reference = switch (compression) {
                    case NONE -> new String[] {clientTool() + " \"$@\" < " + file, client + " < file"};
                    case GZIP -> new String[] {"zcat " + file + " | " + clientTool() + " \"$@\"",
                        "zcat file | " + client};
                    case ZSTD -> new String[] {"zstdcat -q " + file + " | " + clientTool() + " \"$@\"",
                        "zstdcat file | " + client};
                };
                Comparison restore = new Comparison("restore file " + compression.id(), "engine restore",
                        reference[1], ">= 0.97");
                say(restore.name);
                List<String> clientArguments = List.of("--no-defaults", "--protocol=TCP", "--host=127.0.0.1",
                        "--port=" + target.port(), "--user=root");
                for (int i = 0; i < reps; i++) {
                    engineRestore(restore, "restore file", target, file, false);
                    restore.bSamples.add(shell(reference[0], clientArguments, target.pid()));
                    checkRestored(target, reference[1]);
                }
                comparisons.add(restore);
                target("file restore " + compression.id() + " vs " + reference[1], restore.ratio(), ">= 0.97",
                        restore.ratio() >= 0.97);
                Files.delete(file);
                Files.delete(Path.of(file + ".json"));
            }
        } finally {
            new ServerStopper(host, QUIET).stop(StopSpec.of(target, Duration.ofMinutes(5), true));
            deleteTree(engineDirectory);
            deleteTree(mydumperDirectory);
        }
    }

    private static final Pattern DURATION = Pattern.compile("([0-9.]+) (ms|s|min|h)");

    /** The first duration after {@code prefix} in the log, in ms (Durations.describe's forms). */
    private static double loggedMs(String log, String prefix) {
        int at = log.indexOf(prefix);
        Matcher matcher = DURATION.matcher(log);
        if (at < 0 || !matcher.find(at + prefix.length())) {
            throw new IllegalStateException("the log has no \"" + prefix + "\" and a duration:\n" + log);
        }
        double value = Double.parseDouble(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> value;
            case "s" -> value * 1000;
            case "min" -> value * 60_000;
            default -> value * 3_600_000;
        };
    }

    /**
     * --verify against the same dump without it, for both methods: the total, and its parts as the engine logs
     * them (the source's checksums in the dump's snapshot, the scratch server's start, the restore, the scratch
     * side's checksums, the scratch server's stop and removal).
     */
    private void measureVerify(ServerHandle server) throws Exception {
        for (DumpMethod method : DumpMethod.values()) {
            String label = method == DumpMethod.PARALLEL ? "parallel" : "single-stream";
            Comparison verify = new Comparison("dump none " + label + " --verify", "engine dump --verify",
                    "engine dump alone", "verify <= 1.5x dump");
            say(verify.name);
            Map<String, List<Double>> parts = new LinkedHashMap<>();
            Path output = work.resolve("verify-" + label + (method == DumpMethod.PARALLEL ? "" : ".sql"));
            for (int i = 0; i < reps; i++) {
                for (boolean withVerify : List.of(true, false)) {
                    java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
                    heap.phase(withVerify ? "verify" : "other");
                    Sample.Mark mark = Sample.Mark.now(server.pid());
                    new Dumper(host, new PrintStream(logged, true, StandardCharsets.UTF_8)).dump(DumpSpec.builder()
                            .port(server.port()).user("root").databases(List.of("bench")).method(method)
                            .threads(method == DumpMethod.PARALLEL ? 2 : 0)
                            .compression(Compression.NONE).output(output.toString()).verify(withVerify)
                            .dumpTool(flavor == Flavor.MYSQL && method == DumpMethod.MYSQLDUMP ? dumpTool() : null)
                            .verifyServer(withVerify ? mysqld : null).build());
                    Sample sample = mark.sampleNow(server.pid());
                    heap.phase("other");
                    (withVerify ? verify.aSamples : verify.bSamples).add(sample);
                    if (withVerify) {
                        String log = logged.toString(StandardCharsets.UTF_8);
                        parts.computeIfAbsent("sourceChecksumsMs", k -> new ArrayList<>())
                                .add(loggedMs(log, "the source's tables counted and checksummed in"));
                        parts.computeIfAbsent("scratchStartMs", k -> new ArrayList<>())
                                .add(loggedMs(log, "scratch server initialized and started in"));
                        parts.computeIfAbsent("loadMs", k -> new ArrayList<>())
                                .add(loggedMs(log, "dump restored in"));
                        parts.computeIfAbsent("scratchChecksumsMs", k -> new ArrayList<>())
                                .add(loggedMs(log, ", tables counted and checksummed in"));
                        parts.computeIfAbsent("scratchStopMs", k -> new ArrayList<>())
                                .add(loggedMs(log, "scratch server stopped and removed in"));
                    }
                    if (Files.isDirectory(output)) {
                        deleteTree(output);
                    } else {
                        Files.delete(output);
                    }
                    Files.delete(Path.of(output + ".json"));
                }
            }
            comparisons.add(verify);
            parts.forEach((name, values) -> facts.put("verify." + label + "." + name, Comparison.median(values)));
            double total = verify.medianA() - verify.medianB();
            facts.put("verify." + label + ".totalMs", total);
            facts.put("verify." + label + ".dumpAloneMs", verify.medianB());
            target("verify total / dump alone, " + label, total / verify.medianB(), "<= 1.5",
                    total / verify.medianB() <= 1.5);
        }
    }

    /** bin/mysql-lifecycle with {@code arguments}: its stdout (the JSON); a failure names its stderr. */
    private static String cli(List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bin/mysql-lifecycle"));
        command.addAll(arguments);
        Path stderr = Files.createTempFile("bench-cli-", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            String json = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(stderr));
            }
            return json;
        } finally {
            Files.delete(stderr);
        }
    }

    /**
     * Before a cold CLI is timed: the jar is built, and bin/mysql-lifecycle has made its class-data archive on the
     * jar's first use (a start and a stop, untimed), so that the rows measure every later use.
     */
    private void prepareCli() throws Exception {
        if (!cliPrepared) {
            ServerSpec spec = smallSpec();
            List<String> start = new ArrayList<>(List.of("start", "--initialize", "--datadir", spec.datadir()));
            if (mysqld != null) {
                start.addAll(List.of("--mysqld", mysqld));
            }
            Sample.Mark mark = Sample.Mark.now(0);
            ServerHandle started = ServerHandle.fromMap(Json.parseObject(cli(start).strip()));
            facts.put("cli.firstStartMs", mark.sampleNow(0).wallMs());
            cli(List.of("stop", "--pid-file", started.pidFile()));
            cliPrepared = true;
        }
    }

    private boolean cliPrepared;

    /** A dump of a small database from a new CLI process against the same dump in this warm JVM. */
    private void compareColdCliDump(ServerHandle server) throws Exception {
        prepareCli();
        try (Connection connection = connect(host, server.port()); Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE IF NOT EXISTS small");
            sql.execute("CREATE TABLE IF NOT EXISTS small.t (id INT PRIMARY KEY, v VARCHAR(40))");
            if (flavor == Flavor.MYSQL) {
                sql.execute("SET SESSION cte_max_recursion_depth = 10001");
            }
            sql.execute("INSERT IGNORE INTO small.t " + numbers("small", 10_000)[0] + "SELECT seq, CONCAT('row ', seq)"
                    + " FROM " + numbers("small", 10_000)[1]);
        }
        Comparison cold = new Comparison("dump 10 k rows, cold CLI JVM", "bin/mysql-lifecycle dump",
                "engine dump warm", "(reported)");
        say(cold.name);
        Path output = work.resolve("small.sql");
        List<String> arguments = new ArrayList<>(List.of("dump", "--port", Integer.toString(server.port()), "--user",
                "root", "--database", "small", "--compress", "none", "--output", output.toString()));
        if (flavor == Flavor.MYSQL) {
            arguments.addAll(List.of("--dump-tool", dumpTool()));
        }
        for (int i = 0; i < reps; i++) {
            Sample.Mark mark = Sample.Mark.now(server.pid());
            cli(arguments);
            cold.aSamples.add(mark.sampleNow(server.pid()));
            mark = Sample.Mark.now(server.pid());
            new Dumper(host, QUIET).dump(DumpSpec.builder().port(server.port()).user("root")
                    .databases(List.of("small")).compression(Compression.NONE).output(output.toString())
                    .dumpTool(flavor == Flavor.MYSQL ? dumpTool() : null).build());
            cold.bSamples.add(mark.sampleNow(server.pid()));
        }
        Files.delete(output);
        Files.delete(Path.of(output + ".json"));
        comparisons.add(cold);
        facts.put("cli.dumpColdMinusWarmMs", cold.medianA() - cold.medianB());
        try (Connection connection = connect(host, server.port()); Statement sql = connection.createStatement()) {
            sql.execute("DROP DATABASE small");
        }
    }

    /** bin/mysql-lifecycle stop --pid-file against the engine's stop in this warm JVM. */
    private void compareColdCliStop() throws Exception {
        prepareCli();
        ServerSpec spec = smallSpec();
        ServerStopper stopper = new ServerStopper(host, QUIET);
        Comparison cold = new Comparison("stop, cold CLI JVM", "bin/mysql-lifecycle stop", "engine stop() warm",
                "(reported)");
        say(cold.name);
        for (int i = 0; i < reps; i++) {
            ServerHandle server = new ServerLauncher(host, QUIET).start(spec);
            Sample.Mark mark = Sample.Mark.now(0);
            cli(List.of("stop", "--pid-file", server.pidFile()));
            cold.aSamples.add(mark.sampleNow(0));
            server = new ServerLauncher(host, QUIET).start(spec);
            mark = Sample.Mark.now(0);
            stopper.stop(StopSpec.of(server, Duration.ofMinutes(1), false));
            cold.bSamples.add(mark.sampleNow(0));
        }
        comparisons.add(cold);
        facts.put("cli.stopColdMinusWarmMs", cold.medianA() - cold.medianB());
    }

    /** One of issue 21's targets, as this run measured it. */
    private void target(String what, double value, String goal, boolean met) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("what", what);
        row.put("value", value);
        row.put("target", goal);
        row.put("met", met);
        targets.add(row);
    }

    private final List<Map<String, Object>> targets = new ArrayList<>();

    private ServerSpec smallSpec() throws Exception {
        return ServerSpec.builder(work.resolve("small").toString()).initialize(true).mysqld(mysqld).build();
    }

    /** The launcher's server command, for the reference start. */
    private List<String> serverCommand(ServerSpec spec, int port) throws Exception {
        String datadir = spec.datadir();
        List<String> command = new ArrayList<>(List.of(Installation.ofServer(host, mysqld).server(), "--no-defaults",
                "--datadir=" + datadir, "--port=" + port, "--socket=" + datadir + "/mysqld.sock",
                "--pid-file=" + datadir + "/mysqld.pid", "--bind-address=127.0.0.1",
                "--log-error=" + datadir + "/error.log"));
        if (host.isRoot()) {
            command.add("--user=mysql");
        }
        if (flavor == Flavor.MYSQL) {
            // what the launcher adds for MySQL (X Protocol port off, no server-side file directory needed)
            command.addAll(List.of("--loose-mysqlx=OFF", "--secure-file-priv=NULL"));
        }
        return command;
    }

    private void compareStart() throws Exception {
        ServerSpec spec = smallSpec();
        ServerStopper stopper = new ServerStopper(host, QUIET);
        stopper.stop(StopSpec.of(new ServerLauncher(host, QUIET).start(spec), Duration.ofMinutes(1), true));
        Comparison start = new Comparison("start (spawn to SELECT 1)", "engine start()", "spawn + 1 ms JDBC poll",
                "overhead <= 20 ms");
        say(start.name);
        for (int i = 0; i < reps * 2; i++) {
            Sample.Mark mark = Sample.Mark.now(0);
            ServerHandle started = new ServerLauncher(host, QUIET).start(spec);
            start.aSamples.add(mark.sampleNow(0));
            stopper.stop(StopSpec.of(started, Duration.ofMinutes(1), true));

            int port = host.freePort("127.0.0.1");
            mark = Sample.Mark.now(0);
            long pid = host.spawnDetached(serverCommand(spec, port), spec.datadir() + "/error.log");
            Deadline deadline = Deadline.after(Duration.ofSeconds(60));
            while (!answers(port)) {
                if (deadline.hasExpired()) {
                    throw new IllegalStateException("reference server did not start");
                }
                Thread.sleep(1);
            }
            start.bSamples.add(mark.sampleNow(0));
            stopper.stop(StopSpec.ofPid(pid, 0, Duration.ofMinutes(1), true));
        }
        comparisons.add(start);
        facts.put("start.engineOverheadMs", start.medianA() - start.medianB());

        Comparison cold = new Comparison("start, cold CLI JVM", "bin/mysql-lifecycle start", "engine start() warm",
                "minus warm <= 400 ms");
        prepareCli();
        say(cold.name);
        for (int i = 0; i < reps; i++) {
            Sample.Mark mark = Sample.Mark.now(0);
            List<String> startCommand = new ArrayList<>(List.of("bin/mysql-lifecycle", "start", "--datadir",
                    spec.datadir()));
            if (mysqld != null) {
                startCommand.addAll(List.of("--mysqld", mysqld));
            }
            Process cli = new ProcessBuilder(startCommand)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String json = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (cli.waitFor() != 0) {
                throw new IllegalStateException("bin/mysql-lifecycle start failed");
            }
            cold.aSamples.add(mark.sampleNow(0));
            stopper.stop(StopSpec.of(ServerHandle.fromMap(Json.parseObject(json.strip())), Duration.ofMinutes(1),
                    true));
            mark = Sample.Mark.now(0);
            ServerHandle warm = new ServerLauncher(host, QUIET).start(spec);
            cold.bSamples.add(mark.sampleNow(0));
            stopper.stop(StopSpec.of(warm, Duration.ofMinutes(1), true));
        }
        comparisons.add(cold);
        double coldMinusWarm = cold.medianA() - cold.medianB();
        facts.put("start.coldCliMinusWarmMs", coldMinusWarm);
        target("cold CLI start minus warm engine start, ms", coldMinusWarm, "<= 400", coldMinusWarm <= 400);
    }

    private boolean answers(int port) {
        Properties properties = new Properties();
        properties.setProperty("user", "root");
        properties.setProperty("connectTimeout", "1000");
        try (Connection connection = Jdbc.connect(host.loopbackAddress(port), properties);
             Statement sql = connection.createStatement()) {
            return sql.execute("SELECT 1");
        } catch (SQLException | IOException notYet) {
            return false;
        }
    }

    private void compareStop() throws Exception {
        ServerSpec spec = smallSpec();
        ServerStopper stopper = new ServerStopper(host, QUIET);
        Comparison observed = new Comparison("stop, idle", "engine stop()", "SIGTERM + busy /proc poll",
                "overhead <= 10 ms");
        Comparison admin = new Comparison("stop, idle", "engine stop()", Path.of(tool("mariadb-admin", "mysqladmin"))
                .getFileName() + " shutdown (until gone)", flavor == Flavor.MARIADB ? ">= 10" : "(reported)");
        say("stop, idle");
        for (int i = 0; i < reps * 2; i++) {
            ServerHandle server = new ServerLauncher(host, QUIET).start(spec);
            Sample.Mark mark = Sample.Mark.now(0);
            stopper.stop(StopSpec.of(server, Duration.ofMinutes(1), false));
            Sample engine = mark.sampleNow(0);
            observed.aSamples.add(engine);
            admin.aSamples.add(engine);

            server = new ServerLauncher(host, QUIET).start(spec);
            observed.bSamples.add(observedExit(server));

            server = new ServerLauncher(host, QUIET).start(spec);
            // As a DBA runs it on the server's machine: over the socket, where mariadb-admin waits for the pid file
            // to go (polling once a second); over TCP it returns before the server has exited. Timed until the
            // server is gone, as the engine's stop is.
            Sample.Mark adminMark = Sample.Mark.now(0);
            shell(tool("mariadb-admin", "mysqladmin") + " --no-defaults --socket=\"$1\" -uroot shutdown",
                    List.of(server.socket()), 0);
            facts.put("stop.mariadbAdminReturnedMs", adminMark.sampleNow(0).wallMs());
            awaitGone(server.pid());
            admin.bSamples.add(adminMark.sampleNow(0));
        }
        comparisons.add(observed);
        comparisons.add(admin);
        facts.put("stop.engineOverheadMs", observed.medianA() - observed.medianB());

        Comparison dirty = new Comparison("stop, after writing", "engine stop()", "SIGTERM + busy /proc poll",
                "overhead <= 10 ms");
        long rows = quick ? 300_000 : 2_000_000;
        say("stop after writing " + rows + " rows");
        for (int i = 0; i < reps; i++) {
            ServerHandle server = startAndWrite(spec, rows);
            Sample.Mark mark = Sample.Mark.now(0);
            stopper.stop(StopSpec.of(server, Duration.ofMinutes(5), false));
            dirty.aSamples.add(mark.sampleNow(0));
            dirty.bSamples.add(observedExit(startAndWrite(spec, rows)));
        }
        comparisons.add(dirty);
    }

    private ServerHandle startAndWrite(ServerSpec spec, long rows) throws Exception {
        ServerHandle server = new ServerLauncher(host, QUIET).start(spec);
        try (Connection connection = connect(host, server.port()); Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE IF NOT EXISTS w");
            sql.execute("DROP TABLE IF EXISTS w.t");
            sql.execute("CREATE TABLE w.t (id INT PRIMARY KEY, v VARCHAR(250))");
            String[] numbers = numbers("w", rows);
            if (flavor == Flavor.MYSQL) {
                sql.execute("SET SESSION cte_max_recursion_depth = " + (rows + 1));
            }
            sql.execute("INSERT INTO w.t " + numbers[0] + "SELECT seq, REPEAT('w', 250) FROM " + numbers[1]);
        }
        return server;
    }

    /** The server's own exit time: SIGTERM, then /proc polled without pause. */
    private Sample observedExit(ServerHandle server) throws Exception {
        Sample.Mark mark = Sample.Mark.now(0);
        host.signal(server.pid(), io.jenkins.plugins.mysqllifecycle.engine.Signal.SIGTERM);
        awaitGone(server.pid());
        return mark.sampleNow(0);
    }

    private void awaitGone(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        while (true) {
            try {
                String content = Files.readString(stat);
                if (content.substring(content.lastIndexOf(')') + 2).startsWith("Z")) {
                    return;
                }
            } catch (IOException gone) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    /** The same datadir and dataset, now started on an SSH test host (a network namespace with its own sshd). */
    private void compareRemoteDump(ServerHandle local) throws Exception {
        if (!host.isRoot()) {
            say("skipping the SSH comparison: network namespaces need root");
            return;
        }
        try (SshTestHosts machines = SshTestHosts.start(Files.createDirectories(work.resolve("ssh")), 1)) {
            SshTestHosts.TestHost guest = machines.hosts.get(0);
            Path key = work.resolve("ssh/plain_key");
            Files.copy(machines.clientKey, key);
            SshTestHosts.sh("ssh-keygen", "-q", "-p", "-P", SshTestHosts.KEY_PASSPHRASE, "-N", "", "-f",
                    key.toString());
            SshTarget target = SshTarget.of(guest.destination(), key.toString(), null, null,
                    machines.knownHosts.toString(), SshTarget.HostKeyCheck.STRICT);
            try (SshHost remote = SshHost.connect(target, QUIET)) {
                ServerHandle server = new ServerLauncher(remote, QUIET).start(ServerSpec.builder(local.datadir())
                        .build());
                try {
                    Comparison ssh = new Comparison("dump none over SSH", "engine (JSch)",
                            "ssh host 'mariadb-dump' > file", ">= 0.9");
                    say(ssh.name);
                    List<String> arguments = new ArrayList<>(List.of("-i", key.toString(), "-o", "BatchMode=yes",
                            "-o", "UserKnownHostsFile=" + machines.knownHosts, "-p", Integer.toString(guest.port()),
                            "root@" + guest.address()));
                    StringBuilder remoteCommand = new StringBuilder("mariadb-dump");
                    for (String argument : dumpArguments(server.port())) {
                        remoteCommand.append(' ').append(argument);
                    }
                    arguments.add(remoteCommand.toString());
                    Path out = work.resolve("reference-ssh.out");
                    for (int i = 0; i < reps; i++) {
                        ssh.aSamples.add(engineDump(remote, server, Compression.NONE));
                        ssh.bSamples.add(referenceDump("ssh \"$@\" > " + out, arguments, server.pid(), out));
                    }
                    comparisons.add(ssh);
                } finally {
                    new ServerStopper(remote, QUIET).stop(StopSpec.of(server, Duration.ofMinutes(5), true));
                }
            }
        }
    }

    private void report(Path json) throws IOException {
        PrintStream out = System.out;
        out.println();
        out.printf(Locale.ROOT, "mysql-lifecycle bench, %s mode, %s, %d cores, %s repetitions of each (A and B"
                + " alternating), %s %s%n%n", facts.get("mode"), facts.get("date"), facts.get("cores"),
                facts.get("repetitions"), flavor == Flavor.MYSQL ? "MySQL" : "MariaDB", facts.get("server"));
        out.println("| what | A | A median ms (min-max) | A CPU s client / server | B | B median ms (min-max)"
                + " | B CPU s client / server | B/A | target |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (Comparison comparison : comparisons) {
            out.println(comparison.row());
        }
        out.println();
        long maxHeapMiB = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / (1024 * 1024);
        long peakHeapMiB = 0;
        for (Map.Entry<String, Long> peak : new java.util.TreeMap<>(heap.peaks).entrySet()) {
            facts.put("heap.peakUsedMiB." + peak.getKey(), peak.getValue() / (1024 * 1024));
            peakHeapMiB = Math.max(peakHeapMiB, peak.getValue() / (1024 * 1024));
        }
        for (Map.Entry<String, Long> peak : new java.util.TreeMap<>(heap.livePeaks).entrySet()) {
            facts.put("heap.peakAfterGcMiB." + peak.getKey(), peak.getValue() / (1024 * 1024));
        }
        facts.put("heap.maxMiB", maxHeapMiB);
        target("peak heap used, MiB (whole run, restores included; -Xmx64m)", peakHeapMiB, "<= 64",
                peakHeapMiB <= 64);
        out.println("| target of issue 21 | this run | target | met |");
        out.println("|---|---|---|---|");
        for (Map<String, Object> row : targets) {
            out.printf(Locale.ROOT, "| %s | %.3f | %s | %s |%n", row.get("what").toString().replace("|", "\\|"),
                    (Double) row.get("value"), row.get("target"), (Boolean) row.get("met") ? "yes" : "**no**");
        }
        out.println();
        facts.forEach((name, value) -> out.println("- " + name + ": " + (value instanceof Double d
                ? String.format(Locale.ROOT, "%.1f", d) : value)));
        Map<String, Object> all = new LinkedHashMap<>(facts);
        all.put("comparisons", comparisons.stream().map(Comparison::json).toList());
        all.put("targets", targets);
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, Json.write(all) + "\n");
        out.println();
        out.println("JSON: " + json);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static {
        Locale.setDefault(Locale.ROOT);
    }

}
