package dev.bookstore.query;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.domain.Book;
import dev.bookstore.domain.BookDetail;
import dev.bookstore.domain.FeedEvent;
import dev.bookstore.domain.OutcomeWithBook;
import dev.bookstore.domain.Review;
import java.util.List;

/** The JSON that clients see of each record; the field names are those of openapi.yaml. */
final class Views {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Views() {
    }

    static ObjectNode book(Book book) {
        return JSON.objectNode()
                .put("id", book.id().toString())
                .put("title", book.title())
                .put("author", book.author())
                .put("publisher", book.publisher())
                .put("year", book.year())
                .put("isbn", book.isbn())
                .put("version", book.version())
                .put("createdAt", book.createdAt().toString())
                .put("updatedAt", instant(book.updatedAt()));
    }

    /** The original sample's shape: no ISBN, no timestamps. */
    static ObjectNode legacyBook(Book book) {
        ObjectNode json = book(book);
        json.remove(List.of("isbn", "version", "createdAt", "updatedAt"));
        return json;
    }

    static ObjectNode bookDetail(BookDetail detail) {
        return book(detail.book())
                .put("reviewCount", detail.reviewCount())
                .put("averageRating", detail.averageRating());
    }

    /**
     * A book's tag: its version, then its living reviews' count and average, which change without a new version of the
     * book. An If-Match with this tag compares the version only (see {@code Versions}), so a review added since a client
     * read the book does not make its change conflict.
     */
    static String bookTag(BookDetail detail) {
        return "\"" + detail.version() + "-" + detail.reviewCount() + "-" + (detail.averageRating() == null ? "0" : detail.averageRating().toPlainString())
                + "\"";
    }

    static ObjectNode review(Review review) {
        return JSON.objectNode()
                .put("id", review.id().toString())
                .put("bookId", review.bookId().toString())
                .put("reviewer", review.reviewer())
                .put("rating", review.rating())
                .put("text", review.text())
                .put("version", review.version())
                .put("createdAt", review.createdAt().toString())
                .put("updatedAt", instant(review.updatedAt()));
    }

    /** A change event as docs/events.md shows it, as the event bus carries it too. */
    static ObjectNode event(FeedEvent event) {
        return event.document();
    }

    private static String instant(java.time.Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static ObjectNode command(OutcomeWithBook outcome) {
        ObjectNode json = JSON.objectNode()
                .put("commandId", outcome.commandId().toString())
                .put("status", outcome.status().name());
        if (outcome.type() != null) {
            json.put("type", outcome.type());
        }
        if (outcome.reason() != null) {
            json.put("reason", outcome.reason());
            if (outcome.detail() != null) {
                json.put("detail", outcome.detail());
            }
        }
        // A rejection records the id it would have created, for the writers; a client is shown only what exists.
        if (outcome.resourceId() != null && outcome.status() == dev.bookstore.domain.OutcomeStatus.APPLIED) {
            json.put("resourceId", outcome.resourceId().toString());
            if (outcome.bookId() != null) {
                json.put("resource", outcome.type() != null && outcome.type().endsWith("Review")
                        ? "/books/" + outcome.bookId() + "/reviews/" + outcome.resourceId()
                        : "/books/" + outcome.bookId());
            }
        }
        if (outcome.foundVersion() != null) {
            json.put("foundVersion", outcome.foundVersion());
        }
        if (outcome.resourceVersion() != null && outcome.status() == dev.bookstore.domain.OutcomeStatus.APPLIED) {
            json.put("version", outcome.resourceVersion());
        }
        if (outcome.changedFields() != null && outcome.status() == dev.bookstore.domain.OutcomeStatus.APPLIED) {
            var fields = json.putArray("changedFields");
            for (String field : outcome.changedFields().split(",")) {
                if (!field.isEmpty()) {
                    fields.add(field);
                }
            }
        }
        return json.put("recordedAt", outcome.recordedAt().toString());
    }
}
