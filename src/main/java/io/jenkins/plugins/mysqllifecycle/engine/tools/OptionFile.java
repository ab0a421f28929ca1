package io.jenkins.plugins.mysqllifecycle.engine.tools;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The password reaches the server's client tools only through a 0600 option file on their host, never on a command
 * line or in their environment; the caller's own defaults file is included from it.
 */
public final class OptionFile {
    /**
     * The longest password an option file can pass, escaped, in bytes. The client tools read an option file line
     * into a 4096-byte buffer: a longer line is cut, and its rest is read as an option of its own, which fails the
     * tool with the password's tail in its error (measured with mariadb 10.11: 4080 bytes work, 4090 do not).
     */
    public static final int MAX_PASSWORD_BYTES = 4000;

    private OptionFile() {
    }

    /**
     * Refuses, before anything is started or written, what an option file cannot carry: a defaults file that is not
     * there ({@code !include} skips a missing file without a word, so the tool would run without the caller's
     * settings), and a password too long for an option file's line. The message never holds the password.
     */
    public static void checkUsable(Host host, Password password, String defaultsFile) throws EngineException {
        checkDefaultsFile(host, defaultsFile);
        if (password != null) {
            int bytes = escapeValue(password.reveal()).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_PASSWORD_BYTES) {
                throw new InvalidSpecException("The password is " + bytes + " bytes long (as an option file holds"
                        + " it); the client tools read at most " + MAX_PASSWORD_BYTES + " bytes of a password from"
                        + " their option file. Use a shorter password for this account.");
            }
        }
    }

    /** A defaults file that is named must be a file the tools can read on {@code host}. */
    public static void checkDefaultsFile(Host host, String defaultsFile) throws EngineException {
        if (defaultsFile == null) {
            return;
        }
        try {
            if (host.readFile(defaultsFile).isEmpty()) {
                throw new InvalidSpecException("The defaults file " + defaultsFile + " (--defaults-file) does not"
                        + " exist on " + host.describe() + "; give the path of an option file, or leave the option"
                        + " out.");
            }
        } catch (java.nio.charset.CharacterCodingException notUtf8) {
            // it is there: the tools read it in bytes, whatever its encoding
        } catch (IOException e) {
            throw new InvalidSpecException("The defaults file " + defaultsFile + " (--defaults-file) cannot be read"
                    + " on " + host.describe() + ": " + e.getMessage());
        }
    }

    /** The file's path on {@code host}, or null when there is no password to pass. */
    public static String create(Host host, Password password, String defaultsFile) throws IOException {
        if (password == null) {
            return null;
        }
        StringBuilder content = new StringBuilder();
        if (defaultsFile != null) {
            content.append("!include ").append(defaultsFile).append('\n');
        }
        content.append("[client]\npassword=\"").append(escapeValue(password.reveal())).append("\"\n");
        return host.createPrivateFile("mysql-lifecycle-", content.toString());
    }

    /** The first options of a client tool's command line: the option file, the caller's, or none at all. */
    public static String firstArgument(String optionFile, String defaultsFile) {
        if (optionFile != null) {
            return "--defaults-file=" + optionFile;
        }
        return defaultsFile != null ? "--defaults-file=" + defaultsFile : "--no-defaults";
    }

    /** Option-file quoting: inside double quotes, backslash escapes the quote, the backslash and control chars. */
    public static String escapeValue(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    public static void delete(Host host, String optionFile, Log log) {
        if (optionFile == null) {
            return;
        }
        try {
            host.deleteFile(optionFile);
        } catch (IOException e) {
            log.warn("could not remove the temporary option file " + optionFile + " (mode 0600): "
                    + e.getMessage() + "; remove it by hand");
        }
    }
}
