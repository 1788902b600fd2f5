package dev.bookstore.client.internal;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request as the client means to send it, before signing: the headers it sets itself (never {@code Host} or
 * {@code Content-Length}, which java.net.http writes) and the body, null for none.
 */
public record Outgoing(String method, URI uri, Map<String, String> headers, byte[] body) {

    public Outgoing {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** The same request with one more header. */
    public Outgoing with(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Outgoing(method, uri, more, body);
    }

    /** How messages name the call: {@code POST /books}. */
    public String describe() {
        return method + " " + uri.getRawPath();
    }
}
