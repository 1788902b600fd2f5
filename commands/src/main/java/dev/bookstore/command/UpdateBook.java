package dev.bookstore.command;

import java.util.UUID;

/** Change some of a book's fields. */
public record UpdateBook(UUID bookId, BookPatch patch, Integer expectedVersion) implements Change {

    @Override
    public String type() {
        return UPDATE_BOOK;
    }

    @Override
    public UUID resourceId() {
        return bookId;
    }
}
