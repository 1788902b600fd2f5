package dev.bookstore.writer;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Sets when a returned message comes back, instead of the queue's visibility timeout: the waiting command's back-off. */
public interface Redelivery {

    /** Leaves every message to the queue's visibility timeout. */
    Redelivery NONE = delays -> Set.of();

    /**
     * Delays each message, named by its receipt handle, by its duration; returns the receipt handles it delayed. One
     * it could not delay comes back after the visibility timeout, sooner than planned: a shorter wait, never a loss.
     */
    Set<String> delay(Map<String, Duration> byReceiptHandle);
}
