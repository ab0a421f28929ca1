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
 * <p>A statement is handed over in one of a few buffers, each used again once its statement has run, with
 * {@code prefixBytes} left free before the statement for the sender's packet header (see {@link StatementSender}).
 * So memory is those buffers whatever the file's size, and nothing is allocated per statement.
 */
final class FileStatements implements AutoCloseable {
    /**
     * Statements split ahead of the one being run: splitting takes about 1 ms per MiB here, running a statement 30,
     * so one is enough for the connection never to wait.
     */
    private static final int AHEAD = 1;
    /** A statement of this tool's dumps stops growing past 1 MiB (then ends with its row); buffers grow beyond. */
    private static final int BUFFER_BYTES = 1024 * 1024 + 64 * 1024;
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

    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(AHEAD + 1);
    /** Buffers free to fill: one being filled, {@link #AHEAD} waiting, one being run. */
    private final BlockingQueue<SqlText.ByteSink> free = new ArrayBlockingQueue<>(AHEAD + 2);
    private final InputStream in;
    private final String fileName;
    private final int prefixBytes;
    private final Thread splitter;
    private boolean ended;

    private FileStatements(InputStream in, String fileName, int prefixBytes) {
        this.in = in;
        this.fileName = fileName;
        this.prefixBytes = prefixBytes;
        for (int i = 0; i < AHEAD + 2; i++) {
            free.add(new SqlText.ByteSink(BUFFER_BYTES));
        }
        this.splitter = new Thread(this::split, "mysql-lifecycle restore split " + fileName);
        splitter.setDaemon(true);
    }

    /**
     * Starts splitting {@code in}, which this closes; {@code fileName} names the file in errors; each statement's
     * buffer keeps {@code prefixBytes} free before it.
     */
    static FileStatements start(InputStream in, String fileName, int prefixBytes) {
        FileStatements statements = new FileStatements(in, fileName, prefixBytes);
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

    /** Stops the splitting, when the statements were not all taken (a statement failed, say). */
    @Override
    public void close() throws InterruptedException {
        splitter.interrupt();
        splitter.join();
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
        SqlText.ByteSink statement = emptyBuffer();
        byte[] buffer = new byte[READ_BYTES];
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

    /** A free buffer, emptied, with its prefix kept free. */
    private SqlText.ByteSink emptyBuffer() throws InterruptedException {
        SqlText.ByteSink buffer = free.take();
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
