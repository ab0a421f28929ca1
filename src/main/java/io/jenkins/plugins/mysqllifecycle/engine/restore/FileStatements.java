package io.jenkins.plugins.mysqllifecycle.engine.restore;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.sql.SqlText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The statements of one of this tool's files, split on a thread of their own while the connection runs the ones
 * before. Split on the connection's own thread, the server waited for the client between two statements and the
 * client for the server during each: a directory restore kept two cores only 1.4 busy (measured), where myloader,
 * whose client does almost nothing, kept them 1.9 busy.
 *
 * <p>Each statement ends with ';' at the end of a line and no value holds a raw line break (the dump escapes them),
 * so statements split at those line ends. A stored routine's body holds ';' and line breaks of its own: it stands
 * between {@code DELIMITER x} and {@code DELIMITER ;} lines, as the mariadb client reads it, and ends with x at the
 * end of a line (x is one the body does not hold).
 *
 * <p>A statement is handed over in one of a connection's few {@link Buffers}, each used again once its statement has
 * run, file after file, with {@code prefixBytes} left free before the statement for the sender's packet header (see
 * {@link StatementSender}). So memory is those buffers whatever the size and number of the files, and no buffer is
 * allocated per statement.
 */
final class FileStatements implements AutoCloseable {
    /**
     * Statements split ahead of the one being run: splitting takes about 1 ms per MiB here, running a statement 30,
     * so one is enough for the connection never to wait.
     */
    private static final int AHEAD = 1;
    /** A buffer's first size; it grows to the largest statement it holds (this tool's stop growing past 1 MiB). */
    private static final int FIRST_BUFFER_BYTES = 64 * 1024;
    private static final int READ_BYTES = 256 * 1024;
    private static final byte[] DELIMITER_COMMAND = "DELIMITER ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INSERT = "INSERT".getBytes(StandardCharsets.US_ASCII);

    /**
     * A statement, from {@code prefixBytes} to the end of {@code bytes}, and its number in the file, counted from 1.
     * Given back with {@link #done} once it has run.
     */
    record Statement(SqlText.ByteSink bytes, int number) {
    }

    /** What the splitting thread hands over after the last statement: null when the file ended well. */
    private record End(Exception failure) {
    }

    /**
     * A connection's buffers: one being filled, {@link #AHEAD} waiting, one being run. Used by one file at a time;
     * every buffer is back once that file's {@link FileStatements} is closed.
     */
    static final class Buffers {
        private final BlockingQueue<SqlText.ByteSink> free = new ArrayBlockingQueue<>(AHEAD + 2);
        /** What the file is read into before it is split. */
        private final byte[] read = new byte[READ_BYTES];

        Buffers() {
            for (int i = 0; i < AHEAD + 2; i++) {
                free.add(new SqlText.ByteSink(FIRST_BUFFER_BYTES));
            }
        }
    }

    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(AHEAD + 1);
    private final BlockingQueue<SqlText.ByteSink> free;
    private final InputStream in;
    private final String fileName;
    private final int prefixBytes;
    private final Thread splitter;
    private boolean ended;
    /** The statement {@link #next} handed out last and not yet given back. */
    private Statement lent;
    /** The buffer the splitting thread fills, not yet handed over. */
    private SqlText.ByteSink filling;
    private final byte[] read;

    private FileStatements(InputStream in, String fileName, int prefixBytes, Buffers buffers) {
        this.in = in;
        this.fileName = fileName;
        this.prefixBytes = prefixBytes;
        this.free = buffers.free;
        this.read = buffers.read;
        this.splitter = new Thread(this::split, "mysql-lifecycle restore split " + fileName);
        splitter.setDaemon(true);
    }

    /**
     * Starts splitting {@code in}, which this closes, into {@code buffers}; {@code fileName} names the file in
     * errors; each statement's buffer keeps {@code prefixBytes} free before it.
     */
    static FileStatements start(InputStream in, String fileName, int prefixBytes, Buffers buffers) {
        FileStatements statements = new FileStatements(in, fileName, prefixBytes, buffers);
        statements.splitter.start();
        return statements;
    }

