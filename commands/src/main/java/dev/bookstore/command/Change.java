package dev.bookstore.command;

/**
 * A command that changes or deletes a stored resource. With an {@link #expectedVersion} (the client's
 * {@code If-Match}) it applies only if the resource still has that version when the writer applies it.
 */
public sealed interface Change extends Payload permits UpdateBook, DeleteBook, UpdateReview, DeleteReview {

    /** The version the client last saw, or null when the command is unconditional. */
    Integer expectedVersion();
}
