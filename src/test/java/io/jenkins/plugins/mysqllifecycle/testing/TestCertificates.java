package io.jenkins.plugins.mysqllifecycle.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates a test gives its own servers, made with openssl: a CA, a server certificate that CA signs for the names
 * {@link #SERVER_NAMES}, and a second CA that has nothing to do with either. The files are readable by the server's
 * account (the key too: it is a test's throwaway key in the test's own directory).
 *
 * @param ca         the CA that signed the server's certificate (PEM)
 * @param otherCa    an unrelated CA (PEM)
 * @param serverCert the server's certificate
 * @param serverKey  the server's private key
 */
public record TestCertificates(Path ca, Path otherCa, Path serverCert, Path serverKey) {
    /** The names in the server certificate's subjectAltName; 127.0.0.2, say, is not among them. */
    public static final String SERVER_NAMES = "DNS:localhost,IP:127.0.0.1";

    public static TestCertificates make(Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        TestServers.traversable(directory);
        Path ca = directory.resolve("ca.pem");
        Path otherCa = directory.resolve("other-ca.pem");
        Path cert = directory.resolve("server-cert.pem");
        Path key = directory.resolve("server-key.pem");
        selfSignedCa(directory, "ca", "mysql-lifecycle test CA");
        selfSignedCa(directory, "other-ca", "mysql-lifecycle unrelated CA");
        openssl(directory, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                directory.resolve("server.csr").toString(), "-subj", "/CN=mysql-lifecycle test server");
        Path extensions = directory.resolve("server.ext");
        Files.writeString(extensions, "subjectAltName=" + SERVER_NAMES + "\n", StandardCharsets.US_ASCII);
        openssl(directory, "x509", "-req", "-in", directory.resolve("server.csr").toString(), "-CA", ca.toString(),
                "-CAkey", directory.resolve("ca-key.pem").toString(), "-CAcreateserial", "-days", "2", "-out",
                cert.toString(), "-extfile", extensions.toString());
        for (Path file : List.of(ca, otherCa, cert, key)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return new TestCertificates(ca, otherCa, cert, key);
    }

    /** A server option file (both flavors read [mysqld]) that makes the server offer TLS with this certificate. */
    public Path serverOptions(Path file) throws IOException {
        Files.writeString(file, "[mysqld]\nssl_ca=" + ca + "\nssl_cert=" + serverCert + "\nssl_key=" + serverKey
                + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    private static void selfSignedCa(Path directory, String name, String commonName)
            throws IOException, InterruptedException {
        openssl(directory, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout",
                directory.resolve(name + "-key.pem").toString(), "-out", directory.resolve(name + ".pem").toString(),
                "-subj", "/CN=" + commonName);
    }

    private static void openssl(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Path output = directory.resolve("openssl.out");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl did not finish within 60 s: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("openssl failed (" + process.exitValue() + "): " + command + "\n"
                    + Files.readString(output));
        }
    }
}
