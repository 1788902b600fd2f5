package dev.bookstore.local.lambda;

import dev.bookstore.telemetry.TraceHeader;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * X-Ray trace headers as API Gateway and Lambda start them for a traced request: a root id of the time in seconds and
 * 96 random bits, a parent segment id, sampled ("Tracing header" in the X-Ray developer guide). Nothing is sent to
 * X-Ray here; the headers let the runner's logs and messages carry the same trace ids as on AWS.
 */
public final class LocalTraces {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private LocalTraces() {
    }

    public static String newHeader() {
        byte[] root = new byte[12];
        byte[] parent = new byte[8];
        RANDOM.nextBytes(root);
        RANDOM.nextBytes(parent);
        return "Root=1-" + String.format("%08x", System.currentTimeMillis() / 1000) + "-" + HEX.formatHex(root)
                + ";Parent=" + HEX.formatHex(parent) + ";Sampled=1";
    }

    /** A caller's header continued, as API Gateway continues a trace the request already has; a new one otherwise. */
    public static String continuing(String callerHeader) {
        TraceHeader caller = TraceHeader.parse(callerHeader);
        if (caller == null) {
            return newHeader();
        }
        byte[] parent = new byte[8];
        RANDOM.nextBytes(parent);
        return "Root=" + caller.traceId() + ";Parent=" + HEX.formatHex(parent) + ";Sampled=1";
    }
}
