package io.jenkins.plugins.mysqllifecycle.engine.tools;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import io.jenkins.plugins.mysqllifecycle.engine.Tls;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.JdbcTls;
import io.jenkins.plugins.mysqllifecycle.engine.jdbc.ServerGreeting;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server tools' side of a {@link Tls} choice: the option-file lines that say it in the tool's own words, and what
 * the tool's TLS errors mean. The two families' tools say it differently (measured with mariadb-dump 10.11 of Debian 12
 * and MySQL 9.7's mysqldump):
 * <ul>
 *   <li>MySQL's take {@code ssl-mode} with MySQL's five modes and {@code ssl-ca}; without TLS they fetch the server's
 *     RSA key for caching_sha2_password only when asked ({@code get-server-public-key}).</li>
 *   <li>MariaDB's have {@code ssl} (on by default in 10.11.19, and then used only when the server offers it),
 *     {@code skip-ssl}, {@code ssl-ca} and {@code ssl-verify-server-cert}. Only the last makes them refuse a server
 *     without TLS, and it checks the CA and the host name together: so {@code required} rests on the engine's look at
 *     the server's greeting (see {@link #refuseWhatTheToolCannotDo}), and {@code verify-ca} is checked as
 *     {@code verify-identity}. {@code ssl-ca} alone would check the CA yet fall back to no TLS when someone between
 *     hides the server's offer of it.</li>
 * </ul>
 */
public final class ToolTls {
    private ToolTls() {
    }

    /**
     * Refuses, before anything runs, a CA file that is missing on {@code host} or holds no certificate: a tool would
     * say only "No such file or directory" once it had connected.
     */
    public static void checkCaFile(Host host, Tls tls) throws EngineException {
        if (tls.mode().verifies()) {
            JdbcTls.readAuthorities(host, tls.caFile());
        }
    }

    private static final Pattern TLS_OPTION = Pattern.compile(
            "^\\s*(?:loose[-_])?((?:skip[-_]|disable[-_]|enable[-_])?(?:ssl|tls)[-_a-z]*)\\s*(?:=.*)?$",
            Pattern.MULTILINE);

    /**
     * A defaults file may say how its owner's tools use TLS; the options this class writes come after it and win, so
     * a defaults file that speaks of TLS gets a warning that says what holds instead. Only the file itself is read,
     * not the files it includes.
     */
    public static void warnIfDefaultsFileSetsTls(Host host, String defaultsFile, Tls tls, Log log) {
        if (defaultsFile == null) {
            return;
        }
        java.util.Set<String> named = new java.util.TreeSet<>();
        try {
            Matcher option = TLS_OPTION.matcher(host.readFile(defaultsFile).orElse(""));
            while (option.find()) {
                named.add(option.group(1).toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        } catch (IOException unreadable) {
            return; // the defaults file was checked before; the tool says what is wrong with it
        }
        if (!named.isEmpty()) {
            log.warn("the defaults file " + defaultsFile + " sets " + String.join(", ", named) + "; TLS is chosen"
                    + " with tls and tlsCa (--tls, --tls-ca), which the tools are given after it: tls "
                    + tls.describe() + " holds");
        }
    }

    /** The {@code [client]} lines for {@code tls} in the words of a tool of {@code toolFlavor}. */
    public static List<String> options(Tls tls, Flavor toolFlavor) {
        String ca = tls.caFile() == null ? null : "ssl-ca=\"" + OptionFile.escapeValue(tls.caFile()) + "\"";
        if (toolFlavor == Flavor.MYSQL) {
            return switch (tls.mode()) {
                // the RSA key is fetched without TLS, as Connector/J does where the caller trusts the network
                case DISABLED -> List.of("ssl-mode=DISABLED", "get-server-public-key");
                case PREFERRED -> List.of("ssl-mode=PREFERRED");
                case REQUIRED -> List.of("ssl-mode=REQUIRED");
                case VERIFY_CA -> List.of("ssl-mode=VERIFY_CA", ca);
                case VERIFY_IDENTITY -> List.of("ssl-mode=VERIFY_IDENTITY", ca);
            };
        }
        return switch (tls.mode()) {
            case DISABLED -> List.of("skip-ssl");
            // MariaDB 11.4's tools check a certificate by default: these modes do not
            case PREFERRED, REQUIRED -> List.of("ssl", "ssl-verify-server-cert=0");
            case VERIFY_CA, VERIFY_IDENTITY -> List.of("ssl", ca, "ssl-verify-server-cert");
        };
    }

    /**
     * Refuses, before the tool runs, a server whose greeting offers no TLS when {@code tls} requires it, and a
     * {@code required} the tool alone cannot keep; says when the tool checks more than asked. {@code greeting} is
     * empty when the engine could not ask the server (a server the SSH host reaches elsewhere than its loopback).
     */
    public static void refuseWhatTheToolCannotDo(Tls tls, Flavor toolFlavor, String tool,
                                                 Optional<ServerGreeting.Greeting> greeting, String server, Log log)
            throws EngineException {
        if (tls.mode().requiresTls() && greeting.isPresent() && !greeting.get().offersTls()) {
            throw new EngineException(tls.noTlsOffered(server));
        }
        if (toolFlavor != Flavor.MARIADB) {
            return;
        }
        if (tls.mode() == Tls.Mode.REQUIRED && greeting.isEmpty()) {
            throw new EngineException("tls required: " + tool + " uses TLS only when the server offers it, so the"
                    + " engine checks the server's offer first, and it cannot reach the server at " + server
                    + " from here. Give tls verify-identity with tlsCa (--tls verify-identity --tls-ca FILE), which "
                    + tool + " enforces itself, or tls disabled (--tls disabled) if the network is trusted.");
        }
        if (tls.mode() == Tls.Mode.VERIFY_CA) {
            log.info(tool + " checks a server's certificate against the CA only together with its name"
                    + " (--ssl-verify-server-cert): with tls verify-ca it also checks that the certificate names the"
                    + " host connected to");
        }
    }

    /**
     * What a failed tool's stderr says about TLS, as a sentence to append (starting with a space), or "" when it is
     * not about TLS.
     */
    public static String explain(String stderr, Tls tls, Flavor toolFlavor, String server) {
        String text = stderr.toLowerCase(Locale.ROOT);
        if (tls.mode() == Tls.Mode.DISABLED || !(text.contains("error: 2026") || text.contains("ssl connection error")
                || text.contains("tls/ssl error"))) {
            return "";
        }
        String detail = stderr.strip();
        if (text.contains("ssl is required") && text.contains("server do")) {
            return " " + tls.noTlsOffered(server);
        }
        if (text.contains("validation of ssl server certificate failed")) {
            // libmariadb's words for a certificate that does not name the host
            return " " + tls.nameMismatch(server, detail) + (tls.mode() == Tls.Mode.VERIFY_CA
                    ? " MariaDB's tools cannot check the CA alone; the parallel method (Connector/J) can." : "");
        }
        if (text.contains("certificate verify failed") || text.contains("self-signed certificate")
                || text.contains("self signed certificate") || text.contains("unable to get local issuer")) {
            if (toolFlavor == Flavor.MYSQL && tls.mode() == Tls.Mode.VERIFY_IDENTITY) {
                // OpenSSL checks the name while it checks the chain, and says the same for either failure
                return " The server's certificate was refused: either no CA in " + tls.caFile() + " (tlsCa,"
                        + " --tls-ca) signed it, or it does not name the host of " + server + " (tls"
                        + " verify-identity). No password was sent. Give the CA that signed it, connect with a name"
                        + " the certificate holds (host, --host), or give tls verify-ca (--tls verify-ca) to check"
                        + " only the CA.";
            }
            return " " + tls.untrustedCertificate(server, detail);
        }
        return " " + tls.handshakeFailed(server, detail);
    }
}
