package dev.bookstore.client.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where the API is, and how a route's URI is written. A base path (an API Gateway stage, {@code /prod}) is kept in front
 * of every route. Query values are percent-encoded as SigV4 canonicalises them (RFC 3986, everything but the unreserved
 * characters), so the query sent is the query signed.
 */
public final class Endpoint {

    private final String origin;
    private final String basePath;
    private final boolean secure;

    private Endpoint(String origin, String basePath, boolean secure) {
        this.origin = origin;
        this.basePath = basePath;
        this.secure = secure;
    }

    public static Endpoint of(URI uri) {
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("the endpoint is an http or https URI with a host, not " + uri);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the endpoint has no query or fragment: " + uri);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new Endpoint(scheme.toLowerCase(java.util.Locale.ROOT) + "://" + uri.getRawAuthority(), path,
                "https".equalsIgnoreCase(scheme));
    }

    public boolean secure() {
        return secure;
    }

    /** {@code path} starts with {@code /} and holds only characters a URI path takes as they are (ids are UUIDs). */
    public URI uri(String path, Map<String, String> query) {
        StringJoiner pairs = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((name, value) -> {
            if (value != null) {
                pairs.add(encode(name) + "=" + encode(value));
            }
        });
        return URI.create(origin + basePath + path + pairs);
    }

    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
