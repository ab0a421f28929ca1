package io.jenkins.plugins.mysqllifecycle.engine.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Drains a stream on its own thread and keeps its last bytes: enough for an error message, never a whole dump. */
public final class OutputTail {
    static final int DEFAULT_LIMIT = 64 * 1024;

    private final byte[] ring;
    private long total;
    private final Thread reader;

    public OutputTail(InputStream in, String threadName) {
        this(in, threadName, DEFAULT_LIMIT);
    }

    public OutputTail(InputStream in, String threadName, int limit) {
        this.ring = new byte[limit];
        this.reader = new Thread(() -> drain(in), threadName);
        reader.setDaemon(true);
        reader.start();
    }

    private void drain(InputStream in) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                append(buffer, n);
            }
        } catch (IOException closed) {
            // the process ended or was destroyed; what was read is kept
        }
    }

    private synchronized void append(byte[] buffer, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) (total++ % ring.length)] = buffer[i];
        }
    }

    /** Waits (bounded) for the stream to reach its end, then returns what was kept. */
    public String awaitText(long maxWaitMillis) throws InterruptedException {
        reader.join(Math.max(1, maxWaitMillis));
        return text();
    }

    public synchronized String text() {
        int kept = (int) Math.min(total, ring.length);
        byte[] out = new byte[kept];
        long start = total - kept;
        for (int i = 0; i < kept; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
