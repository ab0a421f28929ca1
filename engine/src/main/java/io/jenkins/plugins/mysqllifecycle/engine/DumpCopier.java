package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams a dump tool's output through compression into a file, hashing the bytes as they are written. Memory is
 * one buffer and two small windows (the head, for the server version, and the tail, for the completion line),
 * whatever the dump's size.
 */
final class DumpCopier implements Callable<DumpCopier> {
    static final String COMPLETION_LINE = "-- Dump completed";
    private static final Pattern SERVER_VERSION = Pattern.compile("-- Server version\\s+(\\S+)");
    private static final int BUFFER_BYTES = 128 * 1024;
    private static final int HEAD_BYTES = 4096;
    private static final int TAIL_BYTES = 256;

    private final InputStream in;
    private final HashingChannelStream file;
    private final Compression compression;
    private final byte[] head = new byte[HEAD_BYTES];
    private int headLength;
    private final byte[] tail = new byte[TAIL_BYTES];
    private volatile long rawBytes;

    DumpCopier(InputStream in, FileChannel channel, Compression compression) {
        this.in = in;
        this.file = new HashingChannelStream(channel);
        this.compression = compression;
    }

    @Override
    public DumpCopier call() throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        try (OutputStream out = compression.wrap(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                remember(buffer, n);
                out.write(buffer, 0, n);
                rawBytes += n;
            }
        }
        return this;
    }

    private void remember(byte[] buffer, int n) {
        if (headLength < HEAD_BYTES) {
            int take = Math.min(n, HEAD_BYTES - headLength);
            System.arraycopy(buffer, 0, head, headLength, take);
            headLength += take;
        }
        if (n >= TAIL_BYTES) {
            System.arraycopy(buffer, n - TAIL_BYTES, tail, 0, TAIL_BYTES);
        } else {
            System.arraycopy(tail, n, tail, 0, TAIL_BYTES - n);
            System.arraycopy(buffer, 0, tail, TAIL_BYTES - n, n);
        }
    }

    long rawBytes() {
        return rawBytes;
    }

    long fileBytes() {
        return file.bytes;
    }

    String sha256() {
        return HexFormat.of().formatHex(file.digest.digest());
    }

    /** Whether the dump tool wrote its last line: without it the dump is incomplete whatever the exit code. */
    boolean endsWithCompletionLine() {
        return new String(tail, StandardCharsets.ISO_8859_1).contains(COMPLETION_LINE);
    }

    String serverVersion() {
        Matcher matcher = SERVER_VERSION.matcher(new String(head, 0, headLength, StandardCharsets.UTF_8));
        return matcher.find() ? matcher.group(1) : "unknown";
    }

    /** Writes to a channel the caller owns (and forces to disk), counting and hashing every byte. */
    private static final class HashingChannelStream extends OutputStream {
        private final FileChannel channel;
        private final MessageDigest digest;
        private volatile long bytes;

        HashingChannelStream(FileChannel channel) {
            this.channel = channel;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            digest.update(b, off, len);
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            bytes += len;
        }

        @Override
        public void close() {
            // the channel stays open: its owner forces it to disk before closing it
        }
    }
}
