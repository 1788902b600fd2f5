package dev.bookstore.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CreateBook;
import dev.bookstore.local.Http;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every command the system was told to take: each 202 the API answered, and each command a test put on a
 * queue itself. After a scenario, each must be accounted for.
 */
final class Ledger {

    /** One command: a book or a review, and the row it creates if applied. */
    record Entry(String commandId, boolean book, String resourceId) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();

    void accepted(Http.Response response) {
        if (response.status() != 202) {
            throw new IllegalArgumentException("not an acceptance: " + response.status() + " " + response.body());
        }
        JsonNode body = response.json();
        boolean book = !body.has("reviewId");
        String id = body.get("commandId").asText();
        entries.put(id, new Entry(id, book, body.get(book ? "bookId" : "reviewId").asText()));
        accepted.incrementAndGet();
    }

    void queued(CommandEnvelope command) {
        String id = command.commandId().toString();
        entries.put(id, new Entry(id, command.payload() instanceof CreateBook, command.payload().resourceId().toString()));
        accepted.incrementAndGet();
    }

    Map<String, Entry> entries() {
        return entries;
    }

    /** 202s and queued commands counted each time, retries included. */
    int acceptances() {
        return accepted.get();
    }
}
