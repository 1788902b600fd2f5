package dev.bookstore.command;

import java.util.UUID;

/** A valid book request before it has an id. */
public record BookDraft(String title, String author, String publisher, int year, String isbn) {

    public CreateBook withId(UUID bookId) {
        return new CreateBook(bookId, title, author, publisher, year, isbn);
    }
}
