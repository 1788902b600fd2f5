package dev.bookstore.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A book row as a change sees it, locked for the change: its fields, version, the order key of its creation
 * ({@code commandId}, {@code issuedAt}), the stamps of the fields set since, and whether it is a tombstone.
 */
public record StoredBook(UUID id, UUID commandId, Instant issuedAt, String title, String author, String publisher, int year,
                         String isbn, int version, String fieldStamps, boolean deleted) {

    /** The same row at another version. */
    public StoredBook atVersion(int newVersion) {
        return new StoredBook(id, commandId, issuedAt, title, author, publisher, year, isbn, newVersion, fieldStamps, deleted);
    }

    public OrderKey created() {
        return new OrderKey(issuedAt, commandId);
    }

    public FieldStamps stamps() {
        return FieldStamps.parse(fieldStamps);
    }
}
