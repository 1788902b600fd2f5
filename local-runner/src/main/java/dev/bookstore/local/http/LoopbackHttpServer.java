package dev.bookstore.local.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Every HTTP endpoint of the runner (the API, the event bus) is made here, so that each one sends its answers at once.
 * The JDK's server writes headers and body in two packets, and Nagle's algorithm with the client's delayed ACK adds
 * 40 ms to every keep-alive request. {@code sun.net.httpserver.nodelay} turns that off, but the JDK reads it once, when
 * the first server of the JVM is made: set by one endpoint after another was made, it is silently ignored (that halved
 * the end-to-end rate once, BENCHMARKS.md "Issue 20").
 */
public final class LoopbackHttpServer {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LoopbackHttpServer() {
    }

    /** A server on 127.0.0.1 ({@code port} 0 for a free one), not yet started. */
    public static HttpServer create(int port, int backlog) throws IOException {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", port), backlog);
    }
}
