package dev.bookstore.writer;

import dev.bookstore.command.Payload;
import dev.bookstore.db.Mappers;
import dev.bookstore.domain.ChangeEvent;
import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.domain.OrderKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** What differs between the writers: the command types each applies and how their rows are written. */
public interface CommandTarget<P extends Payload> {

    /** The command types on this writer's queue, such as {@code CreateBook}. */
    Set<String> types();

    /** Whether {@code payload} is one of this writer's commands. */
    boolean accepts(Payload payload);

    /**
     * Applies these commands, whose outcomes this transaction has just claimed, sorted by command id; throws a
     * constraint violation if one breaks a rule. Returns the outcome of each command that did not simply create its
     * resource (a change, or a command refused by the state it found, such as a deleted book), to be recorded over the
     * claim in the same transaction, and one event for each command that changed a resource, in the order applied.
     */
    Applied apply(Mappers mappers, List<Pending<P>> commands);

    /** What applying commands came to: outcomes to record over their claims, and the events of the changes made. */
    record Applied(Map<UUID, CommandOutcome> outcomes, List<ChangeEvent> events) {
        public Applied {
            outcomes = Map.copyOf(outcomes);
            events = List.copyOf(events);
        }
    }

    /**
     * The commands among {@code commands} that cannot be applied yet because something they need is not
     * stored, such as a review's book, each with what is known of it. Runs inside a transaction of the writer's,
     * which commits what it counts.
     */
    Map<UUID, Missing> waiting(Mappers mappers, List<Pending<P>> commands);

    /**
     * What a waiting command lacks, named by its field ({@code bookId}, {@code reviewId}): how many deliveries (this one
     * included) have found it missing, or, when it will never come because the command that would have created it was
     * rejected, that reason.
     */
    record Missing(String field, int misses, boolean neverComing) {
        public static Missing counted(String field, int misses) {
            return new Missing(field, misses, false);
        }

        public static Missing rejected(String field) {
            return new Missing(field, 0, true);
        }

        /** What is missing, in words: "book" for {@code bookId}. */
        public String noun() {
            return field.endsWith("Id") ? field.substring(0, field.length() - 2) : field;
        }

        /** The reason a command is rejected with when it stops waiting: {@code BOOK_NOT_FOUND}, {@code REVIEW_REJECTED}. */
        public String reason() {
            return noun().toUpperCase(java.util.Locale.ROOT) + (neverComing ? "_REJECTED" : "_NOT_FOUND");
        }
    }

    /** A command of this writer that has a valid payload, waiting to be applied, with its order key. */
    record Pending<P>(UUID commandId, Instant issuedAt, String correlationId, P payload) {
        public OrderKey key() {
            return new OrderKey(issuedAt, commandId);
        }
    }
}
