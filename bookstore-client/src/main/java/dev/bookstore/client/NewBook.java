package dev.bookstore.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A book to submit, as {@code POST /books} takes it (CreateBookRequest). The server checks the rules (lengths, the year,
 * the ISBN's check digit); the client only refuses a missing required field, which could never be valid.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewBook(String title, String author, String publisher, int year, String isbn) {

    public NewBook {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(publisher, "publisher");
    }

    /** A book without an ISBN. */
    public NewBook(String title, String author, String publisher, int year) {
        this(title, author, publisher, year, null);
    }
}
