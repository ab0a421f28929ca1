package io.jenkins.plugins.mysqllifecycle.engine;

import java.util.Locale;

/**
 * Turns the server's text-protocol bytes of a value into an SQL literal, byte by byte. The bytes are the server's own
 * text of the value (its shortest exact form of a double, a zero date as it is stored), so writing them back is
 * exact; strings are UTF-8 from a utf8mb4 connection, and every byte that needs an escape is ASCII, so multi-byte
 * characters pass untouched.
 */
final class SqlText {
    /** How a column's values are written. */
    enum Kind {
        /** Digits, sign, point, exponent: written as they come. */
        NUMBER,
        /** Written in single quotes with backslash escapes: text, dates and times, enums, sets, JSON. */
        QUOTED,
        /** Written as a hex literal: binary strings, blobs, BIT and spatial values. */
        HEX;

        static Kind ofDataType(String dataType) {
            return switch (dataType.toLowerCase(Locale.ROOT)) {
                case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric", "float",
                     "double", "real", "year" -> NUMBER;
                case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit", "geometry", "point",
                     "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                     "geometrycollection" -> HEX;
                default -> QUOTED;
            };
        }
    }

    private static final byte[] HEX_DIGITS = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'N', 'U', 'L', 'L'};

    private SqlText() {
    }

    /** Appends {@code value} (null for SQL NULL) as a literal of {@code kind}. */
    static void append(ByteSink out, Kind kind, byte[] value) {
        if (value == null) {
            out.write(NULL, 0, NULL.length);
            return;
        }
        switch (kind) {
            case NUMBER -> out.write(value, 0, value.length);
            case QUOTED -> appendQuoted(out, value);
            case HEX -> appendHex(out, value);
        }
    }

    private static void appendQuoted(ByteSink out, byte[] value) {
        out.ensure(value.length * 2 + 2);
        byte[] buffer = out.buffer();
        int at = out.length();
        buffer[at++] = '\'';
        for (byte b : value) {
            switch (b) {
                case 0 -> { buffer[at++] = '\\'; buffer[at++] = '0'; }
                case '\n' -> { buffer[at++] = '\\'; buffer[at++] = 'n'; }
                case '\r' -> { buffer[at++] = '\\'; buffer[at++] = 'r'; }
                case 0x1a -> { buffer[at++] = '\\'; buffer[at++] = 'Z'; }
                case '\\', '\'', '"' -> { buffer[at++] = '\\'; buffer[at++] = b; }
                default -> buffer[at++] = b;
            }
        }
        buffer[at++] = '\'';
        out.setLength(at);
    }

    private static void appendHex(ByteSink out, byte[] value) {
        if (value.length == 0) {
            out.write(new byte[] {'\'', '\''}, 0, 2);
            return;
        }
        out.ensure(value.length * 2 + 2);
        byte[] buffer = out.buffer();
        int at = out.length();
        buffer[at++] = '0';
        buffer[at++] = 'x';
        for (byte b : value) {
            buffer[at++] = HEX_DIGITS[(b >> 4) & 0xf];
            buffer[at++] = HEX_DIGITS[b & 0xf];
        }
        out.setLength(at);
    }

    /** An identifier in backquotes, a backquote in it doubled. */
    static String quoteName(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** A growable byte buffer that value literals are appended to without a copy per value. */
    static final class ByteSink {
        private byte[] buffer;
        private int length;

        ByteSink(int capacity) {
            buffer = new byte[capacity];
        }

        void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }

        void write(byte[] bytes, int offset, int count) {
            ensure(count);
            System.arraycopy(bytes, offset, buffer, length, count);
            length += count;
        }

        void write(byte b) {
            ensure(1);
            buffer[length++] = b;
        }

        void write(String ascii) {
            byte[] bytes = ascii.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            write(bytes, 0, bytes.length);
        }

        byte[] buffer() {
            return buffer;
        }

        int length() {
            return length;
        }

        void setLength(int length) {
            this.length = length;
        }

        void clear() {
            length = 0;
        }
    }
}
