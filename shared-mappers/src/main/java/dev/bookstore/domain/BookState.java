package dev.bookstore.domain;

import java.util.UUID;

/** Whether a book is stored and whether it is a tombstone, read with a lock by the review writer. */
public record BookState(UUID id, boolean deleted) {
}
