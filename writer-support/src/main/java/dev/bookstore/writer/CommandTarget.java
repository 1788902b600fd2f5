package dev.bookstore.writer;

import dev.bookstore.command.Payload;
import dev.bookstore.db.Mappers;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What differs between the writers: the command type each applies and how its rows are written. */
public interface CommandTarget<P extends Payload> {

    /** The command type on this writer's queue, such as {@code CreateBook}. */
    String type();

    Class<P> payloadClass();

    /** Inserts the rows of these commands, sorted by command id; throws a constraint violation if one breaks a rule. */
    void insert(Mappers mappers, List<Pending<P>> commands);

    /**
     * The commands among {@code commands} that cannot be applied yet because something they need is not
     * stored, such as a review's book, each with what is known of it. None by default. Runs inside a
     * transaction of the writer's, which commits what it counts.
     */
    default Map<UUID, Missing> waiting(Mappers mappers, List<Pending<P>> commands) {
        return Map.of();
    }

    /**
     * What a waiting command lacks: how many deliveries (this one included) have found it missing, or that it will
     * never come because the command that would have created it was rejected.
     */
    record Missing(int misses, boolean neverComing) {
        public static Missing counted(int misses) {
            return new Missing(misses, false);
        }

        public static Missing rejected() {
            return new Missing(0, true);
        }
    }

    /** A command of this writer that has a valid payload, waiting to be applied. */
    record Pending<P>(UUID commandId, P payload) {
    }
}
