package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.sql.SnapshotSchema;
import io.jenkins.plugins.mysqllifecycle.engine.sql.SqlText;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.ResultsetRows;
import com.mysql.cj.protocol.a.NativePacketPayload;
import com.mysql.cj.protocol.a.result.AbstractBufferRow;
import com.mysql.cj.result.Field;
import com.mysql.cj.result.Row;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The rows of a streamed binary-protocol result (a server-side prepared SELECT), each written as an SQL tuple.
 *
 * <p>Why the binary protocol: in the text protocol the server formats every number and date as text, and a DOUBLE's
 * shortest exact text is dear: streaming the bench table took the server 1.7 CPU-s per 1.16 M rows as text and 1.0 as
 * binary rows (the DOUBLE column alone 0.87 against 0.37), and on a machine where server and dump share the cores the
 * server's CPU is what a dump waits for. The engine writes those values itself, each exact: integers in decimal,
 * doubles with Java's round-trip text, dates and times from their fields.
 *
 * <p>Two readers of the same rows write the same bytes. {@link PacketRows} reads each value from the packet the row
 * arrived in: {@code ResultSet.getBytes} or {@code getObject} each take the connection's lock, decode the value's
 * position again and make an object or array per value, which was most of the client's CPU (profiled: about 60 %),
 * while a streamed row keeps its packet (Connector/J reuses one buffer per connection). Connector/J still reads the
 * packets, checks for errors and ends the result, so its connection state stays its own. But the packet is not public
 * API, and in Jenkins Connector/J comes from the mysql-api plugin, which users upgrade on their own: when this
 * Connector/J keeps its rows elsewhere, {@link JdbcRows} asks the result set for each value through the public JDBC API
 * (slower, the same values and bytes) and the log says so once. Setting the system property {@value #READER_PROPERTY}
 * to {@code jdbc} chooses it outright.
 */
abstract class StreamedRows {
    /** The system property that chooses the reader: {@code jdbc} for the public JDBC API only. */
    static final String READER_PROPERTY = "io.jenkins.plugins.mysqllifecycle.rowReader";

    /** Where this Connector/J keeps a streamed row's packet; null when not where {@link PacketRows} looks. */
    private static final VarHandle PACKET;
    private static final VarHandle ROW_START;
    /** Why {@link PacketRows} cannot read this Connector/J's rows; null when it can. */
    private static final String PACKET_UNAVAILABLE;
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    static {
        VarHandle packet = null;
        VarHandle rowStart = null;
        String unavailable = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(AbstractBufferRow.class,
                    MethodHandles.lookup());
            packet = lookup.findVarHandle(AbstractBufferRow.class, "rowFromServer", NativePacketPayload.class);
            rowStart = lookup.findVarHandle(AbstractBufferRow.class, "homePosition", int.class);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            unavailable = e.toString();
        }
        PACKET = packet;
        ROW_START = rowStart;
        PACKET_UNAVAILABLE = unavailable;
    }

    /** {@code select} prepared on the server, so its rows come in the binary protocol, and set to stream them. */
    static PreparedStatement prepare(Connection connection, String select) throws SQLException {
        PreparedStatement statement = connection.unwrap(JdbcConnection.class).serverPrepareStatement(select,
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        try {
            statement.setFetchSize(Integer.MIN_VALUE); // stream rows instead of holding the chunk in memory
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
        return statement;
    }

    /**
     * The rows of a result of a statement from {@link #prepare} that selects {@code columns} in their order: the
     * packet reader when this Connector/J's rows are where it looks, else the JDBC reader, said once in {@code log}.
     */
    static StreamedRows of(ResultSet result, List<SnapshotSchema.Column> columns, Log log) throws SQLException {
        SqlText.Kind[] kinds = columns.stream().map(SnapshotSchema.Column::kind).toArray(SqlText.Kind[]::new);
        if ("jdbc".equals(System.getProperty(READER_PROPERTY))) {
            return new JdbcRows(result, columns, kinds);
        }
        String unavailable = PACKET_UNAVAILABLE != null ? PACKET_UNAVAILABLE
                : result instanceof Resultset ? null : "its result set is a " + result.getClass().getName();
        if (unavailable == null) {
            return new PacketRows((Resultset) result, kinds);
        }
        if (FALLBACK_LOGGED.compareAndSet(false, true)) {
            log.warn("this Connector/J keeps its rows elsewhere than the fast reader looks (" + unavailable
                    + "); rows are read through the public JDBC API instead: the same values, more CPU");
        }
        return new JdbcRows(result, columns, kinds);
    }

    /** Moves to the next row; false when there is none left. */
    abstract boolean next() throws SQLException;

    /** Appends the current row as {@code (value,value,...)}. */
    abstract void appendTuple(SqlText.ByteSink out) throws SQLException;

    /** Reads each value from the packet its row arrived in. */
    private static final class PacketRows extends StreamedRows {
        // column types as the binary protocol names them on the wire; every other type is a length-prefixed string
        private static final int TINY = 1;
        private static final int SHORT = 2;
        private static final int LONG = 3;
        private static final int FLOAT = 4;
        private static final int DOUBLE = 5;
        private static final int NULL_TYPE = 6;
        private static final int TIMESTAMP = 7;
        private static final int LONGLONG = 8;
        private static final int INT24 = 9;
        private static final int DATE = 10;
        private static final int TIME = 11;
        private static final int DATETIME = 12;
        private static final int YEAR = 13;

        private static final int TWO_BYTE_LENGTH = 0xfc;
        private static final int THREE_BYTE_LENGTH = 0xfd;
        private static final int EIGHT_BYTE_LENGTH = 0xfe;

        private final ResultsetRows rows;
        private final SqlText.Kind[] kinds;
        private final int[] types;
        private final boolean[] unsigned;
        /** The null bitmap ahead of a binary row's values: one bit per column after two reserved bits. */
        private final int nullBytes;
        private AbstractBufferRow current;

        PacketRows(Resultset resultset, SqlText.Kind[] kinds) {
            Field[] fields = resultset.getColumnDefinition().getFields();
            if (fields.length != kinds.length) {
                throw new IllegalStateException("the query returned " + fields.length + " columns, not the "
                        + kinds.length + " the table has");
            }
            this.rows = resultset.getRows();
            this.kinds = kinds;
            this.types = new int[fields.length];
            this.unsigned = new boolean[fields.length];
            for (int i = 0; i < fields.length; i++) {
                types[i] = fields[i].getMysqlTypeId();
                unsigned[i] = fields[i].isUnsigned();
            }
            this.nullBytes = (fields.length + 9) / 8;
        }

        @Override
        boolean next() {
            Row row = rows.next(); // a streamed row list says null at its end
            if (row == null) {
                current = null;
                return false;
            }
            if (!(row instanceof AbstractBufferRow buffered) || !buffered.isBinaryEncoded()) {
                throw new IllegalStateException("Connector/J returned a " + row.getClass().getName() + " for a"
                        + " streamed row; only a binary buffered row keeps its packet in the layout read here. Set"
                        + " -D" + READER_PROPERTY + "=jdbc to read rows through the public JDBC API.");
            }
            current = buffered;
            return true;
        }

        @Override
        void appendTuple(SqlText.ByteSink out) {
            AbstractBufferRow buffered = current;
            NativePacketPayload packet = (NativePacketPayload) PACKET.get(buffered);
            byte[] bytes = packet.getByteBuffer();
            int end = packet.getPayloadLength();
            int at = (int) ROW_START.get(buffered);
            int nullMap = at - nullBytes;
            out.write((byte) '(');
            for (int i = 0; i < kinds.length; i++) {
                if (i > 0) {
                    out.write((byte) ',');
                }
                if ((bytes[nullMap + ((i + 2) >>> 3)] & (1 << ((i + 2) & 7))) != 0) {
                    SqlText.appendNull(out);
                    continue;
                }
                int width = switch (types[i]) {
                    case TINY -> 1;
                    case SHORT, YEAR -> 2;
                    case LONG, INT24, FLOAT -> 4;
                    case LONGLONG, DOUBLE -> 8;
                    case NULL_TYPE -> 0;
                    case DATE, DATETIME, TIMESTAMP, TIME -> 1 + (at < end ? bytes[at] & 0xff : 0);
                    default -> -1;
                };
                if (width < 0) {
                    at = appendString(out, i, bytes, at, end);
                    continue;
                }
                if (width > end - at) {
                    throw malformed(i, end);
                }
                switch (types[i]) {
                    case TINY -> SqlText.appendInteger(out, unsigned[i] ? bytes[at] & 0xff : bytes[at]);
                    case SHORT, YEAR -> {
                        short value = (short) SHORT_LE.get(bytes, at);
                        SqlText.appendInteger(out, unsigned[i] ? value & 0xffff : value);
                    }
                    case LONG, INT24 -> {
                        int value = (int) INT_LE.get(bytes, at);
                        SqlText.appendInteger(out, unsigned[i] ? value & 0xffffffffL : value);
                    }
                    case LONGLONG -> {
                        long value = (long) LONG_LE.get(bytes, at);
                        if (unsigned[i] && value < 0) {
                            SqlText.appendAscii(out, Long.toUnsignedString(value));
                        } else {
                            SqlText.appendInteger(out, value);
                        }
                    }
                    // a FLOAT's value is exactly a double, and the double's text reads back to the same float
                    case FLOAT -> SqlText.appendDouble(out, Float.intBitsToFloat((int) INT_LE.get(bytes, at)));
                    case DOUBLE -> SqlText.appendDouble(out, Double.longBitsToDouble((long) LONG_LE.get(bytes, at)));
                    case DATE, DATETIME, TIMESTAMP -> SqlText.appendDateTime(out, types[i] == DATE, bytes, at + 1,
                            width - 1);
                    case TIME -> SqlText.appendTime(out, bytes, at + 1, width - 1);
                    default -> SqlText.appendNull(out); // NULL_TYPE: the column of a bare NULL holds nothing else
                }
                at += width;
            }
            if (at != end) {
                throw malformed(kinds.length, end);
            }
            out.write((byte) ')');
        }

        /** A length-prefixed value: text, blobs, decimals, bits, enums, sets, JSON, spatial values. */
        private int appendString(SqlText.ByteSink out, int column, byte[] bytes, int at, int end) {
            if (at >= end) {
                throw malformed(column, end);
            }
            int first = bytes[at++] & 0xff;
            long length;
            if (first < TWO_BYTE_LENGTH) {
                length = first;
            } else if (first == TWO_BYTE_LENGTH) {
                length = littleEndian(bytes, at, 2, end, column);
                at += 2;
            } else if (first == THREE_BYTE_LENGTH) {
                length = littleEndian(bytes, at, 3, end, column);
                at += 3;
            } else if (first == EIGHT_BYTE_LENGTH) {
                length = littleEndian(bytes, at, 8, end, column);
                at += 8;
            } else {
                throw malformed(column, end); // 0xfb marks NULL only in the text protocol; 0xff is not a length
            }
            if (length < 0 || length > end - at) {
                throw malformed(column, end);
            }
            SqlText.append(out, kinds[column], bytes, at, (int) length);
            return at + (int) length;
        }

        private long littleEndian(byte[] bytes, int at, int count, int end, int column) {
            if (count > end - at) {
                throw malformed(column, end);
            }
            long value = 0;
            for (int i = count - 1; i >= 0; i--) {
                value = value << 8 | (bytes[at + i] & 0xff);
            }
            return value;
        }

        private IllegalStateException malformed(int column, int end) {
            return new IllegalStateException("a row packet of " + end + " bytes does not hold " + kinds.length
                    + " values (stopped at value " + (column + 1) + "); the dump is discarded");
        }
    }

    /**
     * Reads each value through the public JDBC API of the same binary-protocol result. {@code getBytes} of a date,
     * time or year gives the value's fields as the binary protocol sends them, which the same writers as the packet
     * reader's turn into text; every other value comes from the accessor of its type.
     */
    private static final class JdbcRows extends StreamedRows {
        private enum Reader { INTEGER, DECIMAL_TEXT, FLOAT, DOUBLE, YEAR, DATE, DATETIME, TIME, BYTES }

        private final ResultSet result;
        private final SqlText.Kind[] kinds;
        private final Reader[] readers;

        JdbcRows(ResultSet result, List<SnapshotSchema.Column> columns, SqlText.Kind[] kinds) throws SQLException {
            int count = result.getMetaData().getColumnCount();
            if (count != columns.size()) {
                throw new IllegalStateException("the query returned " + count + " columns, not the "
                        + columns.size() + " the table has");
            }
            this.result = result;
            this.kinds = kinds;
            this.readers = new Reader[count];
            for (int i = 0; i < count; i++) {
                readers[i] = switch (columns.get(i).dataType().toLowerCase(Locale.ROOT)) {
                    case "tinyint", "smallint", "mediumint", "int", "integer" -> Reader.INTEGER;
                    case "bigint" -> Reader.DECIMAL_TEXT; // an unsigned one may be above Long.MAX_VALUE
                    case "float" -> Reader.FLOAT;
                    case "double", "real" -> Reader.DOUBLE;
                    case "year" -> Reader.YEAR;
                    case "date" -> Reader.DATE;
                    case "datetime", "timestamp" -> Reader.DATETIME;
                    case "time" -> Reader.TIME;
                    default -> Reader.BYTES;
                };
            }
        }

        @Override
        boolean next() throws SQLException {
            return result.next();
        }

        @Override
        void appendTuple(SqlText.ByteSink out) throws SQLException {
            out.write((byte) '(');
            for (int i = 0; i < readers.length; i++) {
                if (i > 0) {
                    out.write((byte) ',');
                }
                int column = i + 1;
                byte[] bytes = result.getBytes(column);
                if (bytes == null) {
                    SqlText.appendNull(out);
                    continue;
                }
                switch (readers[i]) {
                    case INTEGER -> SqlText.appendInteger(out, result.getLong(column));
                    case DECIMAL_TEXT -> SqlText.appendAscii(out, result.getString(column));
                    case FLOAT -> SqlText.appendDouble(out, result.getFloat(column));
                    case DOUBLE -> SqlText.appendDouble(out, result.getDouble(column));
                    case YEAR -> {
                        if (bytes.length != 2) {
                            throw new IllegalStateException("a year value of " + bytes.length + " bytes; the dump"
                                    + " is discarded");
                        }
                        SqlText.appendInteger(out, (short) SHORT_LE.get(bytes, 0) & 0xffff);
                    }
                    case DATE, DATETIME -> SqlText.appendDateTime(out, readers[i] == Reader.DATE, bytes, 0,
                            bytes.length);
                    case TIME -> SqlText.appendTime(out, bytes, 0, bytes.length);
                    case BYTES -> SqlText.append(out, kinds[i], bytes, 0, bytes.length);
                }
            }
            out.write((byte) ')');
        }
    }
}
