package dev.bookstore.domain;

import java.util.UUID;

/**
 * A command whose book or review ({@code awaitedId}) was missing when it was delivered, and how many deliveries have
 * found it so.
 */
public record Miss(UUID commandId, UUID awaitedId, int misses) {
}
