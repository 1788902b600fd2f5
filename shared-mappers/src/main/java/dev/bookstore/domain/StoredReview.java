package dev.bookstore.domain;

import java.time.Instant;
import java.util.UUID;

/** A review row as a change sees it, locked for the change; see {@link StoredBook}. */
public record StoredReview(UUID id, UUID bookId, UUID commandId, Instant issuedAt, String reviewer, int rating, String text,
                           int version, String fieldStamps, boolean deleted) {

    /** The same row at another version. */
    public StoredReview atVersion(int newVersion) {
        return new StoredReview(id, bookId, commandId, issuedAt, reviewer, rating, text, newVersion, fieldStamps, deleted);
    }

    public OrderKey created() {
        return new OrderKey(issuedAt, commandId);
    }

    public FieldStamps stamps() {
        return FieldStamps.parse(fieldStamps);
    }
}
