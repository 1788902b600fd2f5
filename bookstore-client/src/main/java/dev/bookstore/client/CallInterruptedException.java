package dev.bookstore.client;

/**
 * The calling thread was interrupted while the call was not yet sent, or waited between attempts; its interrupt flag is
 * set again. A write interrupted once it may have been queued ends in {@link OutcomeUnknownException} instead.
 */
public final class CallInterruptedException extends BookstoreException {

    CallInterruptedException(String call, String state, InterruptedException cause) {
        super(call + " interrupted; " + state, cause);
    }
}
