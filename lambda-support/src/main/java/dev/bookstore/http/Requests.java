package dev.bookstore.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.Violation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/** Reading an API Gateway REST proxy event the way HTTP means it: header names are case-insensitive. */
public final class Requests {

    private Requests() {
    }

    /** The first value of a header, whatever its case, from either header map; null when absent. */
    public static String header(APIGatewayProxyRequestEvent event, String name) {
        if (event.getHeaders() != null) {
            for (Map.Entry<String, String> header : event.getHeaders().entrySet()) {
                if (header.getKey() != null && header.getKey().equalsIgnoreCase(name)) {
                    return header.getValue();
                }
            }
        }
        if (event.getMultiValueHeaders() != null) {
            for (Map.Entry<String, List<String>> header : event.getMultiValueHeaders().entrySet()) {
                if (header.getKey() != null && header.getKey().equalsIgnoreCase(name) && header.getValue() != null
                        && !header.getValue().isEmpty()) {
                    return header.getValue().get(0);
                }
            }
        }
        return null;
    }

    /**
     * The query parameters the route does not take, and those given more than once, each as a violation: a misspelt
     * {@code limt} would otherwise be ignored in silence, and of two {@code limit}s API Gateway keeps only the last.
     */
    public static List<Violation> queryViolations(APIGatewayProxyRequestEvent event, Set<String> taken) {
        Map<String, List<String>> query = new TreeMap<>();
        if (event.getMultiValueQueryStringParameters() != null) {
            query.putAll(event.getMultiValueQueryStringParameters());
        } else if (event.getQueryStringParameters() != null) {
            event.getQueryStringParameters().forEach((name, value) -> query.put(name, List.of(value)));
        }
        List<Violation> violations = new ArrayList<>();
        query.forEach((name, values) -> {
            if (!taken.contains(name)) {
                violations.add(new Violation(name, "query", taken.isEmpty() ? "is not a parameter of this route, which takes none"
                        : "is not a parameter of this route; it takes " + String.join(", ", new TreeSet<>(taken))));
            } else if (values != null && values.size() > 1) {
                violations.add(new Violation(name, "query", "is given " + values.size() + " times; give it once"));
            }
        });
        return violations;
    }

    public static String pathParameter(APIGatewayProxyRequestEvent event, String name) {
        return event.getPathParameters() == null ? null : event.getPathParameters().get(name);
    }

    /** A path parameter that must be a UUID: the id, or null with a violation naming it added to {@code violations}. */
    public static UUID uuidPathParameter(APIGatewayProxyRequestEvent event, String name, List<Violation> violations) {
        UUID id = CommandIds.parse(pathParameter(event, name));
        if (id == null) {
            violations.add(new Violation(name, "path", "must be a UUID such as 3f0c6a1e-5b7d-4e8a-9c2f-1d2e3f4a5b6c"));
        }
        return id;
    }

    public static String queryParameter(APIGatewayProxyRequestEvent event, String name) {
        return event.getQueryStringParameters() == null ? null : event.getQueryStringParameters().get(name);
    }

    /** The body's bytes, decoded from base64 when API Gateway says it encoded them. */
    public static byte[] bodyBytes(APIGatewayProxyRequestEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                return body.getBytes(StandardCharsets.UTF_8);
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** API Gateway's request id, which ties a client's request to our log lines and its command. */
    public static String correlationId(APIGatewayProxyRequestEvent event, Context context) {
        if (event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
            return event.getRequestContext().getRequestId();
        }
        return context.getAwsRequestId();
    }

    /**
     * Who is calling, as API Gateway authenticated them: the IAM principal, or a Cognito user's
     * {@code sub}; {@code anonymous} when the route is not authenticated (locally).
     */
    public static String caller(APIGatewayProxyRequestEvent event) {
        var context = event.getRequestContext();
        if (context != null) {
            if (context.getIdentity() != null && context.getIdentity().getUserArn() != null) {
                return context.getIdentity().getUserArn();
            }
            if (context.getAuthorizer() != null && context.getAuthorizer().get("claims") instanceof Map<?, ?> claims
                    && claims.get("sub") != null) {
                return "cognito:" + claims.get("sub");
            }
        }
        return "anonymous";
    }

    /**
     * The path prefix the client used before our routes, such as a stage name ({@code /prod}), so
     * links we return resolve; empty when the API is served at the root.
     */
    public static String basePath(APIGatewayProxyRequestEvent event) {
        String full = event.getRequestContext() == null ? null : event.getRequestContext().getPath();
        String path = event.getPath();
        if (full == null || path == null || !full.endsWith(path)) {
            return "";
        }
        return full.substring(0, full.length() - path.length());
    }

    /** The route as API Gateway names it, such as {@code POST /books/{bookId}/reviews}. */
    public static String route(APIGatewayProxyRequestEvent event) {
        String resource = event.getResource() != null ? event.getResource() : event.getPath();
        return event.getHttpMethod() + " " + resource;
    }
}
