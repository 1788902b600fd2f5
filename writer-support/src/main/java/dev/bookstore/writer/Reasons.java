package dev.bookstore.writer;

/** The reason codes a writer records with a {@code REJECTED} outcome; clients and operators switch on them. */
public final class Reasons {

    public static final String UNDECODABLE = "UNDECODABLE";
    public static final String INVALID_PAYLOAD = "INVALID_PAYLOAD";
    public static final String DUPLICATE_ISBN = "DUPLICATE_ISBN";
    public static final String BOOK_NOT_FOUND = "BOOK_NOT_FOUND";
    /** The review's book will never be stored: the command that would have created it was rejected. */
    public static final String BOOK_REJECTED = "BOOK_REJECTED";
    public static final String IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED";
    /** A change's review was never stored in the whole wait. */
    public static final String REVIEW_NOT_FOUND = "REVIEW_NOT_FOUND";
    /** A change's review will never be stored: the command that would have created it was rejected. */
    public static final String REVIEW_REJECTED = "REVIEW_REJECTED";
    /** The book was deleted: a deletion is final, and every later command about the book is refused. */
    public static final String BOOK_DELETED = "BOOK_DELETED";
    /** The review was withdrawn; see {@link #BOOK_DELETED}. */
    public static final String REVIEW_DELETED = "REVIEW_DELETED";
    /** The command's If-Match named another version than the one stored when it was applied. */
    public static final String VERSION_CONFLICT = "VERSION_CONFLICT";

    private Reasons() {
    }
}
