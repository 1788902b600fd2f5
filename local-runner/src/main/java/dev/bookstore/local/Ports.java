package dev.bookstore.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports on loopback: a free one when 0 is asked for, and a clear error naming a taken one. */
final class Ports {

    private Ports() {
    }

    static int resolve(int port, String what, String option) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new PortTakenException("port " + port + " (" + what + ") is taken on 127.0.0.1; stop what uses it or choose another with "
                    + option + " <port>");
        }
    }

    /** A port the runner needs is in use. */
    static final class PortTakenException extends RuntimeException {
        PortTakenException(String message) {
            super(message);
        }
    }
}
