package io.jenkins.plugins.mysqllifecycle.engine.cli;


import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreResult;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreSpec;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.SshTarget;
import io.jenkins.plugins.mysqllifecycle.engine.StopResult;
import io.jenkins.plugins.mysqllifecycle.engine.StopSpec;
import io.jenkins.plugins.mysqllifecycle.engine.StopTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.Tls;
import io.jenkins.plugins.mysqllifecycle.engine.dump.Dumper;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ssh.SshHost;
import io.jenkins.plugins.mysqllifecycle.engine.restore.Restorer;
import io.jenkins.plugins.mysqllifecycle.engine.report.DumpHistory;
import io.jenkins.plugins.mysqllifecycle.engine.report.HtmlReport;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerLauncher;
import io.jenkins.plugins.mysqllifecycle.engine.server.ServerStopper;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code mysql-lifecycle <command> [options]}: one JSON object on stdout when a command succeeds, plain log lines
 * on stderr, and the exit code says how it ended.
 */
public final class Cli {
    public static final int DONE = 0;
    public static final int FAILED = 1;
    public static final int BAD_USAGE = 2;
    public static final int TIMED_OUT = 3;

    /** Each command's own usage, as {@code COMMAND --help} prints it. */
    static final Map<String, String> COMMAND_USAGE = commandUsage();

    private static Map<String, String> commandUsage() {
        String ssh = String.join("\n",
                "        on another machine, add: --ssh USER@HOST[:PORT] --identity KEYFILE [--passphrase-env VAR]",
                "        [--known-hosts FILE] [--host-key-check strict|acceptNew|off]",
                "        [--ssh-password-env VAR (password login instead)]");
        String tls = String.join("\n",
                "        [--tls disabled|preferred|required|verify-ca|verify-identity] [--tls-ca FILE (PEM)]",
                "        (default: disabled for 127.0.0.1, localhost or ::1, required for any other host,",
                "        verify-identity when --tls-ca is given)");
        Map<String, String> usage = new LinkedHashMap<>();
        usage.put("start", String.join("\n",
                "  start --datadir DIR [--port N] [--socket PATH] [--pid-file PATH] [--mysqld PATH] [--initialize]",
                "        [--defaults-file FILE] [--ready-timeout SECONDS] [--os-user USER]", ssh));
        usage.put("dump", String.join("\n",
                "  dump  (--port N [--host H] | --socket PATH) --user U [--password-env VAR] [--defaults-file FILE]",
                "        (--all-databases | --databases a,b,... | --database NAME ...) --output PATH",
                "        [--compress gzip|zstd|none] (--database: one name as it is, repeatable)",
                "        [--method mysqldump|parallel] [--threads N (parallel; 0 = one per core)] [--verify]",
                "        [--timeout SECONDS] [--dump-tool PATH] [--keep N] [--verify-mysqld PATH]",
                "        [--set-gtid-purged OFF|ON|AUTO|COMMENTED (MySQL's mysqldump; default OFF)]",
                "        [--lock-wait-timeout SECONDS (each request for the snapshot's lock; default 2)]",
                "        [--long-query-guard SECONDS (wait for statements that hold the lock up; default 60)]",
                "        [--kill-long-queries (then stop them with KILL QUERY instead of failing)]",
                "        (--keep N: then remove the older dumps of the same databases in the output's directory",
                "        beyond the newest N, this one included; only dumps whose manifest and checksums match)", tls,
                ssh,
                "        (the dump still lands in --output on this machine)"));
        usage.put("restore", String.join("\n",
                "  restore (--port N [--host H] | --socket PATH) --user U [--password-env VAR] [--defaults-file FILE]",
                "        --input PATH (a dump file or a parallel dump's directory) [--threads N] [--timeout SECONDS]",
                "        [--client-tool PATH] [--allow-cross-flavor (a MySQL dump into MariaDB or the reverse)]",
                "        [--skip-binary-log (not written to the server's binary log: replicas do not get it;"
                        + " needs SUPER)]", tls, ssh, "        (--input is read on this machine)"));
        usage.put("stop", String.join("\n",
                "  stop  (--pid-file PATH | --pid N [--start-ticks T]) [--timeout SECONDS] [--kill-after-timeout]",
                ssh));
        usage.put("report", String.join("\n",
                "  report DIR [--output FILE.html] [--json]",
                "        the dumps in DIR by their manifests: one self-contained HTML page with a table and charts of",
                "        size and duration (to --output, by default DIR/" + REPORT_FILE + "); --json prints the same data",
                "        instead (and writes the page only with --output). Other files in DIR are listed as skipped"));
        usage.put("demo", "  demo  start a throwaway server, fill it, dump it and stop it");
        return usage;
    }

