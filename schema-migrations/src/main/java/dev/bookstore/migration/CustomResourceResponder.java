package dev.bookstore.migration;

import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * PUTs the response to the pre-signed S3 URL that CloudFormation waits on. Retries a few times:
 * if this never arrives, the stack hangs for an hour, which is the failure this module exists to avoid.
 */
class CustomResourceResponder {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** CloudFormation refuses a response body over 4 KiB; the reason is the part that can grow. */
    private static final int MAX_REASON = 2000;

    private final Duration timeout;
    private final int attempts;

    CustomResourceResponder(Duration timeout, int attempts) {
        this.timeout = timeout;
        this.attempts = attempts;
    }

    void send(CloudFormationCustomResourceEvent event, CustomResourceResponse response) {
        byte[] body = body(event, response);
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                put(URI.create(event.getResponseUrl()), body);
                return;
            } catch (IOException e) {
                last = e;
                sleep(attempt * 500L);
            }
        }
        throw new UncheckedIOException("could not deliver the " + response.status() + " response to CloudFormation after "
                + attempts + " attempts", last);
    }

    static byte[] body(CloudFormationCustomResourceEvent event, CustomResourceResponse response) {
        ObjectNode json = JSON.createObjectNode()
                .put("Status", response.status())
                .put("Reason", clip(response.reason()))
                .put("PhysicalResourceId", response.physicalResourceId())
                .put("StackId", event.getStackId())
                .put("RequestId", event.getRequestId())
                .put("LogicalResourceId", event.getLogicalResourceId())
                .put("NoEcho", false);
        ObjectNode data = json.putObject("Data");
        response.data().forEach(data::put);
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void put(URI url, byte[] body) throws IOException {
        HttpURLConnection http = (HttpURLConnection) url.toURL().openConnection();
        try {
            http.setRequestMethod("PUT");
            http.setDoOutput(true);
            http.setConnectTimeout((int) timeout.toMillis());
            http.setReadTimeout((int) timeout.toMillis());
            // The URL is signed without a content type; sending one would break the signature.
            http.setRequestProperty("Content-Type", "");
            http.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = http.getOutputStream()) {
                out.write(body);
            }
            int status = http.getResponseCode();
            if (status / 100 != 2) {
                throw new IOException("CloudFormation's response URL answered HTTP " + status);
            }
        } finally {
            http.disconnect();
        }
    }

    private static String clip(String reason) {
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
