package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;

/**
 * A remote machine reached over SSH, and how to trust and log in to it. Secrets are {@link Password}s: they print as
 * {@code ****} and reach nothing but JSch.
 *
 * @param identityFile private key (OpenSSH formats, ed25519 included); required unless a password is given
 * @param passphrase   the key's passphrase, or null
 * @param password     password login, only when asked for explicitly; null otherwise
 * @param knownHosts   known_hosts file; null means {@code ~/.ssh/known_hosts} of the user running the engine
 */
public record SshTarget(String user, String host, int port, String identityFile, Password passphrase,
                        Password password, String knownHosts, HostKeyCheck hostKeyCheck, Duration connectTimeout)
        implements Serializable {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);

    /** How the remote host's key is checked against the known_hosts file. */
    public enum HostKeyCheck {
        /** Unknown or changed key: refuse. */
        STRICT("strict"),
        /** Unknown key: add it to known_hosts; changed key: refuse. */
        ACCEPT_NEW("acceptNew"),
        /** Any key is accepted, with a loud warning: a man in the middle would not be noticed. */
        OFF("off");

        private final String id;

        HostKeyCheck(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static HostKeyCheck fromId(String id) throws InvalidSpecException {
            for (HostKeyCheck check : values()) {
                if (check.id.equals(id)) {
                    return check;
                }
            }
            throw new InvalidSpecException("host key check must be strict, acceptNew or off, not '" + id + "'");
        }
    }

    /** Parses {@code user@host[:port]} and checks the rest. */
    public static SshTarget of(String destination, String identityFile, Password passphrase, Password password,
                               String knownHosts, HostKeyCheck hostKeyCheck) throws InvalidSpecException {
        if (destination == null || !destination.matches("[^@\\s]+@[^@:\\s]+(:\\d+)?")) {
            throw new InvalidSpecException("--ssh must be user@host or user@host:port, not '" + destination + "'");
        }
        String user = destination.substring(0, destination.indexOf('@'));
        String rest = destination.substring(destination.indexOf('@') + 1);
        int port = 22;
        if (rest.contains(":")) {
            port = Integer.parseInt(rest.substring(rest.indexOf(':') + 1));
            rest = rest.substring(0, rest.indexOf(':'));
        }
        return of(user, rest, port, identityFile, passphrase, password, knownHosts, hostKeyCheck);
    }

    public static SshTarget of(String user, String host, int port, String identityFile, Password passphrase,
                               Password password, String knownHosts, HostKeyCheck hostKeyCheck)
            throws InvalidSpecException {
        if (user == null || user.isBlank()) {
            throw new InvalidSpecException("ssh user is required");
        }
        if (host == null || host.isBlank()) {
            throw new InvalidSpecException("ssh host is required");
        }
        if (port < 1 || port > 65535) {
            throw new InvalidSpecException("ssh port must be between 1 and 65535; got " + port);
        }
        if ((identityFile == null || identityFile.isBlank()) && password == null) {
            throw new InvalidSpecException("ssh needs a private key file (--identity); password login only when a"
                    + " password is given explicitly");
        }
        return new SshTarget(user, host.toLowerCase(Locale.ROOT), port, blankToNull(identityFile), passphrase,
                password, blankToNull(knownHosts), hostKeyCheck == null ? HostKeyCheck.STRICT : hostKeyCheck,
                DEFAULT_CONNECT_TIMEOUT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    public String describe() {
        return user + "@" + host + (port == 22 ? "" : ":" + port);
    }
}
