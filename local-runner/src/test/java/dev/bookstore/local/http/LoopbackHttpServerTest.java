package dev.bookstore.local.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

class LoopbackHttpServerTest {

    /**
     * What the JDK's server will do, read where it keeps it: the setting is taken once per JVM, so a test of the
     * property alone would pass even when the first server was made before it was set.
     */
    @Test
    void itsServersSendAnswersWithoutWaitingForAnAck() throws Exception {
        HttpServer server = LoopbackHttpServer.create(0, 0);
        try {
            Method noDelay = Class.forName("sun.net.httpserver.ServerConfig").getDeclaredMethod("noDelay");
            noDelay.setAccessible(true); // opened to this test by the surefire argLine in local-runner/pom.xml
            assertTrue((Boolean) noDelay.invoke(null), "the JDK's HTTP server would leave Nagle's algorithm on");
        } finally {
            server.stop(0);
        }
    }
}
