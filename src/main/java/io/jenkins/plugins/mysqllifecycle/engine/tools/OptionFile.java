package io.jenkins.plugins.mysqllifecycle.engine.tools;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The password reaches the server's client tools only as an option file read from a pipe, never on a command line,
 * in their environment or in a file: a file would hold it until someone deletes it, and a tool killed with its
 * caller (kill -9, a lost agent) leaves it behind. The caller's own defaults file is included from it, and the TLS
 * options follow it there.
 *
 * <p>A dump tool reads no standard input, so the options are its standard input ({@code --defaults-file=/dev/stdin}).
 * A client reads the dump from standard input, so a shell puts the options' bytes, read first from the same stream,
 * on descriptor 3 of the client through a pipe ({@code --defaults-file=/dev/fd/3}). MySQL's and MariaDB's option
 * readers only skip world-writable regular files, so a pipe is read like a file.
 */
public final class OptionFile {
    /**
     * The longest password an option file can pass, escaped, in bytes. The client tools read an option file line
     * into a 4096-byte buffer: a longer line is cut, and its rest is read as an option of its own, which fails the
     * tool with the password's tail in its error (measured with mariadb 10.11: 4080 bytes work, 4090 do not).
     */
    public static final int MAX_PASSWORD_BYTES = 4000;

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

    /**
     * Descriptor 3 of {@code "$@"} becomes a pipe holding the first $1 bytes of standard input; the rest stays its
     * standard input. dd reads exactly that many bytes of a pipe, one at a time (head might read ahead); printf is a
     * shell builtin, so the options are never on a command line.
     */
    private static final String OPTIONS_ON_FD3 = "o=$(dd bs=1 count=\"$1\" 2>/dev/null) || exit 1; shift; exec 3<&0;"
            + " printf '%s\\n' \"$o\" | { exec \"$@\" 4<&0 <&3 3<&4 4<&-; }";

    private final byte[] content;
    private final String defaultsFile;

    private OptionFile(byte[] content, String defaultsFile) {
        this.content = content;
        this.defaultsFile = defaultsFile;
    }

    /**
     * The options for {@code password} (null: none to pass), the caller's {@code defaultsFile} (null: none) and the
     * {@code [client]} lines {@code clientOptions} (TLS, in the tool's words: see {@link ToolTls}), which come after
     * the defaults file and so win over what it says.
     */
    public static OptionFile of(Password password, String defaultsFile, List<String> clientOptions) {
        if (password == null && clientOptions.isEmpty()) {
            return new OptionFile(null, defaultsFile);
        }
        StringBuilder content = new StringBuilder();
        if (defaultsFile != null) {
            content.append("!include ").append(defaultsFile).append('\n');
        }
        content.append("[client]\n");
        if (password != null) {
            content.append("password=\"").append(escapeValue(password.reveal())).append("\"\n");
        }
        clientOptions.forEach(option -> content.append(option).append('\n'));
        return new OptionFile(content.toString().getBytes(StandardCharsets.UTF_8), defaultsFile);
    }

    /** The first option of a dump tool's command line, which reads {@link #toolInput()} as its options. */
    public String toolArgument() {
        return content != null ? "--defaults-file=/dev/stdin" : defaultsArgument();
    }

    /** The standard input of a dump tool: the options, or null (closed) when there are none. */
    public InputStream toolInput() {
        return content != null ? new ByteArrayInputStream(content) : null;
    }

    /**
     * The command that runs {@code client} (with {@code arguments} after its option-file option) reading its options
     * from the start of the stream {@link #clientInput} makes.
     */
    public List<String> clientCommand(String client, List<String> arguments) {
        List<String> command = new ArrayList<>();
        if (content != null) {
            command.addAll(List.of("sh", "-c", OPTIONS_ON_FD3, "sh", Integer.toString(content.length), client,
                    "--defaults-file=/dev/fd/3"));
        } else {
            command.addAll(List.of(client, defaultsArgument()));
        }
        command.addAll(arguments);
        return command;
    }

    /** The standard input of {@link #clientCommand}: the options' bytes, then {@code data}. */
    public InputStream clientInput(InputStream data) {
        return content != null ? new SequenceInputStream(new ByteArrayInputStream(content), data) : data;
    }

    private String defaultsArgument() {
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
}
