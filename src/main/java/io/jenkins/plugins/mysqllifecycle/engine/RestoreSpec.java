package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.Serializable;
import java.time.Duration;

/**
 * Which dump to load into which server. {@code input} is a dump file (loaded by the server's client tool, like
 * {@code mariadb < file}) or a directory dump (loaded by {@code threads} connections at once), on the machine the
 * engine runs on.
 *
 * @param threads    connections loading a directory dump; 0 for one per core of the engine's machine
 * @param clientTool mariadb or mysql binary for a file dump; null finds one
 * @param allowCrossFlavor load a MySQL dump into MariaDB or the reverse, which is refused by default: each flavor's
 *                   dumps name what the other lacks (MySQL's utf8mb4_0900_ai_ci, MariaDB's sql_mode values), and such
 *                   a load fails partway
 * @param skipBinaryLog load with {@code SET SESSION sql_log_bin = 0}: the server does not write the restore to
 *                   its binary log, so replicas and point-in-time recovery do not get the restored rows. It needs
 *                   SUPER (or MySQL's SESSION_VARIABLES_ADMIN, MariaDB's BINLOG ADMIN), and spares a server that logs
 *                   about a fifth of a restore's time (myloader's default; docs/benchmarks.md). Off by default: the
 *                   server logs a restore as it logs any session's statements
 * @param tls        how the engine's connections and the client tool protect the connection to the server
 */
public record RestoreSpec(String host, int port, String socket, String user, Password password,
                          String defaultsFile, String input, int threads, Duration timeout, String clientTool,
                          boolean allowCrossFlavor, boolean skipBinaryLog, Tls tls)
        implements Serializable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(6);

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
        private String input;
        private int threads;
        private Duration timeout = DEFAULT_TIMEOUT;
        private String clientTool;
        private boolean allowCrossFlavor;
        private Tls.Mode tlsMode;
        private String tlsCa;
        private boolean skipBinaryLog;

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

        public Builder input(String input) {
            this.input = input;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder clientTool(String clientTool) {
            this.clientTool = clientTool;
            return this;
        }

        public Builder allowCrossFlavor(boolean allowCrossFlavor) {
            this.allowCrossFlavor = allowCrossFlavor;
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

        public Builder skipBinaryLog(boolean skipBinaryLog) {
            this.skipBinaryLog = skipBinaryLog;
            return this;
        }

        public RestoreSpec build() throws InvalidSpecException {
            boolean hasSocket = socket != null && !socket.isBlank();
            if (hasSocket == (port != 0)) {
                throw new InvalidSpecException("give the server's port (with an optional host) or its socket,"
                        + " exactly one of them");
            }
            if (port < 0 || port > 65535) {
                throw new InvalidSpecException("port must be between 1 and 65535; got " + port);
            }
            if (user == null || user.isBlank()) {
                throw new InvalidSpecException("user is required: the account the restore logs in with");
            }
            if (input == null || input.isBlank()) {
                throw new InvalidSpecException("input is required: the dump file or directory to load");
            }
            if (threads < 0 || threads > 64) {
                throw new InvalidSpecException("threads must be between 1 and 64 (or 0 for one per core); got "
                        + threads);
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw InvalidSpecException.notPositiveSeconds("timeout", timeout);
            }
            Tls tls = Tls.choose(tlsMode, tlsCa, host, hasSocket);
            return new RestoreSpec(hasSocket ? null : host, port, hasSocket ? socket : null, user, password,
                    blankToNull(defaultsFile), input, threads, timeout, blankToNull(clientTool), allowCrossFlavor,
                    skipBinaryLog, tls);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
