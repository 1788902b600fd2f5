package dev.bookstore.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on loopback that can be cut: while closed it refuses connections and has dropped the open
 * ones, as an unreachable endpoint would. Fault tests put it between the functions and SQS, so an SQS
 * outage can be had without stopping (and so disturbing) the queue server itself. It can also lose the
 * answers: requests still reach SQS, which acts on them, and nothing comes back, as when a response is
 * lost on the network.
 */
public final class TcpGate implements AutoCloseable {

    private final int target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private volatile boolean losingAnswers;

    private TcpGate(int target, int port) {
        this.target = target;
        this.port = port;
    }

    static TcpGate start(int targetPort) throws IOException {
        ServerSocket first = new ServerSocket();
        first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        TcpGate gate = new TcpGate(targetPort, first.getLocalPort());
        gate.listen(first);
        return gate;
    }

    public int port() {
        return port;
    }

    /** Refuses new connections and drops the open ones. */
    public synchronized void cut() throws IOException {
        if (listener != null) {
            listener.close();
            listener = null;
        }
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
    }

    /**
     * While on, every answer is dropped on the way back, on open connections too; a connection that has lost one
     * answer loses all the rest, as a half-broken connection would, so no client reads half a response.
     */
    public void loseAnswers(boolean on) {
        losingAnswers = on;
    }

    /** Accepts connections again, on the same port. */
    public synchronized void mend() throws IOException {
        if (listener == null) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listen(socket);
        }
    }

    private void listen(ServerSocket socket) {
        listener = socket;
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                Socket client;
                try {
                    client = socket.accept();
                } catch (IOException e) {
                    continue; // closed by cut(): the loop ends
                }
                try {
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream, false);
                    pump(upstream, client, true);
                } catch (IOException refused) {
                    closeQuietly(client); // the upstream is down: the client sees its connection end
                }
            }
        }, "tcp-gate-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void pump(Socket from, Socket to, boolean answers) {
        Thread pump = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[8192];
                boolean lost = false;
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    lost |= answers && losingAnswers;
                    if (!lost) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-gate-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
