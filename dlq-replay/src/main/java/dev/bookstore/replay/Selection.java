package dev.bookstore.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Which DLQ messages to act on: all, or those matching every filter given (message ids, command ids,
 * type, age), at most {@code max} of them.
 */
public record Selection(boolean all, Set<String> messageIds, Set<String> commandIds, String type, Duration olderThan,
                        Duration newerThan, Integer max) {

    public Selection {
        messageIds = Set.copyOf(messageIds);
        commandIds = Set.copyOf(commandIds);
    }

    public static Selection everything() {
        return new Selection(true, Set.of(), Set.of(), null, null, null, null);
    }

    /** Whether anything was chosen; replaying a whole DLQ by accident is what this refuses. */
    public boolean chosen() {
        return all || !messageIds.isEmpty() || !commandIds.isEmpty() || type != null || olderThan != null || newerThan != null;
    }

    public boolean matches(DlqMessage message, Instant now) {
        if (!messageIds.isEmpty() && !messageIds.contains(message.messageId())) {
            return false;
        }
        if (!commandIds.isEmpty() && !commandIds.contains(message.commandId())) {
            return false;
        }
        if (type != null && !type.equals(message.type())) {
            return false;
        }
        if (olderThan != null && (message.sentAt() == null || message.sentAt().isAfter(now.minus(olderThan)))) {
            return false;
        }
        return newerThan == null || (message.sentAt() != null && message.sentAt().isAfter(now.minus(newerThan)));
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(all ? "all" : "");
        if (!messageIds.isEmpty()) {
            text.append(" message-id=").append(messageIds);
        }
        if (!commandIds.isEmpty()) {
            text.append(" command-id=").append(commandIds);
        }
        if (type != null) {
            text.append(" type=").append(type);
        }
        if (olderThan != null) {
            text.append(" older-than=").append(olderThan);
        }
        if (newerThan != null) {
            text.append(" newer-than=").append(newerThan);
        }
        if (max != null) {
            text.append(" max=").append(max);
        }
        return text.toString().strip();
    }
}