    /**
     * The next statement, or null after the last.
     *
     * @throws IOException     reading the file failed
     * @throws EngineException the file ends in the middle of a statement
     */
    Statement next() throws IOException, EngineException, InterruptedException {
        if (ended) {
            return null;
        }
        Object next = ready.take();
        if (next instanceof Statement statement) {
            lent = statement;
            return statement;
        }
        ended = true;
        Exception failure = ((End) next).failure();
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof EngineException engine) {
            throw engine;
        }
        if (failure != null) {
            throw new IOException("splitting " + fileName + " into statements failed: " + failure, failure);
        }
        return null;
    }

    /** Gives a statement's buffer back once it has run. */
    void done(Statement statement) {
        if (statement == lent) {
            lent = null;
        }
        free.add(statement.bytes());
    }

    /** Whether the statement inserts rows. */
    boolean isInsert(Statement statement) {
        byte[] bytes = statement.bytes().buffer();
        if (statement.bytes().length() < prefixBytes + INSERT.length) {
            return false;
        }
        for (int i = 0; i < INSERT.length; i++) {
            if (bytes[prefixBytes + i] != INSERT[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stops the splitting, when the statements were not all taken (a statement failed, say), and gives every buffer
     * back.
     */
    @Override
    public void close() throws InterruptedException {
        splitter.interrupt();
        splitter.join();
        for (Object waiting : ready) {
            if (waiting instanceof Statement statement) {
                free.add(statement.bytes());
            }
        }
        ready.clear();
        if (lent != null) {
            done(lent);
        }
    }

    private void split() {
        Exception failure = null;
        try (in) {
            splitInto();
        } catch (IOException | EngineException | RuntimeException e) {
            failure = e;
        } catch (InterruptedException stopped) {
            return; // closed: nobody takes what is left
        }
        try {
            ready.put(new End(failure));
        } catch (InterruptedException stopped) {
            // closed meanwhile
        }
    }

    private void splitInto() throws IOException, EngineException, InterruptedException {
        try {
            splitIntoBuffers();
        } finally {
            if (filling != null) {
                free.add(filling); // the one being filled when the file ended or the splitting stopped
                filling = null;
            }
        }
    }

    private void splitIntoBuffers() throws IOException, EngineException, InterruptedException {
        SqlText.ByteSink statement = emptyBuffer();
        byte[] buffer = read;
        byte[] delimiter = {';'};
        int number = 0;
        int n;
        while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] != '\n') {
                    continue;
                }
                statement.write(buffer, start, i - start);
                start = i + 1;
                byte[] newDelimiter = delimiterLine(statement, prefixBytes);
                if (newDelimiter != null) {
                    delimiter = newDelimiter;
                    statement.setLength(prefixBytes);
                } else if (endsWith(statement, delimiter)) {
                    if (delimiter.length > 1) {
                        statement.setLength(statement.length() - delimiter.length);
                    }
                    number++;
                    ready.put(new Statement(statement, number));
                    filling = null;
                    statement = emptyBuffer();
                } else {
                    statement.write((byte) '\n');
                }
            }
            statement.write(buffer, start, n - start);
        }
        if (!new String(statement.buffer(), prefixBytes, statement.length() - prefixBytes,
                StandardCharsets.ISO_8859_1).isBlank()) {
            throw new EngineException(fileName + " ends in the middle of a statement: the dump is damaged.");
        }
    }

    /** A free buffer, emptied, with its prefix kept free: the one {@link #filling} from now on. */
    private SqlText.ByteSink emptyBuffer() throws InterruptedException {
        SqlText.ByteSink buffer = free.take();
        filling = buffer;
        buffer.clear();
        for (int i = 0; i < prefixBytes; i++) {
            buffer.write((byte) 0);
        }
        return buffer;
    }

    /** The new delimiter when the statement so far (after the prefix) is one {@code DELIMITER x} line, else null. */
    private static byte[] delimiterLine(SqlText.ByteSink statement, int from) {
        int length = statement.length() - from;
        if (length <= DELIMITER_COMMAND.length || length > DELIMITER_COMMAND.length + 16) {
            return null;
        }
        byte[] bytes = statement.buffer();
        for (int i = 0; i < DELIMITER_COMMAND.length; i++) {
            if (bytes[from + i] != DELIMITER_COMMAND[i]) {
                return null;
            }
        }
        for (int i = from + DELIMITER_COMMAND.length; i < from + length; i++) {
            if (bytes[i] == '\n' || bytes[i] == ' ') {
                return null;
            }
        }
        return Arrays.copyOfRange(bytes, from + DELIMITER_COMMAND.length, from + length);
    }

    private static boolean endsWith(SqlText.ByteSink statement, byte[] suffix) {
        int length = statement.length();
        if (length < suffix.length) {
            return false;
        }
        byte[] bytes = statement.buffer();
        for (int i = 0; i < suffix.length; i++) {
            if (bytes[length - suffix.length + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }
}
