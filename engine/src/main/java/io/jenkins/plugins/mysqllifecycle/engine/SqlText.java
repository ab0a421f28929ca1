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
    /** For each byte, the letter written after a backslash in its place; 0 for a byte written as it is. */
    private static final byte[] ESCAPES = new byte[256];

    static {
        ESCAPES[0] = '0';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
        ESCAPES[0x1a] = 'Z';
        ESCAPES['\\'] = '\\';
        ESCAPES['\''] = '\'';
        ESCAPES['"'] = '"';
    }

    private SqlText() {
    }

    static void appendNull(ByteSink out) {
        out.write(NULL, 0, NULL.length);
    }

    /** Appends the value in {@code source[offset, offset + length)} as a literal of {@code kind}. */
    static void append(ByteSink out, Kind kind, byte[] source, int offset, int length) {
        switch (kind) {
            case NUMBER -> out.write(source, offset, length);
            case QUOTED -> appendQuoted(out, source, offset, length);
            case HEX -> appendHex(out, source, offset, length);
        }
    }

    /** Runs of bytes that need no escape, which is nearly all of them, are copied whole. */
    private static void appendQuoted(ByteSink out, byte[] source, int offset, int length) {
        out.ensure(length * 2 + 2);
        byte[] buffer = out.buffer();
        int at = out.length();
        buffer[at++] = '\'';
        int end = offset + length;
        int run = offset;
        for (int i = offset; i < end; i++) {
            byte escape = ESCAPES[source[i] & 0xff];
            if (escape != 0) {
                System.arraycopy(source, run, buffer, at, i - run);
                at += i - run;
                buffer[at++] = '\\';
                buffer[at++] = escape;
                run = i + 1;
            }
        }
        System.arraycopy(source, run, buffer, at, end - run);
        at += end - run;
        buffer[at++] = '\'';
        out.setLength(at);
    }

    private static void appendHex(ByteSink out, byte[] source, int offset, int length) {
        if (length == 0) {
            out.write((byte) '\'');
            out.write((byte) '\'');
            return;
        }
        out.ensure(length * 2 + 2);
        byte[] buffer = out.buffer();
        int at = out.length();
        buffer[at++] = '0';
        buffer[at++] = 'x';
        for (int i = offset; i < offset + length; i++) {
            buffer[at++] = HEX_DIGITS[(source[i] >> 4) & 0xf];
            buffer[at++] = HEX_DIGITS[source[i] & 0xf];
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
