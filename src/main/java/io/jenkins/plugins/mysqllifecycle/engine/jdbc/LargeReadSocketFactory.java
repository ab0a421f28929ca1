package io.jenkins.plugins.mysqllifecycle.engine.jdbc;

import com.mysql.cj.conf.PropertySet;
import com.mysql.cj.protocol.StandardSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * Connector/J's own socket, read in large gulps. Connector/J reads a socket 16 KiB at a time and asks the kernel how
 * much is waiting before each read, so a dump's 1.3 GB of rows cost about 160,000 system calls on the client; a dump
 * with this factory makes one read per 256 KiB waiting and answers the question from its buffer. Measured with the
 * parallel dump, that took about 0.4 CPU-s of the client's system time off every 1.3 GB (docs/benchmarks.md).
 *
 * <p>Public with a public constructor because Connector/J makes it by name (its {@code socketFactory} property) in
 * its own class loader, the one the engine shares.
 */
public final class LargeReadSocketFactory extends StandardSocketFactory {
    static final int BUFFER_BYTES = 256 * 1024;

    public LargeReadSocketFactory() {
    }

    @Override
    protected Socket createSocket(PropertySet props) {
        return new Socket() {
            private InputStream input;

            @Override
            public synchronized InputStream getInputStream() throws IOException {
                if (input == null) {
                    input = new LargeReads(super.getInputStream(), BUFFER_BYTES);
                }
                return input;
            }
        };
    }

    /**
     * Hands out what one read of the socket returned before it reads again. Never blocks for more than the socket
     * has: a read returns what is buffered, or what one read of the socket brings.
     */
    public static final class LargeReads extends InputStream {
        private final InputStream socket;
        private final byte[] buffer;
        private int position;
        private int end;

        LargeReads(InputStream socket, int bufferBytes) {
            this.socket = socket;
            this.buffer = new byte[bufferBytes];
        }

        @Override
        public int read() throws IOException {
            if (position == end && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (position == end && !fill()) {
                return -1;
            }
            int n = Math.min(len, end - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }

        private boolean fill() throws IOException {
            int n = socket.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            end = n;
            return true;
        }

        /** What is buffered: no system call, and Connector/J reads ahead only that far. */
        @Override
        public int available() {
            return end - position;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
