package io.jenkins.plugins.mysqllifecycle.engine.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** The digest manifests and metadata record: SHA-256 of every byte on disk, in lower-case hex. */
public final class Sha256 {
    private static final int BUFFER_BYTES = 256 * 1024;
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private Sha256() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Finishes {@code digest} and returns it in hex. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    /**
     * The digest of a file, read without following a symbolic link.
     *
     * @throws InterruptedException when the reading thread is interrupted (the channel closes then)
     */
    public static String ofFile(Path file) throws IOException, InterruptedException {
        MessageDigest digest = newDigest();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
            while (channel.read(buffer.clear()) >= 0) {
                digest.update(buffer.flip());
            }
        } catch (ClosedByInterruptException e) {
            Thread.interrupted();
            throw new InterruptedException("interrupted while reading " + file);
        }
        return hex(digest);
    }

    /** {@code value} as a digest this tool writes, in lower case; null when it is not 64 hex digits. */
    public static String parse(Object value) {
        return value instanceof String text && HEX.matcher(text).matches() ? text.toLowerCase(Locale.ROOT) : null;
    }
}
