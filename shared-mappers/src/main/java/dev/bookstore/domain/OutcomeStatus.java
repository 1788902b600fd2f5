package dev.bookstore.domain;

/** How a command ended. A command without a recorded outcome is still pending. */
public enum OutcomeStatus {
    APPLIED,
    REJECTED
}
