package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.format.Sha256;
import io.jenkins.plugins.mysqllifecycle.engine.BinlogCoordinates;
import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sees every byte of a dump once, on its way into the dump file: counts and hashes what the file holds and keeps two
 * small windows of the SQL (the head, for the server version, and the tail, for the completion line). Memory is one
 * buffer and those windows, whatever the dump's size.
 *
 * <p>Two ways in. {@link #streaming} is an output stream the host writes the dump tool's output into, from the
 * thread that receives it (the pipe's reader, or the SSH session's own thread, so no hand-over between threads per
 * packet); it compresses into the file. {@link #following} is for an uncompressed dump on this machine: the tool
 * writes the file itself, as {@code mariadb-dump > file} would, and the copier reads behind it, which spares the
 * tool a pipe that wakes a reader for each of its 4 KiB writes.
 */
public abstract class DumpCopier {
    static final String COMPLETION_LINE = "-- Dump completed";
    private static final Pattern SERVER_VERSION = Pattern.compile("-- Server version\\s+(\\S+)");
    private static final int BUFFER_BYTES = 1024 * 1024;
    private static final int HEAD_BYTES = 4096;
    /**
     * The tail holds the completion line, and before it MariaDB's deferred {@code gtid_slave_pos} comment with the
     * statements that end a dump (about 600 bytes, and the GTID position).
     */
    private static final int TAIL_BYTES = 4096;
    /** MariaDB's tool with --master-data=2: the file and position of its snapshot, near the head. */
    private static final Pattern MASTER_POSITION = Pattern.compile(
            "\n-- CHANGE MASTER TO MASTER_LOG_FILE='([^']+)', MASTER_LOG_POS=(\\d+);");
    /** MariaDB's tool with --gtid: the GTID position of the same snapshot, deferred to the tail. */
    private static final Pattern GTID_POSITION = Pattern.compile("\n-- SET GLOBAL gtid_slave_pos='([^']*)';");

    private final byte[] head = new byte[HEAD_BYTES];
    private int headLength;
    private final byte[] tail = new byte[TAIL_BYTES];
    private volatile long rawBytes;
    final MessageDigest fileDigest = Sha256.newDigest();
    volatile long fileBytes;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Throwable failure;

    /** The SQL written to {@link Streaming#input()} goes through {@code compression} into {@code channel}. */
    static Streaming streaming(FileChannel channel, Compression compression) {
        return new Streaming(channel, compression);
    }

    /**
     * Reads {@code channel} from its start, on a thread of its own, while another process appends to it, until
     * {@code writerDone} says that process has exited and everything it wrote has been read.
     */
    static DumpCopier following(FileChannel channel, BooleanSupplier writerDone, String threadName) {
        Following following = new Following(channel, writerDone);
        Thread thread = new Thread(following::run, threadName);
        thread.setDaemon(true);
        thread.start();
        return following;
    }

    /** The first end counts: a failure after the end (or a second end) changes nothing. */
    final void end(Throwable failure) {
        if (ended.getCount() > 0) {
            this.failure = failure;
            ended.countDown();
        }
    }

    final boolean hasEnded() {
        return ended.getCount() == 0;
    }

    /**
     * Waits at most {@code nanos} for the dump's output to end; true once it has.
     *
     * @throws IOException how the copy failed (a full disk, say)
     */
    final boolean awaitEnd(long nanos) throws IOException, InterruptedException {
        if (!ended.await(nanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        Throwable failed = failure;
        if (failed instanceof IOException io) {
            throw io;
        }
        if (failed != null) {
            throw new IOException("the dump copy failed: " + failed, failed);
        }
        return true;
    }

    /** Records a chunk of SQL as the dump tool wrote it. */
    final void sawSql(byte[] buffer, int offset, int n) {
        if (headLength < HEAD_BYTES) {
            int take = Math.min(n, HEAD_BYTES - headLength);
            System.arraycopy(buffer, offset, head, headLength, take);
            headLength += take;
        }
        if (n >= TAIL_BYTES) {
            System.arraycopy(buffer, offset + n - TAIL_BYTES, tail, 0, TAIL_BYTES);
        } else {
            System.arraycopy(tail, n, tail, 0, TAIL_BYTES - n);
            System.arraycopy(buffer, offset, tail, TAIL_BYTES - n, n);
        }
        rawBytes += n;
    }

    long rawBytes() {
        return rawBytes;
    }

    long fileBytes() {
        return fileBytes;
    }

    String sha256() {
        return Sha256.hex(fileDigest);
    }

    /** Whether the dump tool wrote its last line: without it the dump is incomplete whatever the exit code. */
    boolean endsWithCompletionLine() {
        return new String(tail, StandardCharsets.ISO_8859_1).contains(COMPLETION_LINE);
    }

    /**
     * Where the tool's snapshot stands in the binary log, as MariaDB's tool wrote it with --master-data=2 --gtid;
     * null when the output does not say.
     */
    BinlogCoordinates binlogCoordinates() {
        Matcher position = MASTER_POSITION.matcher(new String(head, 0, headLength, StandardCharsets.UTF_8));
        if (!position.find()) {
            return null;
        }
        Matcher gtid = GTID_POSITION.matcher(new String(tail, StandardCharsets.UTF_8));
        return BinlogCoordinates.at(position.group(1), Long.parseLong(position.group(2)),
                gtid.find() ? gtid.group(1) : null);
    }

    String serverVersion() {
        Matcher matcher = SERVER_VERSION.matcher(new String(head, 0, headLength, StandardCharsets.UTF_8));
        return matcher.find() ? matcher.group(1) : "unknown";
    }

    static final class Streaming extends DumpCopier {
        private final FileChannel channel;
        private final Compression compression;
        private final OutputStream input = new Input();
        private OutputStream compressed;

        Streaming(FileChannel channel, Compression compression) {
            this.channel = channel;
            this.compression = compression;
        }

        /** Where the dump tool's output goes; closing it ends the copy. Flushes are ignored (see {@link Input}). */
        OutputStream input() {
            return input;
        }

        /**
         * Compresses into the file. Flush does nothing: a sender may flush after each packet, and a compressor that
         * flushed as often would write worse and slower; close finishes the compression.
         */
        private final class Input extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) throws IOException {
                if (hasEnded()) {
                    throw new IOException("the dump copy has already ended");
                }
                try {
                    if (compressed == null) {
                        compressed = compression.wrap(new HashingChannelStream());
                    }
                    sawSql(b, off, len);
                    compressed.write(b, off, len);
                } catch (IOException | RuntimeException e) {
                    end(e);
                    throw e;
                }
            }

            @Override
            public void flush() {
                // see the class comment
            }

            @Override
            public synchronized void close() {
                if (hasEnded()) {
                    return;
                }
                try {
                    if (compressed == null) {
                        compressed = compression.wrap(new HashingChannelStream());
                    }
                    compressed.close();
                    end(null);
                } catch (IOException | RuntimeException e) {
                    end(e);
                }
            }
        }

        /** Writes to the channel its owner forces to disk and closes, hashing and counting every byte. */
        private final class HashingChannelStream extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                fileDigest.update(b, off, len);
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                fileBytes += len;
            }

            @Override
            public void close() {
                // the channel stays open: its owner forces it to disk before closing it
            }
        }
    }

    private static final class Following extends DumpCopier {
        /** How long to let the writer get ahead when the reader has caught up: about 1 MB of a dump. */
        private static final long CAUGHT_UP_PAUSE_MILLIS = 10;

        private final FileChannel channel;
        private final BooleanSupplier writerDone;

        Following(FileChannel channel, BooleanSupplier writerDone) {
            this.channel = channel;
            this.writerDone = writerDone;
        }

        void run() {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
            long position = 0;
            try {
                while (true) {
                    // asked before reading, so that a read after the writer ended sees all it wrote
                    boolean done = writerDone.getAsBoolean();
                    int n = channel.read(buffer.clear(), position);
                    if (n > 0) {
                        sawSql(buffer.array(), 0, n);
                        fileDigest.update(buffer.array(), 0, n);
                        position += n;
                        fileBytes = position;
                    } else if (done) {
                        end(null);
                        return;
                    } else {
                        Thread.sleep(CAUGHT_UP_PAUSE_MILLIS);
                    }
                }
            } catch (IOException | RuntimeException e) {
                end(e);
            } catch (InterruptedException e) {
                end(e);
                Thread.currentThread().interrupt();
            }
        }
    }
}
