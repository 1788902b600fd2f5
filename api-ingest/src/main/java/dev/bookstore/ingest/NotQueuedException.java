package dev.bookstore.ingest;

/**
 * SQS certainly does not have the command: every attempt either never reached it (the connection was refused, the
 * host unknown) or was answered with an error. Only then may a client be told that nothing was queued.
 */
public final class NotQueuedException extends RuntimeException {

    public NotQueuedException(String message, Throwable cause) {
        super(message, cause);
    }
}
