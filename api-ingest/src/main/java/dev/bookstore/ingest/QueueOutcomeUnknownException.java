package dev.bookstore.ingest;

/**
 * At least one attempt reached SQS and its answer never came (a timeout, a connection dropped mid-exchange): SQS
 * may have stored the command. The client must be told so, with the command's id, not "nothing was queued".
 */
public final class QueueOutcomeUnknownException extends RuntimeException {

    public QueueOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
