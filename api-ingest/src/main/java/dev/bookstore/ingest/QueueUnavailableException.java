package dev.bookstore.ingest;

/** SQS refused the command or did not answer in time: nothing was queued, so nothing may be accepted. */
public final class QueueUnavailableException extends RuntimeException {

    public QueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
