package io.jenkins.plugins.mysqllifecycle.engine.tools;

import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import java.io.IOException;

/**
 * The password reaches the server's client tools only through a 0600 option file on their host, never on a command
 * line or in their environment; the caller's own defaults file is included from it.
 */
public final class OptionFile {
    private OptionFile() {
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
