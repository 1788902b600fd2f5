package dev.bookstore.command;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields a JSON merge patch (RFC 7396) of a book sets, validated. A null field is left as it is, except that
 * {@code removesIsbn} sets the ISBN to none; a patch sets at least one field.
 */
public record BookPatch(String title, String author, String publisher, Integer year, String isbn, boolean removesIsbn) {

    public static final List<String> FIELDS = List.of("title", "author", "publisher", "year", "isbn");

    public BookPatch {
        if (isbn != null && removesIsbn) {
            throw new IllegalArgumentException("a patch either sets the ISBN or removes it");
        }
    }

    /** The names of the fields this patch sets, in the order of {@link #FIELDS}. */
    public List<String> fields() {
        List<String> fields = new ArrayList<>();
        if (title != null) {
            fields.add("title");
        }
        if (author != null) {
            fields.add("author");
        }
        if (publisher != null) {
            fields.add("publisher");
        }
        if (year != null) {
            fields.add("year");
        }
        if (isbn != null || removesIsbn) {
            fields.add("isbn");
        }
        return fields;
    }
}
