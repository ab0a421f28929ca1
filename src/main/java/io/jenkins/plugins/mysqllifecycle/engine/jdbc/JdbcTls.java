package io.jenkins.plugins.mysqllifecycle.engine.jdbc;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.Tls;
import io.jenkins.plugins.mysqllifecycle.engine.host.CommandResult;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLException;

/**
 * Connector/J's side of a {@link Tls} choice: its {@code sslMode}, whether it may fetch the server's RSA key, and, for
 * a verifying mode, a trust store holding only the CA file's certificates. Connector/J reads trust stores from a URL
 * in the formats of Java's KeyStore, which has none for PEM: so each connection gets a PKCS12 copy of the certificates
 * in a directory only this account can enter, removed as soon as the handshake is over.
 */
public final class JdbcTls {
    /** No TLS: the loopback address, or a port the SSH tunnel forwards. */
    public static final JdbcTls NONE = new JdbcTls(Tls.DISABLED, List.of());
    /** The MySQL client's error number for a failed TLS connection (CR_SSL_CONNECTION_ERROR), as the tools say it. */
    private static final int SSL_CONNECTION_ERROR = 2026;
    private static final String NOT_OFFERED = "SSL Connection required, but not provided by server";
    private static final String NAME_MISMATCH = "Server identity verification failed.";
    private static final String TRUST_STORE = "trust.p12";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Tls tls;
    private final List<Certificate> authorities;

    private JdbcTls(Tls tls, List<Certificate> authorities) {
        this.tls = tls;
        this.authorities = authorities;
    }

    /** The choice {@code tls}, with its CA file read on {@code host} (where the server's tools would read it). */
    public static JdbcTls of(Host host, Tls tls) throws EngineException {
        return new JdbcTls(tls, tls.mode().verifies() ? readAuthorities(host, tls.caFile()) : List.of());
    }

    /**
     * The certificates of a CA file, checked before anything connects: a file that is missing or holds no PEM
     * certificate is refused with the option's name. A link is followed, as the tools follow it: CA files are often
     * links (/etc/ssl/certs, certbot's live/), and the file is only parsed as certificates, never shown.
     */
    public static List<Certificate> readAuthorities(Host host, String caFile) throws EngineException {
        String pem;
        try {
            pem = host.readFile(linkTarget(host, caFile)).orElseThrow(() -> new InvalidSpecException("The CA file "
                    + caFile + " (tlsCa, --tls-ca) does not exist on " + host.describe() + "; give the PEM file of"
                    + " the CA that signed the server's certificate."));
        } catch (CharacterCodingException binary) {
            throw new InvalidSpecException("The CA file " + caFile + " (tlsCa, --tls-ca) is not text: give it in"
                    + " PEM (a DER certificate converts with openssl x509 -inform der -in FILE -out FILE.pem).");
        } catch (IOException e) {
            throw new InvalidSpecException("The CA file " + caFile + " (tlsCa, --tls-ca) cannot be read on "
                    + host.describe() + ": " + e.getMessage());
        }
        List<Certificate> certificates = new ArrayList<>();
        try {
            certificates.addAll(CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        } catch (CertificateException e) {
            throw new InvalidSpecException("The CA file " + caFile + " (tlsCa, --tls-ca) is not a PEM file of"
                    + " certificates (" + e.getMessage() + "); give the CA certificate, the text between"
                    + " -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- included.");
        }
        if (certificates.isEmpty()) {
            throw new InvalidSpecException("The CA file " + caFile + " (tlsCa, --tls-ca) holds no certificate;"
                    + " give the PEM file of the CA that signed the server's certificate.");
        }
        return List.copyOf(certificates);
    }

    /** The file a path names once every link is resolved; the path itself when that cannot be said. */
    private static String linkTarget(Host host, String path) throws EngineException {
        try {
            CommandResult resolved = host.run(List.of("readlink", "-f", "--", path), Duration.ofSeconds(30));
            String target = resolved.stdout().strip();
            return resolved.succeeded() && !target.isEmpty() ? target : path;
        } catch (IOException e) {
            return path;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("Interrupted while reading the CA file " + path, e);
        }
    }

    /**
     * Adds this choice to Connector/J's {@code properties}; for a verifying mode, with a trust store that lives until
     * the returned handle is closed, after the handshake.
     */
    TrustStore addTo(Properties properties) throws SQLException {
        properties.setProperty("sslMode", tls.mode().name());
        // an RSA key fetched without TLS is the key of whoever answers: only where the caller trusts the network
        properties.setProperty("allowPublicKeyRetrieval", Boolean.toString(tls.mode() == Tls.Mode.DISABLED));
        if (!tls.mode().verifies()) {
            return new TrustStore(null);
        }
        TrustStore store = null;
        try {
            store = new TrustStore(Files.createTempDirectory("mysql-lifecycle-tls-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
            // Connector/J reads a store saved without a password as empty, so the store gets a random one
            String password = new BigInteger(128, RANDOM).toString(36);
            properties.setProperty("trustCertificateKeyStoreUrl", writeTrustStore(store.directory, password)
                    .toUri().toString());
            properties.setProperty("trustCertificateKeyStoreType", "PKCS12");
            properties.setProperty("trustCertificateKeyStorePassword", password);
            properties.setProperty("fallbackToSystemTrustStore", "false");
            return store;
        } catch (IOException | GeneralSecurityException e) {
            if (store != null) {
                store.close();
            }
            throw new SQLNonTransientConnectionException("Could not write the trust store for the CA file "
                    + tls.caFile() + " into the temporary directory " + System.getProperty("java.io.tmpdir") + ": "
                    + e.getMessage(), "08001", SSL_CONNECTION_ERROR, e);
        }
    }

    /** The directory of a connection's trust store, removed on close. */
    static final class TrustStore implements AutoCloseable {
        private final Path directory;

        private TrustStore(Path directory) {
            this.directory = directory;
        }

        @Override
        public void close() {
            if (directory == null) {
                return;
            }
            try {
                Files.deleteIfExists(directory.resolve(TRUST_STORE));
                Files.deleteIfExists(directory);
            } catch (IOException ignored) {
                // public certificates only, in a directory nobody else can enter
            }
        }
    }

    /** A PKCS12 store of the certificates; they are public, and the 0700 directory keeps the store ours. */
    private Path writeTrustStore(Path directory, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < authorities.size(); i++) {
            store.setCertificateEntry("ca" + i, authorities.get(i));
        }
        Path file = directory.resolve(TRUST_STORE);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    /**
     * A TLS failure of Connector/J's as an exception that names the cause and the option to change, about
     * {@code server} (host:port as given); any other failure as it is.
     */
    SQLException explain(SQLException e, String server) {
        String explained = explanation(e, server);
        return explained == null ? e : new SQLNonTransientConnectionException(explained, "08001",
                SSL_CONNECTION_ERROR, e);
    }

    private String explanation(SQLException e, String server) {
        if (tls.mode() == Tls.Mode.DISABLED) {
            return null;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains(NOT_OFFERED)) {
                return tls.noTlsOffered(server);
            }
            if (cause instanceof CertificateException && message.contains(NAME_MISMATCH)) {
                return tls.nameMismatch(server, message.substring(message.indexOf(NAME_MISMATCH)
                        + NAME_MISMATCH.length()).strip());
            }
            if (cause instanceof CertPathValidatorException) {
                return tls.untrustedCertificate(server, message);
            }
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                return tls.handshakeFailed(server, cause.getMessage());
            }
        }
        return null;
    }
}
