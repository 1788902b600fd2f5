package dev.bookstore.writer;

import dev.bookstore.command.Change;
import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.domain.FieldStamps;
import dev.bookstore.domain.OrderKey;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The rules every change follows, whatever it changes. A deletion is final: a command that finds a tombstone is
 * rejected. A command with an expected version applies only if the stored version is that one. Otherwise it applies:
 * the version goes up by one, and each field it names takes its value only if no newer command (in {@link OrderKey}
 * order) has set that field, so a late, older patch never undoes a newer one.
 */
public final class Changes {

    private Changes() {
    }

    /** Why {@code change} cannot apply to a resource in this state, or null when it can. */
    public static CommandOutcome refusal(UUID commandId, Change change, String noun, int version, boolean deleted) {
        String field = noun + "Id";
        if (deleted) {
            return CommandOutcome.rejected(commandId, change.type(), noun.toUpperCase(java.util.Locale.ROOT) + "_DELETED",
                    field + ": the " + noun + " was deleted").about(change.resourceId()).found(version);
        }
        if (change.expectedVersion() != null && change.expectedVersion() != version) {
            return CommandOutcome.rejected(commandId, change.type(), Reasons.VERSION_CONFLICT, "If-Match: the " + noun
                    + " is at version " + version + ", not " + change.expectedVersion()).about(change.resourceId()).found(version);
        }
        return null;
    }

    /** Field by field, what an applied patch sets: a field named by the patch, unless a newer command set it. */
    public static final class Merge {
        private final OrderKey key;
        private final OrderKey created;
        private FieldStamps stamps;
        private final List<String> set = new ArrayList<>();

        public Merge(OrderKey key, OrderKey created, FieldStamps stamps) {
            this.key = key;
            this.created = created;
            this.stamps = stamps;
        }

        /** Whether the patch's value of {@code field} wins: then its stamp becomes this command's. */
        public boolean takes(String field) {
            if (!key.isAfter(stamps.of(field, created))) {
                return false;
            }
            stamps = stamps.with(field, key);
            set.add(field);
            return true;
        }

        public FieldStamps stamps() {
            return stamps;
        }

        public List<String> fieldsSet() {
            return List.copyOf(set);
        }
    }
}
