package dev.bookstore.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An endpoint that takes every request and never answers, as SQS does when its answer is lost on the way back. */
final class BlackHole implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();

    BlackHole() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::swallow, "black-hole");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    private void swallow() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                open.add(socket);
                requests.incrementAndGet();
                Thread reader = new Thread(() -> {
                    try (InputStream in = socket.getInputStream()) {
                        in.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException ignored) {
                        // the client gave up
                    }
                }, "black-hole-reader");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** From now on connections are refused, as from an endpoint that went away. */
    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
    }

}
