package io.jenkins.plugins.mysqllifecycle.engine.restore;

import java.nio.charset.StandardCharsets;

/** The session settings a directory dump's files are written for, and that loading them sets first. */
public final class RestoreSession {
    /**
     * utf8mb4 as the values were read; UTC as TIMESTAMP values were read; no backslash-less mode that would misread
     * the escapes; a zero in an AUTO_INCREMENT column stays zero; checks the dump's consistency makes redundant off.
     */
    static final String STATEMENTS = "SET NAMES utf8mb4;\nSET time_zone = '+00:00';\n"
            + "SET sql_mode = 'NO_AUTO_VALUE_ON_ZERO';\nSET foreign_key_checks = 0;\nSET unique_checks = 0;\n";
    public static final byte[] HEADER = STATEMENTS.getBytes(StandardCharsets.UTF_8);

    private RestoreSession() {
    }
}