    /** Where {@code report} writes its page without {@code --output}: in the directory it reports on. */
    static final String REPORT_FILE = "report.html";

    private static final String EXIT_CODES = "exit codes: 0 done, 1 failed, 2 bad usage or input, 3 timed out";

    static final String USAGE = "usage: mysql-lifecycle <command> [options]   (<command> --help for one command;"
            + " --version)\n\n" + String.join("\n", COMMAND_USAGE.values()) + "\n\n" + EXIT_CODES + "\n";

    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;

    Cli(Map<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    private static final Set<String> HELP = Set.of("help", "--help", "-h");

    /** The version the jar's manifest names; a build from classes has none. */
    static String version() {
        String version = Cli.class.getPackage().getImplementationVersion();
        return version == null ? "(development build, no version)" : version;
    }

    /**
     * How long a signal waits for the command's own cleanup: a dump tool gets 5 s after its SIGTERM and a
     * half-started server 10 s before SIGKILL, a scratch server up to its stop and the removal of its directory.
     */
    static final Duration CLEANUP_ON_SIGNAL = Duration.ofSeconds(30);

    public static void main(String[] args) {
        java.util.Optional<Integer> relaunched = Utf8Locale.relaunchIfNeeded(args);
        if (relaunched.isPresent()) {
            System.exit(relaunched.get());
        }
        args = Utf8Locale.decode(args);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        int exit;
        try (CleanupOnSignal cleanup = CleanupOnSignal.install(Thread.currentThread(), err)) {
            exit = new Cli(System.getenv(), out, err).run(args);
        }
        System.exit(exit);
    }

    /**
     * SIGTERM, SIGINT and SIGHUP (a CI abort, timeout(1), systemd, Ctrl-C) make the JVM run its shutdown hooks and
     * then halt, skipping every finally block of the working thread: the dump tool would run on and finish a
     * FILE.partial that looks whole, and a half-started server would keep running. This hook interrupts the working
     * thread, which is how every operation is told to stop and clean up, and holds the JVM's exit until that thread
     * has finished (at most {@link #CLEANUP_ON_SIGNAL}). The exit status stays the signal's (143 for SIGTERM).
     */
    static final class CleanupOnSignal implements AutoCloseable {
        private final Thread worker;
        private final PrintStream err;
        private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        private final Thread hook;

        private CleanupOnSignal(Thread worker, PrintStream err) {
            this.worker = worker;
            this.err = err;
            this.hook = new Thread(this::onSignal, "mysql-lifecycle cleanup on signal");
        }

        static CleanupOnSignal install(Thread worker, PrintStream err) {
            CleanupOnSignal cleanup = new CleanupOnSignal(worker, err);
            Runtime.getRuntime().addShutdownHook(cleanup.hook);
            return cleanup;
        }

        private void onSignal() {
            if (finished.getCount() == 0) {
                return; // the command had ended: this is the exit it asked for
            }
            err.println("ERROR: stopped by a signal; cleaning up (for at most "
                    + Durations.describe(CLEANUP_ON_SIGNAL) + ")");
            worker.interrupt();
            try {
                if (!finished.await(CLEANUP_ON_SIGNAL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    err.println("ERROR: the cleanup did not finish within " + Durations.describe(CLEANUP_ON_SIGNAL)
                            + "; exiting without it");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // a signal came: the hook is running and returns now that the command has ended
            }
        }
    }

    int run(String... args) {
        if (args.length == 0 || HELP.contains(args[0])) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? BAD_USAGE : DONE;
        }
        if (args[0].equals("--version")) {
            out.println("mysql-lifecycle " + version());
            return DONE;
        }
        List<String> options = Arrays.asList(args).subList(1, args.length);
        // "-h" only as the first option: later it may be an option's value
        if (COMMAND_USAGE.containsKey(args[0]) && (options.contains("--help")
                || !options.isEmpty() && options.get(0).equals("-h"))) {
            out.print("usage: mysql-lifecycle " + COMMAND_USAGE.get(args[0]).strip() + "\n\n" + EXIT_CODES + "\n");
            return DONE;
        }
        try {
            Map<String, Object> result = switch (args[0]) {
                case "start" -> start(options).toMap();
                case "dump" -> dump(options).toMap();
                case "restore" -> restore(options).toMap();
                case "stop" -> stop(options).toMap();
                case "report" -> report(options);
                case "demo" -> demo(options);
                default -> throw new InvalidSpecException("unknown command '" + args[0] + "'\n" + USAGE);
            };
            out.println(Json.write(result));
            return DONE;
        } catch (StopTimeoutException timedOut) {
            Map<String, Object> result = timedOut.result().toMap();
            result.put("timedOut", true);
            out.println(Json.write(result));
            err.println("ERROR: " + timedOut.getMessage());
            return TIMED_OUT;
        } catch (InvalidSpecException bad) {
            err.println("ERROR: " + bad.getMessage());
            return BAD_USAGE;
        } catch (OperationTimeoutException timedOut) {
            err.println("ERROR: " + timedOut.getMessage());
            return TIMED_OUT;
        } catch (EngineException failed) {
            err.println("ERROR: " + failed.getMessage());
            return FAILED;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            err.println("ERROR: interrupted; what the command had started was stopped and its files removed");
            return FAILED;
        } catch (java.nio.file.InvalidPathException unnameable) {
            // only without a UTF-8 locale, when even the relaunch in C.UTF-8 could not get one (see Utf8Locale)
            err.println("ERROR: the path " + unnameable.getInput() + " cannot be named in this JVM's file name"
                    + " encoding (" + System.getProperty("sun.jnu.encoding") + "): " + unnameable.getReason()
                    + ". Run the tool in a UTF-8 locale (LC_ALL=C.UTF-8), or give an ASCII path.");
            return BAD_USAGE;
        } catch (RuntimeException bug) {
            err.println("ERROR: unexpected failure, please report it: " + bug);
            bug.printStackTrace(err);
            return FAILED;
        }
    }

    private Map<String, Object> demo(List<String> options) throws EngineException, InterruptedException {
        try (Host host = new LocalHost()) {
            return new Demo(host, err).run(options);
        }
    }

    /**
     * {@code report DIR}: reads the manifests in DIR and writes the HTML page, or prints the data with --json. What
     * is not a dump is skipped with a warning, never an error: a report is for looking, and a damaged dump is one
     * of the things to see.
     */
    private Map<String, Object> report(List<String> options) throws EngineException, InterruptedException {
        if (options.isEmpty() || options.get(0).startsWith("--")) {
            throw new InvalidSpecException("report needs the directory of the dumps first: report DIR [--output"
                    + " FILE.html] [--json]");
        }
        Arguments args = Arguments.parse("report", options.subList(1, options.size()), Set.of("--output"),
                Set.of("--json"));
        java.nio.file.Path directory = java.nio.file.Path.of(options.get(0)).toAbsolutePath().normalize();
        if (!java.nio.file.Files.isDirectory(directory)) {
            throw new InvalidSpecException("report: " + directory + " is not a directory; give the directory the"
                    + " dumps are in (the directory of dump's --output)");
        }
        boolean json = args.flag("--json");
        java.nio.file.Path output = args.has("--output")
                ? java.nio.file.Path.of(args.required("--output")).toAbsolutePath().normalize()
                : json ? null : directory.resolve(REPORT_FILE);
        if (output != null && (output.getParent() == null || !java.nio.file.Files.isDirectory(output.getParent()))) {
            throw new InvalidSpecException("report: the directory of --output " + output + " does not exist");
        }
        if (output != null && java.nio.file.Files.isDirectory(output)) {
            throw new InvalidSpecException("report: --output " + output + " is a directory; give a file name such as"
                    + " " + output.resolve(REPORT_FILE));
        }
        Set<String> ignored = new java.util.HashSet<>(Set.of(REPORT_FILE));
        if (output != null && output.getParent().equals(directory)) {
            ignored.add(output.getFileName().toString());
        }
        DumpHistory history;
        try {
            history = DumpHistory.read(directory, ignored);
        } catch (java.io.IOException e) {
            throw new EngineException("report: cannot list " + directory + ": " + e.getMessage());
        }
        Log log = new Log(err).about("report " + directory);
        for (DumpHistory.Skipped skipped : history.skipped()) {
            log.warn("skipped " + skipped.file() + ": " + skipped.reason());
        }
        if (output != null) {
            try (Host host = new LocalHost()) {
                host.writeFile(output.toString(), HtmlReport.render(history, version()));
            } catch (java.io.IOException e) {
                throw new EngineException("report: cannot write " + output + ": " + e.getMessage()
                        + "; give another --output");
            }
            log.info("wrote " + output + ": " + history.dumps().size() + " dumps, " + history.skipped().size()
                    + " skipped");
        }
        if (json) {
            Map<String, Object> data = history.toMap();
            if (output != null) {
                data.put("report", output.toString());
            }
            return data;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("report", output.toString());
        summary.put("dumps", history.dumps().size());
        summary.put("skipped", history.skipped().size());
        return summary;
    }

    /** The options every command that touches a server takes to run it on another machine over SSH. */
    private static Set<String> withSsh(String... options) {
        Set<String> all = new java.util.HashSet<>(Set.of(options));
        all.addAll(Set.of("--ssh", "--identity", "--passphrase-env", "--known-hosts", "--host-key-check",
                "--ssh-password-env"));
        return all;
    }

    /** This machine, or the one --ssh names; the connection is checked before anything else happens. */
    private Host host(Arguments args) throws EngineException, InterruptedException {
        if (!args.has("--ssh")) {
            for (String option : List.of("--identity", "--passphrase-env", "--known-hosts", "--host-key-check",
                    "--ssh-password-env")) {
                if (args.has(option)) {
                    throw new InvalidSpecException(option + " only goes with --ssh");
                }
            }
            return new LocalHost();
        }
        SshTarget target = SshTarget.of(args.required("--ssh"), args.value("--identity"),
                secret("--passphrase-env", args.value("--passphrase-env")),
                secret("--ssh-password-env", args.value("--ssh-password-env")), args.value("--known-hosts"),
                args.has("--host-key-check") ? SshTarget.HostKeyCheck.fromId(args.value("--host-key-check"))
                        : SshTarget.HostKeyCheck.STRICT);
        return SshHost.connect(target, err);
    }

    private ServerHandle start(List<String> options) throws EngineException, InterruptedException {
        Arguments args = Arguments.parse("start", options,
                withSsh("--datadir", "--port", "--socket", "--pid-file", "--mysqld", "--defaults-file",
                        "--ready-timeout", "--os-user"),
                Set.of("--initialize"));
        ServerSpec spec = ServerSpec.builder(args.required("--datadir"))
                .port(port(args))
                .socket(args.value("--socket"))
                .pidFile(args.value("--pid-file"))
                .mysqld(args.value("--mysqld"))
                .initialize(args.flag("--initialize"))
                .defaultsFile(args.value("--defaults-file"))
                .readyTimeout(args.seconds("--ready-timeout", ServerSpec.DEFAULT_READY_TIMEOUT))
                .osUser(args.value("--os-user"))
                .build();
        try (Host host = host(args)) {
            return new ServerLauncher(host, err).start(spec);
        }
    }

    private DumpResult dump(List<String> options) throws EngineException, InterruptedException {
        Arguments args = Arguments.parse("dump", options,
                withSsh("--port", "--host", "--socket", "--user", "--password-env", "--defaults-file", "--databases",
                        "--output", "--compress", "--timeout", "--dump-tool", "--keep", "--method", "--threads",
                        "--set-gtid-purged", "--verify-mysqld", "--tls", "--tls-ca", "--lock-wait-timeout",
                        "--long-query-guard"),
                Set.of("--all-databases", "--verify", "--kill-long-queries"), Set.of("--database"));
        // --databases splits at commas and strips each name; --database takes one name as it is, any characters
        List<String> databases = new java.util.ArrayList<>(args.list("--databases"));
        databases.addAll(args.all("--database"));
        DumpSpec.Builder spec = DumpSpec.builder()
                .port(port(args))
                .socket(args.value("--socket"))
                .user(args.required("--user"))
                .password(secret("--password-env", args.value("--password-env")))
                .defaultsFile(args.value("--defaults-file"))
                .databases(databases)
                .allDatabases(args.flag("--all-databases"))
                .output(args.required("--output"))
                .compression(args.has("--compress") ? Compression.fromId(args.value("--compress")) : Compression.GZIP)
                .timeout(args.seconds("--timeout", DumpSpec.DEFAULT_TIMEOUT))
                .dumpTool(args.value("--dump-tool"))
                .method(args.has("--method") ? DumpMethod.fromId(args.value("--method")) : DumpMethod.MYSQLDUMP)
                .threads(threads(args))
                .verify(args.flag("--verify"))
                .verifyServer(args.value("--verify-mysqld"))
                .setGtidPurged(args.value("--set-gtid-purged"))
                .lockWaitTimeout(args.seconds("--lock-wait-timeout", DumpSpec.DEFAULT_LOCK_WAIT_TIMEOUT))
                .longQueryGuard(args.seconds("--long-query-guard", DumpSpec.DEFAULT_LONG_QUERY_GUARD))
                .killLongQueries(args.flag("--kill-long-queries"))
                .keep(keep(args))
                .tlsMode(tlsMode(args))
                .tlsCa(args.value("--tls-ca"));
        if (args.has("--host")) {
            spec.host(args.value("--host"));
        }
        DumpSpec built = spec.build();
        try (Host host = host(args)) {
            return new Dumper(host, err).dump(built);
        }
    }

    private RestoreResult restore(List<String> options) throws EngineException, InterruptedException {
        Arguments args = Arguments.parse("restore", options,
                withSsh("--port", "--host", "--socket", "--user", "--password-env", "--defaults-file", "--input",
                        "--threads", "--timeout", "--client-tool", "--tls", "--tls-ca"),
                Set.of("--allow-cross-flavor", "--skip-binary-log"));
        RestoreSpec.Builder spec = RestoreSpec.builder()
                .port(port(args))
                .socket(args.value("--socket"))
                .user(args.required("--user"))
                .password(secret("--password-env", args.value("--password-env")))
                .defaultsFile(args.value("--defaults-file"))
                .input(args.required("--input"))
                .threads(threads(args))
                .timeout(args.seconds("--timeout", RestoreSpec.DEFAULT_TIMEOUT))
                .clientTool(args.value("--client-tool"))
                .allowCrossFlavor(args.flag("--allow-cross-flavor"))
                .skipBinaryLog(args.flag("--skip-binary-log"))
                .tlsMode(tlsMode(args))
                .tlsCa(args.value("--tls-ca"));
        if (args.has("--host")) {
            spec.host(args.value("--host"));
        }
        RestoreSpec built = spec.build();
        try (Host host = host(args)) {
            return new Restorer(host, err).restore(built);
        }
    }

    private StopResult stop(List<String> options) throws EngineException, InterruptedException {
        Arguments args = Arguments.parse("stop", options,
                withSsh("--pid-file", "--pid", "--start-ticks", "--timeout"), Set.of("--kill-after-timeout"));
        boolean byFile = args.has("--pid-file");
        if (byFile == args.has("--pid")) {
            throw new InvalidSpecException("stop needs --pid-file or --pid, exactly one of them");
        }
        var timeout = args.seconds("--timeout", StopSpec.DEFAULT_TIMEOUT);
        boolean kill = args.flag("--kill-after-timeout");
        StopSpec spec = byFile ? StopSpec.ofPidFile(args.required("--pid-file"), timeout, kill)
                : StopSpec.ofPid(args.number("--pid", 0), args.number("--start-ticks", 0), timeout, kill);
        try (Host host = host(args)) {
            return new ServerStopper(host, err).stop(spec);
        }
    }

    private static int port(Arguments args) throws InvalidSpecException {
        long port = args.number("--port", 0);
        if (port < 0 || port > 65535) {
            throw new InvalidSpecException("--port must be between 0 and 65535, not " + port);
        }
        return (int) port;
    }

    /** {@code --tls MODE}, or null without it (chosen by the host). */
    private static Tls.Mode tlsMode(Arguments args) throws InvalidSpecException {
        return args.has("--tls") ? Tls.Mode.fromId(args.value("--tls")) : null;
    }

    /** {@code --keep N}, or null without it (no retention); its range is the spec's to check. */
    private static Integer keep(Arguments args) throws InvalidSpecException {
        if (!args.has("--keep")) {
            return null;
        }
        long keep = args.number("--keep", 0);
        if (keep < Integer.MIN_VALUE || keep > Integer.MAX_VALUE) {
            throw new InvalidSpecException("--keep must be a whole number from 1 to " + Integer.MAX_VALUE + ", not "
                    + keep);
        }
        return (int) keep;
    }

    /** Connections of a parallel dump or a directory restore; the engine checks the range, this the int. */
    private static int threads(Arguments args) throws InvalidSpecException {
        long threads = args.number("--threads", 0);
        if (threads < 0 || threads > 64) {
            throw new InvalidSpecException("--threads must be between 1 and 64 (or 0 for one per core), not "
                    + threads);
        }
        return (int) threads;
    }

    /** A secret read from the environment variable an option names: never from the command line itself. */
    private Password secret(String option, String variable) throws InvalidSpecException {
        if (variable == null) {
            return null;
        }
        String value = environment.get(variable);
        if (value == null) {
            throw new InvalidSpecException(option + " names " + variable + ", but no such environment variable"
                    + " is set");
        }
        return Password.of(value);
    }
}
