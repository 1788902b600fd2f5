package dev.bookstore.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.testkit.LambdaEvents;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Real API Gateway REST proxy events from {@code events/}, read the way the Lambda runtime reads them. */
final class Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static APIGatewayProxyRequestEvent event(String name) {
        return LambdaEvents.load("events/" + name + ".json", APIGatewayProxyRequestEvent.class);
    }

    static APIGatewayProxyRequestEvent event(String name, String body) {
        return event(name).withBody(body);
    }

    /** Sets a header in both maps, as API Gateway would, replacing any of the same name in another case. */
    static APIGatewayProxyRequestEvent withHeader(APIGatewayProxyRequestEvent event, String name, String value) {
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
        if (value != null) {
            headers.put(name, value);
        }
        event.setHeaders(headers);
        event.setMultiValueHeaders(headers.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> java.util.List.of(e.getValue()))));
        return event;
    }

    static JsonNode body(APIGatewayProxyResponseEvent response) {
        try {
            return JSON.readTree(response.getBody());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
