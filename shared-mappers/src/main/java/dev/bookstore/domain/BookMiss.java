package dev.bookstore.domain;

import java.util.UUID;

/** A review command whose book was missing when it was delivered, and how many deliveries have found it so. */
public record BookMiss(UUID commandId, UUID bookId, int misses) {
}
