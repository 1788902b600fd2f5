package dev.bookstore.http;

/** Ends a request with a problem: thrown where the fault is found, answered where the request is handled. No stack trace. */
public final class ProblemException extends RuntimeException {

    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
