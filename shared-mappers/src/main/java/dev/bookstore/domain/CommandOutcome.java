package dev.bookstore.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The recorded end of one command. {@code type} is null only for a message that could not be
 * decoded far enough to know it; {@code reason} is a stable code such as {@code DUPLICATE_ISBN},
 * {@code detail} the human explanation. {@code recordedAt} is null until the database assigns it.
 * For a command that changes a resource: {@code foundVersion}, the version it found (its If-Match is compared with
 * that); {@code resourceVersion}, the version it left; {@code changedFields}, comma-separated, the fields it set
 * ({@code ""} when newer commands had set every field it names). A create leaves version 1.
 */
public record CommandOutcome(UUID commandId, String type, OutcomeStatus status, String reason, String detail,
                             UUID resourceId, Integer foundVersion, Integer resourceVersion, String changedFields,
                             Instant recordedAt) {

    public CommandOutcome {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(status, "status");
        if ((status == OutcomeStatus.REJECTED) != (reason != null)) {
            throw new IllegalArgumentException("a reason is required exactly when a command is rejected: " + status + " " + reason);
        }
    }

    /** A create applied: the resource exists at version 1. */
    public static CommandOutcome applied(UUID commandId, String type, UUID resourceId) {
        return new CommandOutcome(commandId, type, OutcomeStatus.APPLIED, null, null, resourceId, null, 1, null, null);
    }

    /** A change applied to a resource that was at {@code foundVersion}. */
    public static CommandOutcome changed(UUID commandId, String type, UUID resourceId, int foundVersion, List<String> changedFields) {
        return new CommandOutcome(commandId, type, OutcomeStatus.APPLIED, null, null, resourceId, foundVersion, foundVersion + 1,
                String.join(",", changedFields), null);
    }

    /** A change applied that left the resource as it was (every field it names already held its value, or a newer command's): no new version. */
    public static CommandOutcome unchanged(UUID commandId, String type, UUID resourceId, int version, List<String> changedFields) {
        return new CommandOutcome(commandId, type, OutcomeStatus.APPLIED, null, null, resourceId, version, version,
                String.join(",", changedFields), null);
    }

    public static CommandOutcome rejected(UUID commandId, String type, String reason, String detail) {
        return new CommandOutcome(commandId, type, OutcomeStatus.REJECTED, reason, clip(detail), null, null, null, null, null);
    }

    /** The same outcome naming the resource it concerns: the one created, or for a rejection the one it would have created. */
    public CommandOutcome about(UUID resource) {
        return new CommandOutcome(commandId, type, status, reason, detail, resource, foundVersion, resourceVersion, changedFields, recordedAt);
    }

    /** The same rejection, naming the version the command found. */
    public CommandOutcome found(int version) {
        return new CommandOutcome(commandId, type, status, reason, detail, resourceId, version, resourceVersion, changedFields, recordedAt);
    }

    /**
     * The detail column holds 1,000 characters, and PostgreSQL text cannot hold NUL; a detail quoting what a
     * message held (an unknown field named "a\u0000") is made storable, never refused, or its rejection could
     * never be recorded and the message would be retried forever.
     */
    private static String clip(String detail) {
        if (detail == null) {
            return null;
        }
        String storable = detail.replace('\u0000', '\uFFFD');
        if (storable.codePointCount(0, storable.length()) <= MAX_DETAIL) {
            return storable;
        }
        return storable.substring(0, storable.offsetByCodePoints(0, MAX_DETAIL - 1)) + "…";
    }

    private static final int MAX_DETAIL = 1000;
}
