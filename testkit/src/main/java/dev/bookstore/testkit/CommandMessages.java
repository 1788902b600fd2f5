package dev.bookstore.testkit;

import dev.bookstore.command.CommandCodec;
import dev.bookstore.command.CommandEnvelope;
import dev.bookstore.command.CommandIds;
import dev.bookstore.command.CreateBook;
import dev.bookstore.command.CreateReview;
import dev.bookstore.command.Payload;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** Command envelopes as the API would queue them, for tests that feed writers or queues directly. */
public final class CommandMessages {

    private static final CommandCodec CODEC = new CommandCodec(Clock.systemUTC());

    private CommandMessages() {
    }

    public static CommandEnvelope envelope(Payload payload) {
        return CommandEnvelope.of(CommandIds.fresh(), Instant.now(), "test-" + UUID.randomUUID(), null, payload);
    }

    public static CreateBook book(String title) {
        return new CreateBook(CommandIds.fresh(), title, "Ursula K. Le Guin", "Ace", 1969, null);
    }

    public static CreateBook book(String title, String isbn) {
        return new CreateBook(CommandIds.fresh(), title, "Ursula K. Le Guin", "Ace", 1969, isbn);
    }

    public static CreateReview review(UUID bookId, int rating) {
        return new CreateReview(CommandIds.fresh(), bookId, "reader", rating, "worth it");
    }

    public static String json(CommandEnvelope envelope) {
        return CODEC.encode(envelope);
    }

    public static String json(Payload payload) {
        return json(envelope(payload));
    }
}
