package dev.bookstore.client;

/** An answer the contract does not allow: a status no route answers, or a body that is not what the status promises. */
public final class UnexpectedResponseException extends BookstoreException {

    private final int status;

    UnexpectedResponseException(String call, int status, String what, Throwable cause) {
        super(call + " answered " + status + ": " + what, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
