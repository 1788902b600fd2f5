package dev.bookstore.client;

/** Every way a call of {@link BookstoreClient} can fail, one type per thing a caller does about it. */
public abstract sealed class BookstoreException extends RuntimeException
        permits ProblemException, ServiceUnavailableException, OutcomeUnknownException, OutcomeTimeoutException,
        UnexpectedResponseException, CallInterruptedException {

    BookstoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
