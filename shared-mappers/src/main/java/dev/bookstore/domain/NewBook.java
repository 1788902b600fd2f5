package dev.bookstore.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A book to insert, with the id of the command that creates it (what makes the insert idempotent) and when that command
 * was issued (its fields' order key until a change sets them).
 */
public record NewBook(UUID id, UUID commandId, String title, String author, String publisher, int year, String isbn, Instant issuedAt) {

    /** Without an issue time: the row's creation time stands in for it. */
    public NewBook(UUID id, UUID commandId, String title, String author, String publisher, int year, String isbn) {
        this(id, commandId, title, author, publisher, year, isbn, null);
    }
}
