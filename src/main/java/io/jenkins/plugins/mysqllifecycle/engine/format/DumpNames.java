package io.jenkins.plugins.mysqllifecycle.engine;

import java.nio.charset.StandardCharsets;

/**
 * File names inside a directory dump. A database or table name may hold any character, a dot and a slash included,
 * so each name is percent-encoded down to letters, digits, '_' and '-': the dots between the parts stay unambiguous
 * and no name can leave the directory.
 */
final class DumpNames {
    private DumpNames() {
    }

    static String databaseSchema(String database) {
        return encode(database) + "-schema-create.sql";
    }

    /** Routines, triggers and events: loaded after the rows, so no trigger fires on them. */
    static String storedObjects(String database) {
        return encode(database) + "-schema-post.sql";
    }

    static String tableSchema(SnapshotSchema.Table table) {
        return encode(table.database()) + "." + encode(table.name()) + (table.view() ? "-schema-view.sql"
                : "-schema.sql");
    }

    static String chunk(SnapshotSchema.Table table, int index, Compression compression) {
        return encode(table.database()) + "." + encode(table.name()) + "." + String.format("%05d", index) + ".sql"
                + compression.suffix();
    }

    static String encode(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
