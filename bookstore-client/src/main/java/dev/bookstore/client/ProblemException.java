package dev.bookstore.client;

/**
 * The API refused the request with a problem that sending it again would not change: a {@code 4xx} other than
 * {@code 429} (nothing was queued or changed), or, as the cause of an {@link OutcomeUnknownException}, a {@code 5xx} the
 * client does not retry.
 */
public final class ProblemException extends BookstoreException {

    private final transient Problem problem;

    ProblemException(String call, Problem problem) {
        super(call + " answered " + problem, null);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public int status() {
        return problem.status();
    }
}
