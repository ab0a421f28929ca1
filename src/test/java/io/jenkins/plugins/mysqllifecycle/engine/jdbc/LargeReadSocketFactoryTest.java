package io.jenkins.plugins.mysqllifecycle.engine.jdbc;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The large-read stream over a real loopback socket: every byte once, in order, and no read waits for more. */
class LargeReadSocketFactoryTest {
    @Test
    void everyByteArrivesOnceAndInOrderWhateverTheReadSizes() throws Exception {
        byte[] sent = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(sent);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (Socket peer = listener.accept(); OutputStream out = peer.getOutputStream()) {
                    Random sizes = new Random(11);
                    for (int at = 0; at < sent.length; ) {
                        int n = Math.min(sent.length - at, 1 + sizes.nextInt(70_000));
                        out.write(sent, at, n);
                        out.flush();
                        at += n;
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket socket = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
                // a buffer smaller than many of the writes, so reads both drain it and refill it mid-write
                InputStream in = new LargeReadSocketFactory.LargeReads(socket.getInputStream(), 4096);
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                Random sizes = new Random(13);
                byte[] chunk = new byte[20_000];
                while (true) {
                    int available = in.available();
                    assertTrue(available >= 0 && available <= 4096, "available " + available);
                    if (sizes.nextInt(10) == 0) {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        received.write(b);
                        continue;
                    }
                    int wanted = 1 + sizes.nextInt(chunk.length - 1);
                    int n = in.read(chunk, 5, Math.min(wanted, chunk.length - 5));
                    if (n < 0) {
                        break;
                    }
                    assertTrue(n > 0, "a read returned nothing before the end");
                    // what was buffered is handed out without a new read of the socket
                    if (available > 0) {
                        assertEquals(Math.min(available, Math.min(wanted, chunk.length - 5)), n);
                    }
                    received.write(chunk, 5, n);
                }
                writer.get();
                assertArrayEquals(sent, received.toByteArray());
                assertEquals(-1, in.read(chunk, 0, 10));
                assertEquals(-1, in.read());
                assertEquals(0, in.read(chunk, 0, 0));
            }
        }
    }
}
