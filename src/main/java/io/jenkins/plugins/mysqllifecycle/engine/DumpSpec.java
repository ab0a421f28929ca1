package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * What to dump and where to. The server is reached over TCP ({@code host}, {@code port}) or through its Unix
 * {@code socket}; the dump lands in {@code output} on the machine the engine runs on.
 *
 * @param databases    the databases to dump; empty when {@code allDatabases}
 * @param password     null for none; it reaches the dump tool only through a 0600 option file
 * @param defaultsFile option file for the dump tool instead of {@code --no-defaults}
 * @param dumpTool     mariadb-dump or mysqldump binary; null finds one
 * @param method       the server's dump tool into one file, or parallel connections into a directory
 * @param threads      connections of a parallel dump; 0 for one per core of the engine's machine
 * @param verify       restore the dump into a scratch server and compare every table with the source's snapshot
 * @param keep         after the dump, keep the newest {@code keep} dumps of the same databases in the output's
 *                     directory (this one included) and remove older ones (see {@link Retention});
 *                     {@link #KEEP_ALL} (0) removes nothing
 * @param tls          how the engine's connections and the dump tool protect the connection to the server
 * @param lockWaitTimeout the bound of each request for the lock under which the dump's snapshot starts (the
 *                     session's lock_wait_timeout): no writer queues behind the dump for longer
 * @param longQueryGuard how long the dump tries in all to get that lock: it waits for statements that would hold
 *                     the lock up to end, and asks again after a request ran out; then it fails, naming them
 * @param killLongQueries past the guard, stop the statements that hold the lock up (KILL QUERY) instead of failing
 */
public record DumpSpec(String host, int port, String socket, String user, Password password, String defaultsFile,
                       List<String> databases, boolean allDatabases, String output, Compression compression,
                       Duration timeout, String dumpTool, DumpMethod method, int threads, boolean verify, int keep,
                       String setGtidPurged, String verifyServer, Tls tls, Duration lockWaitTimeout,
                       Duration longQueryGuard, boolean killLongQueries)
        implements Serializable {

    /**
     * MySQL mysqldump's {@code --set-gtid-purged}: OFF by default, since a dump that sets GTID_PURGED cannot be loaded
     * into its source, nor twice into any server (error 3546), and needs the RELOAD privilege to be made; the
     * manifest records the GTID set instead. MariaDB's tool has no such option.
     */
    public static final List<String> SET_GTID_PURGED_VALUES = List.of("OFF", "ON", "AUTO", "COMMENTED");
    public static final String DEFAULT_SET_GTID_PURGED = "OFF";

    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(6);
    /**
     * Writers wait at most this long behind one lock request. The long-query guard has already waited for the
     * statements that would hold a request up for long, so what is left ends within it or was not going to end.
     */
    public static final Duration DEFAULT_LOCK_WAIT_TIMEOUT = Duration.ofSeconds(2);
    /** As mydumper's --long-query-guard: a minute for a long statement to end before the dump gives up. */
    public static final Duration DEFAULT_LONG_QUERY_GUARD = Duration.ofSeconds(60);
    /** No retention: every older dump stays. Only the absence of {@code keep} means this; 0 given is an error. */
    public static final int KEEP_ALL = 0;

    public String describeSource() {
        return (socket != null ? socket : host + ":" + port) + " " + (allDatabases ? "all databases"
                : String.join(",", databases));
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String socket;
        private String user;
        private Password password;
        private String defaultsFile;
        private List<String> databases = List.of();
        private boolean allDatabases;
        private String output;
        private Compression compression = Compression.GZIP;
        private Duration timeout = DEFAULT_TIMEOUT;
        private String dumpTool;
        private DumpMethod method = DumpMethod.MYSQLDUMP;
        private int threads;
        private boolean verify;
        private Integer keep;
        private String setGtidPurged;
        private String verifyServer;
        private Tls.Mode tlsMode;
        private String tlsCa;
        private Duration lockWaitTimeout = DEFAULT_LOCK_WAIT_TIMEOUT;
        private Duration longQueryGuard = DEFAULT_LONG_QUERY_GUARD;
        private boolean killLongQueries;

        public Builder method(DumpMethod method) {
            this.method = method;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder verify(boolean verify) {
            this.verify = verify;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder socket(String socket) {
            this.socket = socket;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(Password password) {
            this.password = password;
            return this;
        }

        public Builder defaultsFile(String defaultsFile) {
            this.defaultsFile = defaultsFile;
            return this;
        }

        public Builder databases(List<String> databases) {
            this.databases = databases == null ? List.of() : List.copyOf(databases);
            return this;
        }

        public Builder allDatabases(boolean allDatabases) {
            this.allDatabases = allDatabases;
            return this;
        }

        public Builder output(String output) {
            this.output = output;
            return this;
        }

        public Builder compression(Compression compression) {
            this.compression = compression;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder dumpTool(String dumpTool) {
            this.dumpTool = dumpTool;
            return this;
        }

        /** The number of newest dumps of these databases to keep, this one included; null keeps every dump. */
        public Builder keep(Integer keep) {
            this.keep = keep;
            return this;
        }

        /** MySQL mysqldump's --set-gtid-purged (OFF, ON, AUTO or COMMENTED); null for OFF. */
        public Builder setGtidPurged(String setGtidPurged) {
            this.setGtidPurged = setGtidPurged;
            return this;
        }

        /**
         * The server binary verify starts its scratch server with; null finds one of the source's flavor and major
         * version beside the dump tool, on PATH or in the usual directories.
         */
        public Builder verifyServer(String verifyServer) {
            this.verifyServer = verifyServer;
            return this;
        }

        /** The TLS mode; null chooses by the host (see {@link Tls}). */
        public Builder tlsMode(Tls.Mode tlsMode) {
            this.tlsMode = tlsMode;
            return this;
        }

        /** The CA file (PEM) that checks the server's certificate; null for none. */
        public Builder tlsCa(String tlsCa) {
            this.tlsCa = tlsCa;
            return this;
        }

        /** The bound of each lock request; null for {@link #DEFAULT_LOCK_WAIT_TIMEOUT}. */
        public Builder lockWaitTimeout(Duration lockWaitTimeout) {
            this.lockWaitTimeout = lockWaitTimeout == null ? DEFAULT_LOCK_WAIT_TIMEOUT : lockWaitTimeout;
            return this;
        }

        /** How long the dump tries in all to get its lock; null for {@link #DEFAULT_LONG_QUERY_GUARD}. */
        public Builder longQueryGuard(Duration longQueryGuard) {
            this.longQueryGuard = longQueryGuard == null ? DEFAULT_LONG_QUERY_GUARD : longQueryGuard;
            return this;
        }

        public Builder killLongQueries(boolean killLongQueries) {
            this.killLongQueries = killLongQueries;
            return this;
        }

        public DumpSpec build() throws InvalidSpecException {
            boolean hasSocket = socket != null && !socket.isBlank();
            if (hasSocket == (port != 0)) {
                throw new InvalidSpecException("give the server's port (with an optional host) or its socket,"
                        + " exactly one of them");
            }
            if (port < 0 || port > 65535) {
                throw new InvalidSpecException("port must be between 1 and 65535; got " + port);
            }
            if (!hasSocket && (host == null || host.isBlank())) {
                throw new InvalidSpecException("host must not be empty");
            }
            if (user == null || user.isBlank()) {
                throw new InvalidSpecException("user is required: the account the dump logs in with");
            }
            if (allDatabases == !databases.isEmpty()) {
                throw new InvalidSpecException("give the databases to dump or ask for all databases, exactly one"
                        + " of them");
            }
            java.util.Set<String> named = new java.util.HashSet<>();
            for (String database : databases) {
                // any other name is one a server may have: '-x' too, since the dump tool gets the names after '--'
                if (database.isBlank() || database.contains("\0")) {
                    throw new InvalidSpecException("'" + database + "' is not a database name");
                }
                // once is enough: a dump holds each database once, and a parallel dump writes each one's files once
                if (!named.add(database)) {
                    throw new InvalidSpecException("the databases name '" + database + "' twice; give each"
                            + " database once");
                }
            }
            if (output == null || output.isBlank()) {
                throw new InvalidSpecException("output is required: the file the dump is written to");
            }
            if (output.endsWith("/") || output.endsWith(".partial") || output.endsWith(".json")) {
                throw new InvalidSpecException("output " + output + " must name a file not ending in /, .partial"
                        + " or .json (those names are the dump's own working and manifest files)");
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw InvalidSpecException.notPositiveSeconds("timeout", timeout);
            }
            // MySQL takes lock_wait_timeout up to a year in whole seconds, MariaDB likewise
            if (lockWaitTimeout.isNegative() || lockWaitTimeout.compareTo(Duration.ofSeconds(1)) < 0
                    || lockWaitTimeout.toSeconds() > 31_536_000) {
                throw new InvalidSpecException("lock-wait-timeout must be a whole number of seconds from 1 to 31536000"
                        + " (a year), not " + lockWaitTimeout.toSeconds());
            }
            if (longQueryGuard.isNegative() || longQueryGuard.isZero()) {
                throw InvalidSpecException.notPositiveSeconds("long-query-guard", longQueryGuard);
            }
            if (compression == null) {
                throw new InvalidSpecException("compress must be gzip, zstd or none");
            }
            if (method == null) {
                throw new InvalidSpecException("method must be mysqldump or parallel");
            }
            if (threads < 0 || threads > 64) {
                throw new InvalidSpecException("threads must be between 1 and 64 (or 0 for one per core); got "
                        + threads);
            }
            if (threads != 0 && method != DumpMethod.PARALLEL) {
                throw new InvalidSpecException("threads applies to method parallel only");
            }
            if (keep != null && keep < 1) {
                throw new InvalidSpecException("keep must be at least 1 (the number of newest dumps of these"
                        + " databases to keep, this one included); got " + keep + ". Leave keep out to remove no"
                        + " dump.");
            }
            String gtidPurged = setGtidPurged == null || setGtidPurged.isBlank() ? DEFAULT_SET_GTID_PURGED
                    : setGtidPurged.strip().toUpperCase(java.util.Locale.ROOT);
            if (!SET_GTID_PURGED_VALUES.contains(gtidPurged)) {
                throw new InvalidSpecException("set-gtid-purged must be one of " + String.join(", ",
                        SET_GTID_PURGED_VALUES) + "; got " + setGtidPurged);
            }
            if (!gtidPurged.equals(DEFAULT_SET_GTID_PURGED) && method != DumpMethod.MYSQLDUMP) {
                throw new InvalidSpecException("set-gtid-purged applies to method mysqldump only (the parallel"
                        + " method records the GTID set in its metadata and never sets it)");
            }
            if (blankToNull(verifyServer) != null && !verify) {
                throw new InvalidSpecException("verify-mysqld applies only with verify");
            }
            Tls tls = Tls.choose(tlsMode, tlsCa, host, hasSocket);
            return new DumpSpec(hasSocket ? null : host, port, hasSocket ? socket : null, user, password,
                    blankToNull(defaultsFile), databases, allDatabases, output, compression, timeout,
                    blankToNull(dumpTool), method, threads, verify, keep == null ? KEEP_ALL : keep, gtidPurged,
                    blankToNull(verifyServer), tls, lockWaitTimeout, longQueryGuard, killLongQueries);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
