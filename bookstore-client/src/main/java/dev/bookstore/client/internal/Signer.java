package dev.bookstore.client.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What turns a request into the headers sent with it: nothing for the local runner, SigV4 for the deployed API. */
public interface Signer {

    /**
     * Every header to send but {@code Host}, which java.net.http writes itself (it is a restricted header); a signer
     * signs the host java.net.http will write. May throw when credentials cannot be had: then nothing was sent.
     */
    Map<String, List<String>> headers(Outgoing request);

    static Signer none() {
        return request -> {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            request.headers().forEach((name, value) -> headers.put(name, List.of(value)));
            return headers;
        };
    }
}
