package dev.bookstore.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.command.Violation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem: what went wrong, for whom ({@code instance}, the request's path), and for a
 * validation failure one entry per invalid field. Never a stack trace.
 */
public record Problem(ProblemType type, String detail, String instance, String correlationId, List<Violation> errors,
                      Map<String, String> members, Map<String, String> headers) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        errors = List.copyOf(errors);
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        headers = Map.copyOf(headers);
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type, detail, null, null, List.of(), Map.of(), Map.of());
    }

    public static Problem invalid(List<Violation> errors) {
        String detail = errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid";
        return new Problem(ProblemType.VALIDATION_FAILED, detail, null, null, errors, Map.of(), Map.of());
    }

    public Problem at(String instance, String correlationId) {
        return new Problem(type, detail, instance, correlationId, errors, members, headers);
    }

    /** An extension member (RFC 9457, section 3.2), such as the id of a command whose fate is unknown. */
    public Problem with(String member, String value) {
        Map<String, String> more = new LinkedHashMap<>(members);
        more.put(member, value);
        return new Problem(type, detail, instance, correlationId, errors, more, headers);
    }

    public Problem withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Problem(type, detail, instance, correlationId, errors, members, more);
    }

    public int status() {
        return type.status();
    }

    public ObjectNode body() {
        ObjectNode json = JsonNodeFactory.instance.objectNode()
                .put("type", type.uri())
                .put("title", type.title())
                .put("status", type.status())
                .put("detail", detail);
        if (instance != null) {
            json.put("instance", instance);
        }
        if (correlationId != null) {
            json.put("correlationId", correlationId);
        }
        members.forEach(json::put);
        if (!errors.isEmpty()) {
            ArrayNode list = json.putArray("errors");
            errors.forEach(v -> list.addObject().put("field", v.field()).put("in", v.in()).put("detail", v.detail()));
        }
        return json;
    }

    public APIGatewayProxyResponseEvent toResponse() {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", MEDIA_TYPE);
        all.putIfAbsent("Cache-Control", "no-store");
        return new APIGatewayProxyResponseEvent().withStatusCode(status()).withHeaders(all).withBody(body().toString());
    }
}
