package dev.bookstore.command;

import java.util.UUID;

/**
 * What a command asks for. Each payload names the resource it is about: a create names the id of what it creates, so
 * that id is known before it exists; a change names what it changes.
 */
public sealed interface Payload permits CreateBook, CreateReview, Change {

    String CREATE_BOOK = "CreateBook";
    String CREATE_REVIEW = "CreateReview";
    String UPDATE_BOOK = "UpdateBook";
    String DELETE_BOOK = "DeleteBook";
    String UPDATE_REVIEW = "UpdateReview";
    String DELETE_REVIEW = "DeleteReview";

    String type();

    UUID resourceId();

    /** The book this command is about: the book itself, or the book of a review. */
    UUID bookId();

    /** Whether it is about a review (it travels on the reviews queue) rather than a book (the books queue). */
    default boolean aboutReview() {
        return this instanceof CreateReview || this instanceof UpdateReview || this instanceof DeleteReview;
    }
}
