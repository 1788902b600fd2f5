package dev.bookstore.replay;

import dev.bookstore.command.CommandIds;
import dev.bookstore.db.Database;
import dev.bookstore.domain.CommandOutcome;
import java.util.Optional;
import java.util.UUID;

/** The outcome recorded for a command id, when the operator gave a database to look in. */
public final class OutcomeLookup implements AutoCloseable {

    private final Database db;

    private OutcomeLookup(Database db) {
        this.db = db;
    }

    public static OutcomeLookup none() {
        return new OutcomeLookup(null);
    }

    public static OutcomeLookup in(Database db) {
        return new OutcomeLookup(db);
    }

    /** "APPLIED", "REJECTED DUPLICATE_ISBN: …", "none recorded", or why it was not looked up. */
    public String describe(String commandId) {
        if (db == null) {
            return "not looked up (no --database-url)";
        }
        UUID id = CommandIds.parse(commandId);
        if (id == null) {
            return "none (no command id)";
        }
        try {
            Optional<CommandOutcome> outcome = db.read(m -> m.outcomes().findOutcome(id));
            return outcome.map(o -> o.status() + (o.reason() == null ? "" : " " + o.reason() + (o.detail() == null ? "" : ": " + o.detail())))
                    .orElse("none recorded");
        } catch (RuntimeException e) {
            return "could not look up: " + e.getMessage();
        }
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
        }
    }
}
