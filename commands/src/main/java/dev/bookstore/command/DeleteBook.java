package dev.bookstore.command;

import java.util.UUID;

/** Delete a book for good: it leaves a tombstone, and its reviews go from every read. */
public record DeleteBook(UUID bookId, Integer expectedVersion) implements Change {

    @Override
    public String type() {
        return DELETE_BOOK;
    }

    @Override
    public UUID resourceId() {
        return bookId;
    }
}
