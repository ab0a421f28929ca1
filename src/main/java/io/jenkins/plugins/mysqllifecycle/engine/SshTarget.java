package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A remote machine reached over SSH, and how to trust and log in to it. Secrets are {@link Password}s: they print as
 * {@code ****} and reach nothing but JSch.
 *
 * @param identityFile private key file (OpenSSH formats, ed25519 included); a key file, a key given as text or a
 *                     password is required
 * @param identityKeys private keys given as their text (from a credentials store), tried in order after the file;
 *                     never null, often empty
 * @param passphrase   the key's passphrase, or null
 * @param password     password login, only when asked for explicitly; null otherwise
 * @param knownHosts   known_hosts file; null means {@code ~/.ssh/known_hosts} of the user running the engine
 */
public record SshTarget(String user, String host, int port, String identityFile, List<SshKey> identityKeys,
                        Password passphrase, Password password, String knownHosts, HostKeyCheck hostKeyCheck,
                        Duration connectTimeout) implements Serializable {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);

    /** An immutable copy of the keys: the record is shared with whoever built it. */
    public SshTarget {
        identityKeys = identityKeys == null ? List.of() : List.copyOf(identityKeys);
    }

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
        return target(user, host, port, identityFile, List.of(), passphrase, password, knownHosts, hostKeyCheck);
    }

    /**
     * A target logging in with private keys given as text (a credentials store's SSH key), never written to a file.
     *
     * @param keys       at least one key; the passphrase applies to each
     */
    public static SshTarget withKeys(String user, String host, int port, List<SshKey> keys, Password passphrase,
                                     String knownHosts, HostKeyCheck hostKeyCheck) throws InvalidSpecException {
        if (keys == null || keys.isEmpty() || keys.stream().anyMatch(java.util.Objects::isNull)) {
            throw new InvalidSpecException("ssh needs at least one private key; the credential holds none");
        }
        return target(user, host, port, null, keys, passphrase, null, knownHosts, hostKeyCheck);
    }

    private static SshTarget target(String user, String host, int port, String identityFile, List<SshKey> keys,
                                Password passphrase, Password password, String knownHosts, HostKeyCheck hostKeyCheck)
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
        if ((identityFile == null || identityFile.isBlank()) && keys.isEmpty() && password == null) {
            throw new InvalidSpecException("ssh needs a private key file (--identity); password login only when a"
                    + " password is given explicitly");
        }
        return new SshTarget(user, host.toLowerCase(Locale.ROOT), port, blankToNull(identityFile), keys, passphrase,
                password, blankToNull(knownHosts), hostKeyCheck == null ? HostKeyCheck.STRICT : hostKeyCheck,
                DEFAULT_CONNECT_TIMEOUT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The key as messages name it: its file, or where the keys given as text came from (never their text). */
    public String describeKey() {
        if (identityFile != null) {
            return identityFile;
        }
        return identityKeys.size() == 1 ? "given as text" : identityKeys.size() + " keys given as text";
    }

    public String describe() {
        return user + "@" + host + (port == 22 ? "" : ":" + port);
    }
}
