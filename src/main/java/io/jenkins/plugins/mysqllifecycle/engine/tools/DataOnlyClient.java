package io.jenkins.plugins.mysqllifecycle.engine.tools;

import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options that make the server's client ({@code mariadb}, {@code mysql}) treat a dump file as data: SQL for the
 * server and nothing else. Without them a line such as {@code \! id > FILE} in the file runs a shell command as the
 * restoring user, {@code \. FILE} sends any file it can read, and {@code tee FILE} writes one.
 *
 * <ul>
 *     <li>{@code --binary-mode} (MySQL 5.6.3, MariaDB 10.0): in non-interactive mode the client parses no client
 *     command but charset and DELIMITER; {@code \!} and {@code \.} fail with "Unknown command", and a named command
 *     such as {@code system} or {@code tee} goes to the server, which refuses it as a syntax error. It also keeps
 *     {@code \r\n} and NUL inside strings as they are, which is what a dump holds.</li>
 *     <li>MariaDB's {@code --sandbox} (10.5.25, 10.6.18, 10.11.8, 11.0.6, 11.1.5, 11.2.4, 11.4.2 and later series)
 *     and MySQL's {@code --commands=OFF} (8.0.40, 8.4.3, 9.1.0) on top, where the client has them: the
 *     client's own refusal of every command that touches files or runs programs.</li>
 * </ul>
 * A client older than {@code --binary-mode} is refused: it cannot be kept from running what a file says.
 */
public final class DataOnlyClient {
    private static final Pattern NUMBERS = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    private DataOnlyClient() {
    }

    /**
     * @param tool          the client's path, for the message
     * @param versionOutput what the client printed for {@code --version}
     */
    public static List<String> options(String tool, String versionOutput) throws InvalidSpecException {
        boolean mariadb = versionOutput.contains("MariaDB");
        Matcher numbers = NUMBERS.matcher(ToolVersion.parse(versionOutput));
        if (!numbers.find()) {
            throw new InvalidSpecException("Cannot tell the version of the client " + tool + " from its --version ("
                    + versionOutput.strip() + "), so not whether it can be kept from running client commands"
                    + " written in the dump file. Give a MariaDB or MySQL client with --client-tool.");
        }
        int major = Integer.parseInt(numbers.group(1));
        int minor = Integer.parseInt(numbers.group(2));
        int patch = Integer.parseInt(numbers.group(3));
        int version = major * 10_000 + minor * 100 + patch;
        if (version < (mariadb ? 10_00_00 : 5_06_03)) {
            throw new InvalidSpecException("The client " + tool + " (" + ToolVersion.parse(versionOutput) + ") has"
                    + " no --binary-mode (MariaDB 10.0, MySQL 5.6.3), so it would run client commands written in the"
                    + " dump file, such as \\! (a shell command). Give a newer client with --client-tool.");
        }
        List<String> options = new ArrayList<>(List.of("--binary-mode"));
        if (mariadb && atLeast(major, minor, patch, new int[][] {{10, 5, 25}, {10, 6, 18}, {10, 11, 8}, {11, 0, 6},
                {11, 1, 5}, {11, 2, 4}, {11, 4, 2}}, 11, 4)) {
            options.add("--sandbox");
        } else if (!mariadb && atLeast(major, minor, patch, new int[][] {{8, 0, 40}, {8, 4, 3}, {9, 1, 0}}, 9, 1)) {
            options.add("--commands=OFF");
        }
        return options;
    }

    /** Whether major.minor.patch is at or past the release of {@code firsts} in its series, or past the last series. */
    private static boolean atLeast(int major, int minor, int patch, int[][] firsts, int lastMajor, int lastMinor) {
        if (major > lastMajor || (major == lastMajor && minor > lastMinor)) {
            return true;
        }
        for (int[] first : firsts) {
            if (first[0] == major && first[1] == minor) {
                return patch >= first[2];
            }
        }
        return false;
    }

    /** Whether the client's error output says it refused a client command in the file. */
    public static boolean refusedAClientCommand(String stderr) {
        return stderr.contains("Unknown command '\\") || stderr.contains("Not allowed in the sandbox mode")
                || stderr.contains("commands are disabled");
    }
}
