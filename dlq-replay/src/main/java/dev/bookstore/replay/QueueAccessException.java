package dev.bookstore.replay;

/** An SQS or CloudFormation call failed; the message says which queue, which action, and AWS's error code. */
public final class QueueAccessException extends RuntimeException {

    public QueueAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
