package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.Serializable;
import java.util.Locale;

/**
 * How a TCP connection to a user's server is protected: the same choice for the engine's own Connector/J connections
 * and for the server's dump and client tools. Unless the caller chooses, a server on the loopback address (or a
 * socket) is reached without TLS, since its traffic never leaves the machine (or crosses the network inside the SSH
 * tunnel); any other host {@link Mode#REQUIRED requires} TLS, since a backup sends a password and a whole database; and
 * a CA file given without a mode means {@link Mode#VERIFY_IDENTITY}, since a CA is given to check the server.
 *
 * @param mode   what the connection demands of the server
 * @param caFile PEM file of the CA certificates that may sign the server's certificate, on the machine the server's
 *               tools run on (the SSH host with ssh, else the engine's); only with a verifying mode, never null then
 */
public record Tls(Mode mode, String caFile) implements Serializable {

    /** The modes, by MySQL's names for them ({@code --ssl-mode}). */
    public enum Mode {
        /** No TLS. */
        DISABLED,
        /** TLS when the server offers it, else none: no protection against anyone who can alter the traffic. */
        PREFERRED,
        /** TLS or no connection; the server's certificate is not checked: protects against eavesdroppers only. */
        REQUIRED,
        /** TLS with a certificate signed by the CA file's certificates, whatever name it holds. */
        VERIFY_CA,
        /** As {@link #VERIFY_CA}, and the certificate must name the host connected to: the full protection. */
        VERIFY_IDENTITY;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** A mode by its id; MySQL's spelling (VERIFY_IDENTITY) is taken too. */
        public static Mode fromId(String id) throws InvalidSpecException {
            String normalized = id == null ? "" : id.strip().toLowerCase(Locale.ROOT).replace('_', '-');
            for (Mode mode : values()) {
                if (mode.id().equals(normalized)) {
                    return mode;
                }
            }
            throw new InvalidSpecException("tls (--tls) must be one of " + ids() + ", not '" + id + "'");
        }

        public static String ids() {
            return "disabled, preferred, required, verify-ca or verify-identity";
        }

        /** Whether a server without TLS is refused. */
        public boolean requiresTls() {
            return this != DISABLED && this != PREFERRED;
        }

        public boolean verifies() {
            return this == VERIFY_CA || this == VERIFY_IDENTITY;
        }
    }

    /** No TLS, for servers the engine starts itself on the loopback address (verify's scratch server). */
    public static final Tls DISABLED = new Tls(Mode.DISABLED, null);

    public Tls {
        if (mode == null || mode.verifies() != (caFile != null)) {
            throw new IllegalArgumentException("a CA file goes with a verifying mode, and only with one: " + mode
                    + ", " + caFile);
        }
    }

    /**
     * The choice for a server at {@code host} (or on a socket): {@code mode} and {@code caFile} as the caller gave
     * them (null for not given), the defaults described above for what is not given.
     */
    public static Tls choose(Mode mode, String caFile, String host, boolean socket) throws InvalidSpecException {
        String ca = caFile == null || caFile.isBlank() ? null : caFile.strip();
        if (socket) {
            if ((mode != null && mode != Mode.DISABLED) || ca != null) {
                throw new InvalidSpecException("tls and tlsCa (--tls, --tls-ca) apply to TCP connections; a socket"
                        + " is local and carries no TLS. Leave them out, or give the server's port and host.");
            }
            return DISABLED;
        }
        Mode chosen = mode != null ? mode : ca != null ? Mode.VERIFY_IDENTITY
                : isLoopback(host) ? Mode.DISABLED : Mode.REQUIRED;
        if (chosen.verifies() && ca == null) {
            throw new InvalidSpecException("tls " + chosen.id() + " checks the server's certificate against the CA"
                    + " that signed it: give that CA as a PEM file with tlsCa (--tls-ca). For a certificate from a"
                    + " public CA, give the system's bundle, such as /etc/ssl/certs/ca-certificates.crt.");
        }
        if (!chosen.verifies() && ca != null) {
            throw new InvalidSpecException("tlsCa (--tls-ca) is for checking the server's certificate, which tls "
                    + chosen.id() + " does not do; give tls verify-identity (or verify-ca) with it, or leave tlsCa"
                    + " out.");
        }
        return new Tls(chosen, ca);
    }

    /**
     * Whether {@code host} is this machine's loopback address as written: {@code localhost}, 127.x.x.x or ::1. Names
     * are not resolved: any other name counts as another machine, even one that resolves to this one, so that the
     * default never depends on what a resolver answers.
     */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.equals("localhost") || name.equals("::1") || name.equals("0:0:0:0:0:0:0:1")
                || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    public String describe() {
        return mode.id() + (caFile != null ? " with the CA in " + caFile : "");
    }

    /** The server greeted without offering TLS, and {@link #mode} requires it. */
    public String noTlsOffered(String server) {
        return "The server at " + server + " offers no TLS, and tls is " + mode.id() + ": the password and the data"
                + " would cross the network in clear. Give tls disabled (--tls disabled) if the network to it is"
                + " trusted, or configure TLS on the server (ssl_cert and ssl_key in its options). A host that is"
                + " not loopback needs TLS unless tls says otherwise.";
    }

    /** The server's certificate does not chain to the CA file's certificates. */
    public String untrustedCertificate(String server, String detail) {
        return "The server at " + server + " presented a certificate that no CA in " + caFile + " (tlsCa, --tls-ca)"
                + " signed (" + detail + "), so it may not be the server meant; no password was sent. Give the CA"
                + " that signed the server's certificate with tlsCa (--tls-ca), or tls required (--tls required) to"
                + " encrypt without checking the certificate.";
    }

    /** The server's certificate is signed by the CA but does not name the host connected to. */
    public String nameMismatch(String server, String detail) {
        return "The certificate of the server at " + server + " is signed by the CA in " + caFile + " but does not"
                + " name " + hostOf(server) + " (" + detail + "); tls verify-identity needs the name connected to in"
                + " the certificate's subjectAltName. No password was sent. Connect with a name the certificate"
                + " holds (host, --host), or give tls verify-ca (--tls verify-ca) to check only the CA.";
    }

    /** Any other failure of the TLS handshake. */
    public String handshakeFailed(String server, String detail) {
        return "TLS with the server at " + server + " failed (tls " + describe() + "): " + detail + ". Check the"
                + " server's TLS settings (ssl_cert, ssl_key, tls_version), or choose another tls (--tls).";
    }

    private static String hostOf(String server) {
        int colon = server.lastIndexOf(':');
        return colon > 0 ? server.substring(0, colon) : server;
    }
}
