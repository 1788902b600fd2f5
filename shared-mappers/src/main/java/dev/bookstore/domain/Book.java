package dev.bookstore.domain;

import java.time.Instant;
import java.util.UUID;

/** A stored book. {@code isbn} is null when none was given; {@code updatedAt} is null until a change is applied. */
public record Book(UUID id, String title, String author, String publisher, int year, String isbn, int version, Instant createdAt,
                   Instant updatedAt) {

    /** Where the next page starts when this book is the last one of a newest-first page. */
    public Keyset keyset() {
        return new Keyset(createdAt, id);
    }
}
