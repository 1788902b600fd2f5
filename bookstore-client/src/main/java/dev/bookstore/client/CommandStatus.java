package dev.bookstore.client;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What {@code GET /commands/{commandId}} knows of a command. PENDING until its outcome is written, and also for an id
 * the API has never seen; see {@link BookstoreClient#awaitOutcome}. The other fields are there once an outcome is
 * recorded: {@code reason} and {@code detail} when REJECTED; {@code resourceId}, {@code resource} and {@code version}
 * when APPLIED; {@code foundVersion} for a change; {@code changedFields} (null otherwise) for an applied update.
 */
public record CommandStatus(UUID commandId, Status status, String type, String reason, String detail, UUID resourceId,
                            String resource, Long foundVersion, Long version, List<String> changedFields, Instant recordedAt) {

    public enum Status {
        PENDING, APPLIED, REJECTED
    }

    /** Whether this is the command's outcome: it will not change again. */
    public boolean isFinal() {
        return status == Status.APPLIED || status == Status.REJECTED;
    }
}
