package io.jenkins.plugins.mysqllifecycle.engine.sql;

import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a server says it is ({@code SELECT VERSION()}, or the version in its greeting), and the statements that differ
 * between its flavor and versions. MariaDB says so in its version ("10.11.19-MariaDB-0+deb12u1"); MySQL does not
 * ("9.7.4-2", "8.0.36").
 *
 * @param answer the server's own version text
 */
public record ServerVersion(Flavor flavor, int major, int minor, int patch, String answer) {
    private static final Pattern NUMBERS = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    public static ServerVersion parse(String answer) {
        String text = answer == null ? "" : answer.strip();
        // MariaDB 10 and later greet with "5.5.5-10.11.19-MariaDB...", for clients that read 10 as older than 5.5
        if (text.startsWith("5.5.5-") && text.contains("MariaDB")) {
            text = text.substring("5.5.5-".length());
        }
        Matcher matcher = NUMBERS.matcher(text);
        int major = 0;
        int minor = 0;
        int patch = 0;
        if (matcher.find()) {
            major = Integer.parseInt(matcher.group(1));
            minor = Integer.parseInt(matcher.group(2));
            patch = matcher.group(3) != null ? Integer.parseInt(matcher.group(3)) : 0;
        }
        return new ServerVersion(Flavor.fromVersionOutput(text), major, minor, patch, text);
    }

    public boolean atLeast(int major, int minor) {
        return this.major > major || this.major == major && this.minor >= minor;
    }

    /**
     * The statement that answers the current binary log file and position (its first two columns): MySQL renamed
     * SHOW MASTER STATUS to SHOW BINARY LOG STATUS in 8.2 and removed the old name in 8.4; MariaDB keeps it.
     */
    public String binaryLogStatusStatement() {
        return flavor == Flavor.MYSQL && atLeast(8, 2) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
    }

    /** The query for the GTIDs the binary log holds, in the server's own notation (MariaDB's and MySQL's differ). */
    public String gtidSetQuery() {
        return flavor == Flavor.MARIADB ? "SELECT @@gtid_binlog_pos" : "SELECT @@GLOBAL.gtid_executed";
    }

    /** "MySQL 9.7.4-2" or "MariaDB 10.11.19-MariaDB-0+deb12u1": how messages name the server. */
    public String describe() {
        return (flavor == Flavor.MARIADB ? "MariaDB " : "MySQL ") + answer;
    }
}
