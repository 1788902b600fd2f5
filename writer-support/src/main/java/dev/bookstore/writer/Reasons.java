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

    private Reasons() {
    }
}
