package dev.bookstore.client.internal;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Signs and sends one attempt. Holds no state between calls, so one serves every thread. */
public final class Transport {

    private final HttpClient http;
    private final Signer signer;
    private final Duration requestTimeout;

    public Transport(HttpClient http, Signer signer, Duration requestTimeout) {
        this.http = http;
        this.signer = signer;
        this.requestTimeout = requestTimeout;
    }

    /** The request, signed now; a runtime exception here (credentials) means nothing was sent. */
    public HttpRequest prepare(Outgoing request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .timeout(requestTimeout)
                .method(request.method(), request.body() == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        signer.headers(request).forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        return builder.build();
    }

    /** @throws IOException when no answer came, timeouts included: the request may or may not have been received */
    public Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), response.headers(), response.body());
    }
}
