package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.Serializable;
import java.time.Duration;

/**
 * What to start: one server on one data directory. Null optional fields take the documented defaults when the
 * server starts; {@link Builder#build()} rejects values that can never work, naming the option.
 *
 * @param port         TCP port; 0 picks a free one
 * @param socket       Unix socket path; null puts {@code mysqld.sock} in the data directory
 * @param pidFile      null puts {@code mysqld.pid} in the data directory
 * @param mysqld       server binary; null finds mariadbd or mysqld
 * @param initialize   create the data directory with the flavor's own tool when it is missing or empty
 * @param defaultsFile option file for the server instead of {@code --no-defaults}
 * @param osUser       the account the server runs as when the engine runs as root; null means {@code mysql}
 */
public record ServerSpec(String datadir, int port, String socket, String pidFile, String mysqld, boolean initialize,
                         String defaultsFile, Duration readyTimeout, String osUser, String bindAddress)
        implements Serializable {

    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
    public static final String DEFAULT_OS_USER = "mysql";
    /** sun_path holds 108 bytes with the terminating NUL. */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    public static Builder builder(String datadir) {
        return new Builder(datadir);
    }

    public static final class Builder {
        private final String datadir;
        private int port;
        private String socket;
        private String pidFile;
        private String mysqld;
        private boolean initialize;
        private String defaultsFile;
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private String osUser;
        private String bindAddress = "127.0.0.1";

        private Builder(String datadir) {
            this.datadir = datadir;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder socket(String socket) {
            this.socket = socket;
            return this;
        }

        public Builder pidFile(String pidFile) {
            this.pidFile = pidFile;
            return this;
        }

        public Builder mysqld(String mysqld) {
            this.mysqld = mysqld;
            return this;
        }

        public Builder initialize(boolean initialize) {
            this.initialize = initialize;
            return this;
        }

        public Builder defaultsFile(String defaultsFile) {
            this.defaultsFile = defaultsFile;
            return this;
        }

        public Builder readyTimeout(Duration readyTimeout) {
            this.readyTimeout = readyTimeout;
            return this;
        }

        public Builder osUser(String osUser) {
            this.osUser = osUser;
            return this;
        }

        public Builder bindAddress(String bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        public ServerSpec build() throws InvalidSpecException {
            if (datadir == null || datadir.isBlank()) {
                throw new InvalidSpecException("datadir is required: the directory the server keeps its data in");
            }
            if (port < 0 || port > 65535) {
                throw new InvalidSpecException("port must be between 1 and 65535, or 0 to pick a free port; got "
                        + port);
            }
            if (readyTimeout == null || readyTimeout.isNegative() || readyTimeout.isZero()) {
                throw InvalidSpecException.notPositiveSeconds("readyTimeout", readyTimeout);
            }
            if (socket != null && socket.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    > MAX_SOCKET_PATH_BYTES) {
                throw new InvalidSpecException("socket path " + socket + " is longer than the "
                        + MAX_SOCKET_PATH_BYTES + " bytes a Unix socket path may have; choose a shorter one");
            }
            if (osUser != null && !osUser.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                throw new InvalidSpecException("osUser '" + osUser + "' is not a valid user name");
            }
            return new ServerSpec(datadir, port, blankToNull(socket), blankToNull(pidFile), blankToNull(mysqld),
                    initialize, blankToNull(defaultsFile), readyTimeout, blankToNull(osUser), bindAddress);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
