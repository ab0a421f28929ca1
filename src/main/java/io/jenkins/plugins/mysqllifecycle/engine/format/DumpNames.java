package io.jenkins.plugins.mysqllifecycle.engine.format;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.sql.SnapshotSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The names of a dump's files. Beside the dump FILE: its manifest {@code FILE.json} and, while it is being written,
 * {@code FILE.partial}. Inside a directory dump: {@code metadata.json} and the files below. A database or table name
 * may hold any character, a dot and a slash included, so each name is percent-encoded down to letters, digits, '_'
 * and '-': the dots between the parts stay unambiguous and no name can leave the directory. A name the server allows
 * (64 characters of up to 3 bytes) can encode to 576 characters, more than the 255 bytes a file name may have, so a
 * long one is cut and given the hash of the whole name after a '~', which no encoded name holds: the file names stay
 * distinct and fit, and metadata.json keeps the real names.
 */
public final class DumpNames {
    public static final String MANIFEST_SUFFIX = ".json";
    public static final String PARTIAL_SUFFIX = ".partial";
    public static final String METADATA = "metadata.json";
    private static final String DATABASE_SCHEMA_SUFFIX = "-schema-create.sql";
    private static final String STORED_OBJECTS_SUFFIX = "-schema-post.sql";

    private DumpNames() {
    }

    public static Path manifestOf(Path dump) {
        return dump.resolveSibling(dump.getFileName() + MANIFEST_SUFFIX);
    }

    public static Path partialOf(Path dump) {
        return dump.resolveSibling(dump.getFileName() + PARTIAL_SUFFIX);
    }

    public static String databaseSchema(String database) {
        return encode(database) + DATABASE_SCHEMA_SUFFIX;
    }

    public static boolean isDatabaseSchema(String file) {
        return file.endsWith(DATABASE_SCHEMA_SUFFIX);
    }

    /** Routines, triggers and events: loaded after the rows, so no trigger fires on them. */
    public static String storedObjects(String database) {
        return encode(database) + STORED_OBJECTS_SUFFIX;
    }

    public static boolean isStoredObjects(String file) {
        return file.endsWith(STORED_OBJECTS_SUFFIX);
    }

    public static String tableSchema(SnapshotSchema.Table table) {
        return encode(table.database()) + "." + encode(table.name()) + (table.view() ? "-schema-view.sql"
                : "-schema.sql");
    }

    public static String chunk(SnapshotSchema.Table table, int index, Compression compression) {
        return encode(table.database()) + "." + encode(table.name()) + "." + String.format("%05d", index) + ".sql"
                + compression.suffix();
    }

    /**
     * The most characters a name takes in a file name: two of them, the dots, an index and the longest suffix stay
     * well below 255 bytes.
     */
    static final int MAX_ENCODED_CHARS = 96;
    /** Of the hash that ends a cut name: 64 bits of SHA-256, hex. */
    private static final int HASH_CHARS = 16;

    /** The name as it appears in file names: percent-encoded, and cut with a hash when it would be too long. */
    public static String encode(String name) {
        String encoded = percentEncode(name);
        if (encoded.length() <= MAX_ENCODED_CHARS) {
            return encoded;
        }
        int cut = MAX_ENCODED_CHARS - HASH_CHARS - 1;
        // never inside a %XX escape
        int lastEscape = encoded.lastIndexOf('%', cut - 1);
        if (lastEscape >= 0 && lastEscape > cut - 3) {
            cut = lastEscape;
        }
        return encoded.substring(0, cut) + "~" + Sha256.of(name.getBytes(StandardCharsets.UTF_8))
                .substring(0, HASH_CHARS);
    }

    private static String percentEncode(String name) {
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
