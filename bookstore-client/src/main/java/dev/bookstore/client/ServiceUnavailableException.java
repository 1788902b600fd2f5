package dev.bookstore.client;

import java.util.Optional;

/**
 * Every attempt failed in a way that leaves nothing behind: for a write, each was answered {@code 503} queue-unavailable
 * or {@code 429}, so the command was surely not queued and may be sent again with any key; for a read, no attempt got
 * an answer. The last problem, or the last I/O failure as the cause.
 */
public final class ServiceUnavailableException extends BookstoreException {

    private final int attempts;
    private final transient Problem lastProblem;

    ServiceUnavailableException(String call, String what, int attempts, Problem lastProblem, Throwable cause) {
        super(call + ": " + what + " after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                + (lastProblem != null ? "; last " + lastProblem : cause != null ? "; last " + cause : ""), cause);
        this.attempts = attempts;
        this.lastProblem = lastProblem;
    }

    public int attempts() {
        return attempts;
    }

    public Optional<Problem> lastProblem() {
        return Optional.ofNullable(lastProblem);
    }
}
