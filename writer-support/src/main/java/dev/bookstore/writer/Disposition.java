package dev.bookstore.writer;

/** How one message ended in this invocation. Only {@link #RETRY} and {@link #UNSUPPORTED} go back to SQS. */
public enum Disposition {
    /** Its effect and APPLIED outcome are committed. */
    APPLIED(false),
    /** Its command already had an outcome; nothing changed. */
    DUPLICATE(false),
    /** Its REJECTED outcome is committed; it can never succeed. */
    REJECTED(false),
    /** Nothing committed; SQS delivers it again after the visibility timeout. */
    RETRY(true),
    /** A type or version this build does not understand; it fails until it reaches the DLQ. */
    UNSUPPORTED(true);

    private final boolean failed;

    Disposition(boolean failed) {
        this.failed = failed;
    }

    public boolean failed() {
        return failed;
    }
}
