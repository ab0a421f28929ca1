package io.jenkins.plugins.mysqllifecycle.engine.jdbc;

import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The version a MySQL or MariaDB server names in the greeting it sends every new connection, before any login, and
 * whether it offers TLS: so the engine learns which server it is about to dump, and whether TLS can be had, without
 * credentials, over TCP or a Unix socket alike. The connection
 * is closed without logging in (the server notes an aborted connection; a successful login from the same host, which
 * follows, clears that count).
 */
public final class ServerGreeting {
    /** Protocol version 10, every server since MySQL 3.21; 0xFF is an error packet (too many connections, say). */
    private static final int PROTOCOL_10 = 10;
    private static final int ERROR_PACKET = 0xFF;
    private static final int MAX_VERSION_BYTES = 256;
    /** The version's NUL, the connection id, the first 8 bytes of the challenge, a filler, 2 bytes of flags. */
    private static final int AFTER_VERSION_BYTES = 1 + 4 + 8 + 1 + 2;
    private static final int CLIENT_SSL = 0x0800;

    private ServerGreeting() {
    }

    /** What a server says of itself before any login. */
    public record Greeting(String version, boolean offersTls) {
    }

    /**
     * The version of the server a client on {@code host} reaches at {@code serverHost:port} or {@code socket}. An
     * IOException says why it could not be asked: a socket on an SSH host, or an address the SSH tunnel cannot
     * reach, cannot be asked from the engine's machine.
     */
    public static String versionOf(Host host, String serverHost, int port, String socket, Duration timeout)
            throws IOException {
        return greetingOf(host, serverHost, port, socket, timeout).version();
    }

    /** The greeting of the server a client on {@code host} reaches, as {@link #versionOf} asks for it. */
    public static Greeting greetingOf(Host host, String serverHost, int port, String socket, Duration timeout)
            throws IOException {
        SocketAddress address;
        if (socket != null) {
            if (!(host instanceof LocalHost)) {
                throw new IOException("a socket on " + host.describe() + " cannot be reached from here");
            }
            address = UnixDomainSocketAddress.of(socket);
        } else if (host instanceof LocalHost) {
            address = new InetSocketAddress(serverHost, port);
        } else if (List.of("127.0.0.1", "localhost", "::1").contains(serverHost)) {
            address = host.loopbackAddress(port);
        } else {
            throw new IOException(serverHost + ":" + port + " is not on the loopback address of " + host.describe()
                    + ", which is all the SSH tunnel reaches");
        }
        return greetingAt(address, timeout);
    }

    /** The server's version text, e.g. "9.7.4-2" or "5.5.5-10.11.19-MariaDB-0+deb12u1". */
    public static String versionAt(SocketAddress address, Duration timeout) throws IOException {
        return greetingAt(address, timeout).version();
    }

    /**
     * The greeting: protocol version, the version text ending in NUL, then a 4-byte connection id, 8 bytes of the
     * login challenge, a filler byte and the low 2 bytes of the server's capability flags, where CLIENT_SSL says
     * whether it accepts TLS.
     */
    private static Greeting greetingAt(SocketAddress address, Duration timeout) throws IOException {
        Deadline deadline = Deadline.after(timeout);
        try (SocketChannel channel = SocketChannel.open(address); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer buffer = ByteBuffer.allocate(4 + 1 + MAX_VERSION_BYTES + AFTER_VERSION_BYTES);
            while (true) {
                if (buffer.position() > 4) {
                    int first = buffer.get(4) & 0xFF;
                    if (first == ERROR_PACKET) {
                        throw new IOException("the server at " + address + " refused the connection: " + new String(
                                buffer.array(), 7, Math.max(0, buffer.position() - 7), StandardCharsets.UTF_8));
                    }
                    if (first != PROTOCOL_10) {
                        throw new IOException("the server at " + address + " does not speak the MySQL protocol"
                                + " (greeting starts with byte " + first + ")");
                    }
                    int end = versionEnd(buffer);
                    if (end < 0 && buffer.position() >= 5 + MAX_VERSION_BYTES) {
                        throw new IOException("the server at " + address + " sent no version in its greeting");
                    }
                    int capabilities = end + AFTER_VERSION_BYTES - 2;
                    if (end >= 0 && buffer.position() >= capabilities + 2) {
                        String version = new String(buffer.array(), 5, end - 5, StandardCharsets.UTF_8);
                        int flags = (buffer.get(capabilities) & 0xFF) | (buffer.get(capabilities + 1) & 0xFF) << 8;
                        return new Greeting(version, (flags & CLIENT_SSL) != 0);
                    }
                }
                if (deadline.hasExpired()) {
                    throw new IOException("the server at " + address + " sent no greeting within "
                            + timeout.toMillis() + " ms");
                }
                selector.select(Math.max(1, deadline.remaining().toMillis()));
                if (channel.read(buffer) < 0) {
                    throw new IOException("the server at " + address + " closed the connection before its"
                            + " greeting");
                }
            }
        }
    }

    /** The position of the NUL that ends the version, or -1 while it has not arrived. */
    private static int versionEnd(ByteBuffer buffer) {
        for (int i = 5; i < buffer.position(); i++) {
            if (buffer.get(i) == 0) {
                return i;
            }
        }
        return -1;
    }
}
