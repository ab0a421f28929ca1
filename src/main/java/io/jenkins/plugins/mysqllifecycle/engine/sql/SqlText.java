package io.jenkins.plugins.mysqllifecycle.engine.sql;

import java.util.Locale;

/**
 * Writes a row's values as SQL literals, byte by byte, from the bytes a binary-protocol row holds (see
 * {@link StreamedRows}): integers, doubles, dates and times from their fields; every other value from the server's own
 * bytes of it. Those are exact as they are (a DECIMAL's digits, a zero date, a JSON text), and strings are UTF-8 from a
 * utf8mb4 connection: every byte that needs an escape is ASCII, so multi-byte characters pass untouched.
 */
public final class SqlText {
    /** How a column's values are written. */
    public enum Kind {
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

    public static void appendNull(ByteSink out) {
        out.write(NULL, 0, NULL.length);
    }

    /** Appends the value in {@code source[offset, offset + length)} as a literal of {@code kind}. */
    public static void append(ByteSink out, Kind kind, byte[] source, int offset, int length) {
        switch (kind) {
            case NUMBER -> out.write(source, offset, length);
            case QUOTED -> appendQuoted(out, source, offset, length);
            case HEX -> appendHex(out, source, offset, length);
        }
    }

    /** A signed integer in decimal. */
    public static void appendInteger(ByteSink out, long value) {
        if (value == Long.MIN_VALUE) {
            appendAscii(out, Long.toString(value));
            return;
        }
        out.ensure(20);
        byte[] buffer = out.buffer();
        int at = out.length();
        if (value < 0) {
            buffer[at++] = '-';
            value = -value;
        }
        int count = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            count++;
        }
        out.setLength(digits(buffer, at, value, count));
    }

    /**
     * A finite double as Java's text for it, which reads back as the same double (the server parses a literal with
     * correct rounding; the text protocol's own text of a DOUBLE is no more exact, and costs the server far more).
     */
    public static void appendDouble(ByteSink out, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalStateException("a stored floating-point value is " + value + ", which has no SQL"
                    + " literal; the dump is discarded");
        }
        appendAscii(out, Double.toString(value));
    }

    /**
     * A DATE, DATETIME or TIMESTAMP in quotes from its binary-protocol fields ({@code length} 0, 4, 7 or 11 bytes:
     * year, month, day, then hour, minute, second, then microseconds; 0 bytes is the zero date).
     */
    public static void appendDateTime(ByteSink out, boolean dateOnly, byte[] source, int offset, int length) {
        if (length != 0 && length != 4 && length != 7 && length != 11) {
            throw new IllegalStateException("a date value of " + length + " bytes; the dump is discarded");
        }
        out.ensure(28);
        byte[] buffer = out.buffer();
        int at = out.length();
        buffer[at++] = '\'';
        int year = length == 0 ? 0 : (source[offset] & 0xff) | (source[offset + 1] & 0xff) << 8;
        at = digits(buffer, at, year, 4);
        buffer[at++] = '-';
        at = digits(buffer, at, length == 0 ? 0 : source[offset + 2] & 0xff, 2);
        buffer[at++] = '-';
        at = digits(buffer, at, length == 0 ? 0 : source[offset + 3] & 0xff, 2);
        if (!dateOnly) {
            buffer[at++] = ' ';
            at = clock(buffer, at, length >= 7 ? source[offset + 4] & 0xff : 0, source, offset + 5, length >= 7,
                    length == 11 ? offset + 7 : -1);
        }
        buffer[at++] = '\'';
        out.setLength(at);
    }

    /**
     * A TIME in quotes from its binary-protocol fields ({@code length} 0, 8 or 12 bytes: sign, days, hour, minute,
     * second, then microseconds), written as hours, which may be more than 24 and negative.
     */
    public static void appendTime(ByteSink out, byte[] source, int offset, int length) {
        if (length != 0 && length != 8 && length != 12) {
            throw new IllegalStateException("a time value of " + length + " bytes; the dump is discarded");
        }
        long days = length == 0 ? 0 : (source[offset + 1] & 0xffL) | (source[offset + 2] & 0xffL) << 8
                | (source[offset + 3] & 0xffL) << 16 | (source[offset + 4] & 0xffL) << 24;
        long hours = days * 24 + (length == 0 ? 0 : source[offset + 5] & 0xff);
        out.ensure(40);
        byte[] buffer = out.buffer();
        int at = out.length();
        buffer[at++] = '\'';
        if (length != 0 && source[offset] != 0) {
            buffer[at++] = '-';
        }
        at = digits(buffer, at, hours, Math.max(2, Long.toString(hours).length()));
        at = clock(buffer, at, -1, source, offset + 6, length != 0, length == 12 ? offset + 8 : -1);
        buffer[at++] = '\'';
        out.setLength(at);
    }

    /**
     * {@code [HH]:MM:SS[.ffffff]}: the hour only when {@code hour} is not negative, minute and second from
     * {@code source[minuteAt]} on (zero when {@code present} is false), microseconds from {@code microsAt} when it is
     * not negative.
     */
    private static int clock(byte[] buffer, int at, int hour, byte[] source, int minuteAt, boolean present,
                             int microsAt) {
        if (hour >= 0) {
            at = digits(buffer, at, hour, 2);
        }
        buffer[at++] = ':';
        at = digits(buffer, at, present ? source[minuteAt] & 0xff : 0, 2);
        buffer[at++] = ':';
        at = digits(buffer, at, present ? source[minuteAt + 1] & 0xff : 0, 2);
        if (microsAt >= 0) {
            long micros = (source[microsAt] & 0xffL) | (source[microsAt + 1] & 0xffL) << 8
                    | (source[microsAt + 2] & 0xffL) << 16 | (source[microsAt + 3] & 0xffL) << 24;
            buffer[at++] = '.';
            at = digits(buffer, at, micros, 6);
        }
        return at;
    }

    /** {@code value} in exactly {@code count} decimal digits, zeros in front. */
    private static int digits(byte[] buffer, int at, long value, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            buffer[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + count;
    }

    public static void appendAscii(ByteSink out, String ascii) {
        int length = ascii.length();
        out.ensure(length);
        byte[] buffer = out.buffer();
        int at = out.length();
        for (int i = 0; i < length; i++) {
            buffer[at + i] = (byte) ascii.charAt(i);
        }
        out.setLength(at + length);
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

    /**
     * A string literal in single quotes, with backslash escapes. Used for sql_mode, collation and time zone names,
     * which hold neither, so they read the same under a stored object's own sql_mode (NO_BACKSLASH_ESCAPES too).
     */
    public static String quoteString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** An identifier in backquotes, a backquote in it doubled. */
    public static String quoteName(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** A growable byte buffer that value literals are appended to without a copy per value. */
    public static final class ByteSink {
        private byte[] buffer;
        private int length;

        public ByteSink(int capacity) {
            buffer = new byte[capacity];
        }

        void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }

        public void write(byte[] bytes, int offset, int count) {
            ensure(count);
            System.arraycopy(bytes, offset, buffer, length, count);
            length += count;
        }

        public void write(byte b) {
            ensure(1);
            buffer[length++] = b;
        }

        public void write(String ascii) {
            byte[] bytes = ascii.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            write(bytes, 0, bytes.length);
        }

        public byte[] buffer() {
            return buffer;
        }

        public int length() {
            return length;
        }

        public void setLength(int length) {
            this.length = length;
        }

        public void clear() {
            length = 0;
        }
    }
}
