package dev.bookstore.writer;

import dev.bookstore.db.ConstraintViolationException;
import java.util.Map;

/**
 * The {@code detail} of a command the database refused, as clients read it at {@code GET /commands/{id}}: the
 * API's field and the rule it broke, such as {@code isbn: another book has this ISBN}. Never the database's own
 * message, which names constraints, columns and SQL states (and may quote the row); that goes to the log only.
 */
final class RejectionDetails {

    /** By constraint name, as in the migrations: every rule on the rows the writers insert. */
    private static final Map<String, String> BY_CONSTRAINT = Map.ofEntries(
            Map.entry("books_isbn_key", "isbn: another book has this ISBN"),
            Map.entry("books_pkey", "bookId: another command already created this book; an Idempotency-Key was reused with another request"),
            Map.entry("books_command_id_key", "commandId: this command already created a book"),
            Map.entry("books_title_text", "title: must not be blank or contain control characters"),
            Map.entry("books_author_text", "author: must not be blank or contain control characters"),
            Map.entry("books_publisher_text", "publisher: must not be blank or contain control characters"),
            Map.entry("books_year_range", "year: must be between 1450 and 2100"),
            Map.entry("books_isbn_valid", "isbn: must be an ISBN-10 or ISBN-13 with a valid check digit"),
            Map.entry("reviews_pkey", "reviewId: another command already created this review; an Idempotency-Key was reused with another request"),
            Map.entry("reviews_book_id_fkey", "bookId: no book with this id is stored"),
            Map.entry("reviews_command_id_key", "commandId: this command already created a review"),
            Map.entry("reviews_reviewer_text", "reviewer: must not be blank or contain control characters"),
            Map.entry("reviews_rating_range", "rating: must be a whole number from 1 to 5"),
            Map.entry("reviews_text_text", "text: must not be blank or contain control characters other than line breaks and tabs"));

    /** By SQLSTATE, for the rules that have no constraint name: a column's type, length or NOT NULL. */
    private static final Map<String, String> BY_SQL_STATE = Map.of(
            "22001", "a text field is longer than its rule allows",
            "22003", "a number is out of its field's range",
            "22P02", "a field's value is not of the form the field needs",
            "22021", "a text field holds a character that cannot be stored, such as NUL",
            "23502", "a required field is missing");

    private static final String UNKNOWN_RULE = "the command breaks a rule of the stored data; quote its commandId to support";

    private RejectionDetails() {
    }

    static String of(ConstraintViolationException violation) {
        String detail = BY_CONSTRAINT.get(violation.constraint());
        if (detail == null && violation.sqlState() != null) {
            detail = BY_SQL_STATE.get(violation.sqlState());
        }
        return detail == null ? UNKNOWN_RULE : detail;
    }
}
