package dev.bookstore.domain;

import java.util.UUID;

/** A book to insert, with the id of the command that creates it (what makes the insert idempotent). */
public record NewBook(UUID id, UUID commandId, String title, String author, String publisher, int year, String isbn) {
}
