package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.sql.SqlText;
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

/**
 * The rows of a streamed binary-protocol result (a server-side prepared SELECT), each written as an SQL tuple
 * straight from the packet it arrived in.
 *
 * <p>Why the binary protocol: in the text protocol the server formats every number and date as text, and a DOUBLE's
 * shortest exact text is dear: streaming the bench table took the server 1.7 CPU-s per 1.16 M rows as text and 1.0 as
 * binary rows (the DOUBLE column alone 0.87 against 0.37), and on a machine where server and dump share the cores the
 * server's CPU is what a dump waits for. The engine writes those values itself, each exact: integers in decimal,
 * doubles with Java's round-trip text, dates and times from their fields.
 *
 * <p>Why not {@code ResultSet.getBytes} or {@code getObject}: each takes the connection's lock, decodes the value's
 * position again and makes an object or array per value; for a dump that was most of the client's CPU (profiled:
 * about 60 %). A streamed row keeps its packet (Connector/J reuses one buffer per connection), so the values are read
 * here from that buffer. Connector/J still reads the packets, checks for errors and ends the result, so its
 * connection state stays its own. The packet is not public API: the engine pins the Connector/J version, and a
 * version that keeps its row elsewhere fails here at once, loudly (every parallel dump test reads rows through this
 * class).
 */
final class StreamedRows {
    private static final VarHandle PACKET;
    private static final VarHandle ROW_START;
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(AbstractBufferRow.class,
                    MethodHandles.lookup());
            PACKET = lookup.findVarHandle(AbstractBufferRow.class, "rowFromServer", NativePacketPayload.class);
            ROW_START = lookup.findVarHandle(AbstractBufferRow.class, "homePosition", int.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("This Connector/J keeps a row's packet elsewhere than the version the"
                    + " engine was built with; build the engine with its own Connector/J version. " + e, e);
        }
    }

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

    private StreamedRows(ResultSet result, SqlText.Kind[] kinds) {
        Resultset resultset = (Resultset) result;
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
     * The rows of a result of a statement from {@link #prepare}; {@code kinds}, one per column, says how a value that
     * arrives as a string is written.
     */
    static StreamedRows of(ResultSet result, SqlText.Kind[] kinds) {
        return new StreamedRows(result, kinds);
    }

    /** Moves to the next row; false when there is none left. */
    boolean next() {
        Row row = rows.next(); // a streamed row list says null at its end
        if (row == null) {
            current = null;
            return false;
        }
        if (!(row instanceof AbstractBufferRow buffered) || !buffered.isBinaryEncoded()) {
            throw new IllegalStateException("Connector/J returned a " + row.getClass().getName() + " for a streamed"
                    + " row; only a binary buffered row keeps its packet in the layout read here");
        }
        current = buffered;
        return true;
    }

    /** Appends the current row as {@code (value,value,...)}. */
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
