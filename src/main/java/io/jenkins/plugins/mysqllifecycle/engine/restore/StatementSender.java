package io.jenkins.plugins.mysqllifecycle.engine.restore;

import com.mysql.cj.NativeSession;
import com.mysql.cj.Query;
import com.mysql.cj.exceptions.CJException;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.jdbc.StatementImpl;
import com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping;
import com.mysql.cj.jdbc.result.ResultSetFactory;
import com.mysql.cj.jdbc.result.ResultSetImpl;
import com.mysql.cj.protocol.ColumnDefinition;
import com.mysql.cj.protocol.ProtocolEntityFactory;
import com.mysql.cj.protocol.ServerSession;
import com.mysql.cj.protocol.a.NativePacketPayload;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs statements read from a dump's files, given as their bytes in a buffer that is filled again for the next one.
 *
 * <p>Why not {@code Statement.execute(String)} alone: Connector/J builds each statement's packet in a new array of
 * four bytes per char (9.1: {@code NativeMessageBuilder.buildComQuery}), beside the statement's String and its
 * encoded bytes: about 6 MiB of garbage for each 1 MiB statement of a dump. In a 64 MiB heap that meant a full
 * collection every few statements, about 0.3 s of pauses per 100 MB restored, every connection stopped meanwhile
 * (measured with {@code -Xlog:gc}). {@link Packets} hands Connector/J the statement's own buffer as the packet,
 * and Connector/J still sends it, reads the answer and turns an error into an {@link SQLException} with the
 * server's code and message. That packet is not public API, and in Jenkins Connector/J comes from the mysql-api
 * plugin, which users upgrade on their own: when this Connector/J lacks what {@link Packets} uses, {@link Jdbc} runs
 * each statement through the public JDBC API (slower, the same statements) and the log says so once. Setting the
 * system property {@value Restorer#STATEMENT_SENDER_PROPERTY} to {@code jdbc} chooses it outright.
 *
 * <p>A sender is used by one thread at a time, that of its connection's worker; closing the connection closes it.
 */
abstract class StatementSender {
    /** Why {@link Packets} cannot run on this Connector/J; null when it can. */
    static final String PACKETS_UNAVAILABLE = probePackets();
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private static String probePackets() {
        try {
            NativeSession.class.getMethod("execSQL", Query.class, String.class, int.class, NativePacketPayload.class,
                    boolean.class, ProtocolEntityFactory.class, ColumnDefinition.class, boolean.class);
            NativePacketPayload.class.getConstructor(int.class);
            NativePacketPayload.class.getMethod("setByteBuffer", byte[].class);
            NativePacketPayload.class.getMethod("setTag", String.class);
            ServerSession.class.getMethod("supportsQueryAttributes");
            ResultSetFactory.class.getConstructor(JdbcConnection.class, StatementImpl.class);
            return null;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return e.toString();
        }
    }

    /** The sender for {@code connection}: {@link Packets} where this Connector/J allows it. */
    static StatementSender of(Connection connection, Log log) throws SQLException {
        if ("jdbc".equals(System.getProperty(Restorer.STATEMENT_SENDER_PROPERTY))) {
            return new Jdbc(connection);
        }
        String unavailable = PACKETS_UNAVAILABLE;
        if (unavailable == null) {
            try {
                return new Packets(connection);
            } catch (ClassCastException | LinkageError e) {
                unavailable = e.toString();
            }
        }
        if (FALLBACK_LOGGED.compareAndSet(false, true)) {
            log.info("this Connector/J does not let statements be sent from their own buffer (" + unavailable
                    + "); they go through its JDBC API, which is slower");
        }
        return new Jdbc(connection);
    }

    /** The buffers this sender's statements are split into and sent from, file after file. */
    final FileStatements.Buffers buffers = new FileStatements.Buffers();

    /** How many bytes a buffer keeps free before the statement, for the packet's header. */
    abstract int prefixBytes();

    /**
     * Runs the statement in {@code buffer} from {@link #prefixBytes()} to {@code end}; the bytes before it are this
     * sender's to write. Returns the rows it changed.
     */
    abstract long execute(byte[] buffer, int end) throws SQLException;

    /** The statement's bytes are the packet of a COM_QUERY command. */
    private static final class Packets extends StatementSender {
        private static final byte COM_QUERY = 3;

        private final StatementImpl statement;
        private final NativeSession session;
        private final ResultSetFactory results;
        /** MySQL 8.0.23 and later (not MariaDB) read query attributes before the statement: here, none. */
        private final boolean queryAttributes;
        private final NativePacketPayload packet = new NativePacketPayload(0);

        Packets(Connection connection) throws SQLException {
            JdbcConnection jdbc = connection.unwrap(JdbcConnection.class);
            this.session = (NativeSession) jdbc.getSession();
            this.statement = jdbc.createStatement().unwrap(StatementImpl.class);
            this.results = new ResultSetFactory(jdbc, statement);
            this.queryAttributes = session.getServerSession().supportsQueryAttributes();
        }

        @Override
        int prefixBytes() {
            return queryAttributes ? 3 : 1;
        }

        @Override
        long execute(byte[] buffer, int end) throws SQLException {
            buffer[0] = COM_QUERY;
            if (queryAttributes) {
                buffer[1] = 0; // no attributes
                buffer[2] = 1; // in one set
            }
            packet.setByteBuffer(buffer);
            packet.setPosition(prefixBytes());
            packet.setTag("QUERY");
            packet.setPosition(end);
            try {
                ResultSetImpl result = session.execSQL(null, null, -1, packet, false, results, null, false);
                return result.getUpdateCount();
            } catch (CJException e) {
                throw SQLExceptionsMapping.translateException(e);
            }
        }
    }

    /**
     * The public JDBC API: the bytes read as ISO-8859-1, which a connection of {@code openForFileStatements} sends as
     * they are.
     */
    private static final class Jdbc extends StatementSender {
        private final Statement statement;

        Jdbc(Connection connection) throws SQLException {
            this.statement = connection.createStatement();
            // the files are plain SQL: a '{' in a value or body is not JDBC syntax
            statement.setEscapeProcessing(false);
        }

        @Override
        int prefixBytes() {
            return 0;
        }

        @Override
        long execute(byte[] buffer, int end) throws SQLException {
            statement.execute(new String(buffer, 0, end, StandardCharsets.ISO_8859_1));
            return Math.max(0, statement.getUpdateCount());
        }
    }
}
