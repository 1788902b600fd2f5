package dev.bookstore.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bookstore.http.Requests;
import dev.bookstore.http.Responses;
import dev.bookstore.http.Sha256;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Strong entity tags on reads, and {@code 304 Not Modified} for a client that already holds the representation
 * (RFC 9110, 8.8.3 and 13.1.2). A book or review is tagged by its version; a list by a digest of its body.
 */
final class EntityTags {

    private EntityTags() {
    }

    /** A tag for a representation no version names: the first 128 bits of its SHA-256, base64url. */
    static String digest(JsonNode body) {
        byte[] hash = Sha256.of(body.toString());
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 16)) + "\"";
    }

    /** {@code 200} with the body and its tag, or {@code 304} when {@code If-None-Match} names that tag (or is {@code *}). */
    static APIGatewayProxyResponseEvent answer(APIGatewayProxyRequestEvent request, JsonNode body, String tag, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("ETag", tag);
        if (matches(Requests.header(request, "If-None-Match"), tag)) {
            return new APIGatewayProxyResponseEvent().withStatusCode(304).withHeaders(all);
        }
        return Responses.json(200, body, all);
    }

    /** If-None-Match compares weakly: {@code W/"3"} matches {@code "3"}. */
    static boolean matches(String ifNoneMatch, String tag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String opaque = candidate.strip();
            if (opaque.equals("*")) {
                return true;
            }
            if (opaque.startsWith("W/")) {
                opaque = opaque.substring(2);
            }
            if (opaque.equals(tag)) {
                return true;
            }
        }
        return false;
    }
}
