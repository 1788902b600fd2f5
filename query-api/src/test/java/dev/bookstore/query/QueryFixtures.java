package dev.bookstore.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.db.Database;
import dev.bookstore.domain.NewBook;
import dev.bookstore.domain.NewReview;
import dev.bookstore.testkit.LambdaEvents;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Real API Gateway GET events, and rows stored straight through the mappers. */
final class QueryFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QueryFixtures() {
    }

    static APIGatewayProxyRequestEvent event(String name) {
        return LambdaEvents.load("events/" + name + ".json", APIGatewayProxyRequestEvent.class);
    }

    static APIGatewayProxyRequestEvent withPath(APIGatewayProxyRequestEvent event, String name, String value) {
        Map<String, String> path = new HashMap<>(event.getPathParameters());
        path.put(name, value);
        event.setPathParameters(path);
        event.setPath(event.getResource().replace("{" + name + "}", value));
        return event;
    }

    static APIGatewayProxyRequestEvent withQuery(APIGatewayProxyRequestEvent event, Map<String, String> query) {
        event.setQueryStringParameters(query.isEmpty() ? null : query);
        Map<String, List<String>> multi = new HashMap<>();
        query.forEach((name, value) -> multi.put(name, List.of(value)));
        event.setMultiValueQueryStringParameters(query.isEmpty() ? null : multi);
        return event;
    }

    static APIGatewayProxyRequestEvent withHeader(APIGatewayProxyRequestEvent event, String name, String value) {
        Map<String, String> headers = new HashMap<>(event.getHeaders() == null ? Map.of() : event.getHeaders());
        headers.put(name, value);
        event.setHeaders(headers);
        event.setMultiValueHeaders(null);
        return event;
    }

    static JsonNode body(APIGatewayProxyResponseEvent response) {
        try {
            return JSON.readTree(response.getBody());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NewBook storeBook(Database db, String title, String author) {
        NewBook book = new NewBook(UUID.randomUUID(), UUID.randomUUID(), title, author, "Ace", 1969, null);
        db.inTransaction(m -> m.books().insertBooks(List.of(book)));
        return book;
    }

    static NewReview storeReview(Database db, UUID bookId, int rating) {
        NewReview review = new NewReview(UUID.randomUUID(), UUID.randomUUID(), bookId, "reader", rating, null);
        db.inTransaction(m -> m.reviews().insertReviews(List.of(review)));
        return review;
    }
}
