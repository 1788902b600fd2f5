package dev.bookstore.command;

import java.util.UUID;

/** Create a book. {@code isbn} is normalised (digits, and X as an ISBN-10 check digit) or null. */
public record CreateBook(UUID bookId, String title, String author, String publisher, int year, String isbn) implements Payload {

    @Override
    public String type() {
        return CREATE_BOOK;
    }

    @Override
    public UUID resourceId() {
        return bookId;
    }
}
