package dev.bookstore.writer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bookstore.command.CommandIds;
import dev.bookstore.domain.ChangeEvent;
import java.util.UUID;

/**
 * The events of applied changes (docs/events.md), each carrying the book or review after the change as the API shows it,
 * without its timestamps (the event's {@code occurredAt} is the time of the change). Its id is derived from the command's,
 * so the one command a batch may see several times is one event.
 */
public final class ChangeEvents {

    public static final String BOOK_CREATED = "BookCreated";
    public static final String BOOK_UPDATED = "BookUpdated";
    public static final String BOOK_DELETED = "BookDeleted";
    public static final String REVIEW_CREATED = "ReviewCreated";
    public static final String REVIEW_UPDATED = "ReviewUpdated";
    public static final String REVIEW_DELETED = "ReviewDeleted";

    private ChangeEvents() {
    }

    public static UUID eventId(UUID commandId) {
        return CommandIds.derived("change-event\n" + commandId);
    }

    /** A book created or changed: its fields as they now are. */
    public static ChangeEvent book(String type, CommandTarget.Pending<?> command, UUID bookId, String title, String author, String publisher,
                                   int year, String isbn, int version) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("id", bookId.toString()).put("title", title).put("author", author)
                .put("publisher", publisher).put("year", year).put("isbn", isbn).put("version", version);
        return event(type, command, bookId, null, version, data);
    }

    /** A book deleted: what is left of it is its id and last version (its reviews go with it). */
    public static ChangeEvent bookDeleted(CommandTarget.Pending<?> command, UUID bookId, int version) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("id", bookId.toString()).put("version", version).put("deleted", true);
        return event(BOOK_DELETED, command, bookId, null, version, data);
    }

    public static ChangeEvent review(String type, CommandTarget.Pending<?> command, UUID bookId, UUID reviewId, String reviewer, int rating,
                                     String text, int version) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("id", reviewId.toString()).put("bookId", bookId.toString())
                .put("reviewer", reviewer).put("rating", rating).put("text", text).put("version", version);
        return event(type, command, bookId, reviewId, version, data);
    }

    /** A review withdrawn: its reviewer and text are erased with it, as on the row. */
    public static ChangeEvent reviewDeleted(CommandTarget.Pending<?> command, UUID bookId, UUID reviewId, int version) {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("id", reviewId.toString()).put("bookId", bookId.toString())
                .put("version", version).put("deleted", true);
        return event(REVIEW_DELETED, command, bookId, reviewId, version, data);
    }

    private static ChangeEvent event(String type, CommandTarget.Pending<?> command, UUID bookId, UUID reviewId, int version, ObjectNode data) {
        return new ChangeEvent(eventId(command.commandId()), type, bookId, reviewId, version, command.commandId(), command.correlationId(),
                data.toString());
    }
}
