package dev.bookstore.testkit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code openapi.yaml} as a check of each request and its answer, by Atlassian's swagger-request-validator. The
 * answer must be what the spec lists for its status, schema by schema, with no field the spec does not name. The
 * request is held to the spec only when it was accepted: a request the spec forbids may be refused with any
 * documented 4xx, but a 2xx to it means the service takes more than it promises. A batch is accepted item by item:
 * a violation inside {@code items[i]} is the 207's business when result {@code i} refuses that item.
 */
public final class ApiContract {

    /** One HTTP request and its answer, as a client sent and received them. Header names in any case. */
    public record Exchange(String method, String path, Map<String, List<String>> query, Map<String, List<String>> requestHeaders,
                           String requestBody, int status, Map<String, List<String>> responseHeaders, String responseBody) {

        public Exchange {
            query = query == null ? Map.of() : query;
            requestHeaders = requestHeaders == null ? Map.of() : requestHeaders;
            responseHeaders = responseHeaders == null ? Map.of() : responseHeaders;
        }

        @Override
        public String toString() {
            return method + " " + path + (query.isEmpty() ? "" : " " + query) + " -> " + status;
        }
    }

    /** The exchange broke the spec; the message lists every violation. */
    public static final class Violation extends AssertionError {
        Violation(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> UNROUTED = Set.of("validation.request.path.missing", "validation.request.operation.notAllowed");
    private static final Pattern ITEM = Pattern.compile("/items/(\\d+)(/|$)");
    private final OpenApiInteractionValidator validator;

    private ApiContract(OpenApiInteractionValidator validator) {
        this.validator = validator;
    }

    /** The repository's own {@code openapi.yaml}. */
    public static ApiContract ofRepository() {
        return load(RepositoryFiles.find("openapi.yaml"));
    }

    public static ApiContract load(Path spec) {
        try {
            return of(Files.readString(spec));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API spec " + spec, e);
        }
    }

    public static ApiContract of(String specYaml) {
        LevelResolver levels = LevelResolver.create()
                // JSON Schema lets any object carry fields it does not name; here a field the spec does not name is an error.
                .withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
                // SigV4 is checked by API Gateway before any function runs; handlers and the local runner see unsigned requests.
                .withLevel("validation.request.security.missing", ValidationReport.Level.IGNORE)
                .build();
        return new ApiContract(OpenApiInteractionValidator.createForInlineApiSpecification(specYaml).withLevelResolver(levels).build());
    }

    /** Every way the exchange breaks the spec; empty when it keeps it. */
    public List<String> violations(Exchange exchange) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(exchange.method(), exchange.path());
        exchange.query().forEach(request::withQueryParam);
        exchange.requestHeaders().forEach(request::withHeader);
        if (exchange.requestBody() != null) {
            request.withBody(exchange.requestBody());
        }
        SimpleResponse.Builder response = new SimpleResponse.Builder(exchange.status());
        exchange.responseHeaders().forEach(response::withHeader);
        if (exchange.responseBody() != null && !exchange.responseBody().isEmpty()) {
            response.withBody(exchange.responseBody());
        }
        ValidationReport report = validator.validate(request.build(), response.build());
        Set<Integer> refusedItems = exchange.status() == 207 ? refusedItems(exchange.responseBody()) : Set.of();
        List<String> violations = new ArrayList<>();
        for (ValidationReport.Message message : report.getMessages()) {
            if (message.getLevel() != ValidationReport.Level.ERROR) {
                continue;
            }
            String at = message.getContext().flatMap(c -> c.getPointers().map(ValidationReport.MessageContext.Pointers::getInstance)).orElse("");
            if (UNROUTED.contains(message.getKey())) {
                return List.of(); // no operation of the spec: API Gateway answers it before any function, as the runner does
            }
            if (exchange.method().equalsIgnoreCase("GET") && message.getKey().equals("validation.request.body.unexpected")) {
                continue; // a GET's content "cannot alter the meaning or target of the request" (RFC 9110, 9.3.1): ignored
            }
            boolean aboutRequest = message.getKey().startsWith("validation.request.");
            if (aboutRequest && (exchange.status() >= 400 || refusedItems.contains(itemIndex(at)))) {
                continue; // refused as the spec says it must be: the request, or the batch item the violation is in
            }
            violations.add((aboutRequest ? "accepted what the spec refuses: " : "") + message.getKey() + ": "
                    + message.getMessage() + (at.isEmpty() ? "" : " at " + at));
        }
        return violations;
    }

    /** The indexes of the items a batch answer refused (status 4xx or 5xx). */
    private static Set<Integer> refusedItems(String batchAnswer) {
        Set<Integer> refused = new HashSet<>();
        try {
            for (JsonNode result : JSON.readTree(batchAnswer).path("results")) {
                if (result.path("status").asInt() >= 400) {
                    refused.add(result.path("index").asInt());
                }
            }
        } catch (IOException e) {
            // not JSON: the response check reports it
        }
        return refused;
    }

    /** The batch item a JSON pointer such as {@code /items/2/title} is in, or -1. */
    private static int itemIndex(String pointer) {
        Matcher item = ITEM.matcher(pointer);
        return item.lookingAt() ? Integer.parseInt(item.group(1)) : -1;
    }

    /** Throws {@link Violation}, naming the exchange and what it broke, unless the exchange keeps the spec. */
    public void check(Exchange exchange) {
        List<String> violations = violations(exchange);
        if (!violations.isEmpty()) {
            throw new Violation(exchange + " breaks openapi.yaml:\n  " + String.join("\n  ", violations) + "\n  answer: "
                    + exchange.responseBody());
        }
    }

    /** A handler's event and response, as API Gateway would have sent and answered them. */
    public void check(APIGatewayProxyRequestEvent request, APIGatewayProxyResponseEvent response) {
        check(exchange(request, response));
    }

    public static Exchange exchange(APIGatewayProxyRequestEvent request, APIGatewayProxyResponseEvent response) {
        Map<String, List<String>> query = request.getMultiValueQueryStringParameters() != null
                ? request.getMultiValueQueryStringParameters() : single(request.getQueryStringParameters());
        Map<String, List<String>> requestHeaders = request.getMultiValueHeaders() != null
                ? request.getMultiValueHeaders() : single(request.getHeaders());
        Map<String, List<String>> responseHeaders = new LinkedHashMap<>(single(response.getHeaders()));
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> responseHeaders.merge(name, values, (a, b) -> {
                List<String> both = new ArrayList<>(a);
                both.addAll(b);
                return both;
            }));
        }
        return new Exchange(Objects.requireNonNull(request.getHttpMethod(), "the event has no httpMethod"), request.getPath(), query,
                requestHeaders, onTheWire(request.getBody()), response.getStatusCode(), responseHeaders, response.getBody());
    }

    /**
     * A body as its UTF-8 bytes carry it, which is what a handler reads: a String that no bytes can carry (a lone
     * surrogate, which only a test can put in an event) becomes what its encoding gives, '?', for the validator too.
     */
    private static String onTheWire(String body) {
        return body == null ? null : new String(body.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static Map<String, List<String>> single(Map<String, String> values) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((name, value) -> multi.put(name, List.of(value)));
        }
        return multi;
    }
}
