package dev.bookstore.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CreateBook;
import dev.bookstore.local.Http;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every command the system was told to take: each 202 the API answered, for a request or a batch's item, and
 * each command a test put on a queue itself. After a scenario, each must be accounted for. A 503 that says the command may have been
 * queued is in the ledger too, as uncertain: it may end applied once, or never have been queued at all.
 */
final class Ledger {

    /** One command: a book or a review, the row it creates if applied, and whether the API said it was queued. */
    record Entry(String commandId, boolean book, String resourceId, boolean certain) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();

    void accepted(Http.Response response) {
        if (response.status() != 202) {
            throw new IllegalArgumentException("not an acceptance: " + response.status() + " " + response.body());
        }
        accepted(response.json());
    }

    /** An item of a batch answered 202: the same ids as a single 202's body, in the item's result. */
    void acceptedItem(JsonNode result) {
        if (result.path("status").asInt() != 202) {
            throw new IllegalArgumentException("not an accepted item: " + result);
        }
        accepted(result);
    }

    private void accepted(JsonNode body) {
        boolean book = !body.has("reviewId");
        String id = body.get("commandId").asText();
        entries.put(id, new Entry(id, book, body.get(book ? "bookId" : "reviewId").asText(), true));
        accepted.incrementAndGet();
    }

    /** A 503 naming a command SQS may have stored; a later 202 for the same command makes it certain. */
    void mayBeQueued(Http.Response response) {
        if (response.status() != 503) {
            throw new IllegalArgumentException("not an unknown outcome: " + response.status() + " " + response.body());
        }
        mayBeQueued(response.json());
    }

    /** An item of a batch answered 503 with the problem that says its command may have been queued. */
    void mayBeQueuedItem(JsonNode result) {
        if (result.path("status").asInt() != 503) {
            throw new IllegalArgumentException("not an item of unknown outcome: " + result);
        }
        mayBeQueued(result.get("problem"));
    }

    private void mayBeQueued(JsonNode problem) {
        if (!problem.path("type").asText().endsWith(":queue-outcome-unknown")) {
            throw new IllegalArgumentException("not an unknown outcome: " + problem);
        }
        boolean book = !problem.has("reviewId");
        String id = problem.get("commandId").asText();
        entries.putIfAbsent(id, new Entry(id, book, problem.get(book ? "bookId" : "reviewId").asText(), false));
    }

    void queued(CommandEnvelope command) {
        String id = command.commandId().toString();
        entries.put(id, new Entry(id, command.payload() instanceof CreateBook, command.payload().resourceId().toString(), true));
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
