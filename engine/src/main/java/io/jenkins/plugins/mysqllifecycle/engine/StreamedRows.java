package io.jenkins.plugins.mysqllifecycle.engine;

import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.ResultsetRows;
import com.mysql.cj.protocol.a.NativePacketPayload;
import com.mysql.cj.protocol.a.result.AbstractBufferRow;
import com.mysql.cj.result.Row;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.ResultSet;

/**
 * The rows of a streamed Connector/J result, each written as an SQL tuple straight from the packet it arrived in.
 *
 * <p>Why not {@code ResultSet.getBytes}: it takes the connection's lock for every value, and Connector/J's row then
 * decodes the value's length three times and copies the value into a new array; for a dump that is most of the
 * client's CPU (profiled: about 60 %). A streamed row keeps its packet (Connector/J reuses one buffer per
 * connection), so the values are read here from that buffer: one length decode and no copy before the escaping.
 * Connector/J still reads the packets, checks for errors and ends the result, so its connection state stays its own.
 * The packet is not public API: the engine pins the Connector/J version, and a version that keeps its row elsewhere
 * fails here at once, loudly (every parallel dump test reads rows through this class).
 */
final class StreamedRows {
    private static final VarHandle PACKET;
    private static final VarHandle ROW_START;

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

    private static final int NULL_VALUE = 0xfb;
    private static final int TWO_BYTE_LENGTH = 0xfc;
    private static final int THREE_BYTE_LENGTH = 0xfd;

    private final ResultsetRows rows;
    private final SqlText.Kind[] kinds;
    private AbstractBufferRow current;

    /** {@code result} must stream (fetch size {@code Integer.MIN_VALUE}); {@code kinds} is one per column. */
    StreamedRows(ResultSet result, SqlText.Kind[] kinds) {
        this.rows = ((Resultset) result).getRows();
        this.kinds = kinds;
    }

    /** Moves to the next row; false when there is none left. */
    boolean next() {
        Row row = rows.next(); // a streamed row list says null at its end
        if (row == null) {
            current = null;
            return false;
        }
        if (!(row instanceof AbstractBufferRow buffered)) {
            throw new IllegalStateException("Connector/J returned a " + row.getClass().getName() + " for a streamed"
                    + " row; only a buffered row keeps its packet");
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
        out.write((byte) '(');
        for (int i = 0; i < kinds.length; i++) {
            if (i > 0) {
                out.write((byte) ',');
            }
            int first = bytes[at++] & 0xff;
            long length;
            if (first < NULL_VALUE) {
                length = first;
            } else if (first == NULL_VALUE) {
                SqlText.appendNull(out);
                continue;
            } else if (first == TWO_BYTE_LENGTH) {
                length = littleEndian(bytes, at, 2);
                at += 2;
            } else if (first == THREE_BYTE_LENGTH) {
                length = littleEndian(bytes, at, 3);
                at += 3;
            } else {
                length = littleEndian(bytes, at, 8);
                at += 8;
            }
            if (length < 0 || length > end - at) {
                throw malformed(i, end);
            }
            SqlText.append(out, kinds[i], bytes, at, (int) length);
            at += (int) length;
        }
        if (at != end) {
            throw malformed(kinds.length, end);
        }
        out.write((byte) ')');
    }

    private static long littleEndian(byte[] bytes, int at, int count) {
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
