package dev.bookstore.replay;

/** A command queue and its DLQ: {@code books} is {@code books-commands} and {@code books-commands-dlq}. */
public record QueuePair(String name, String sourceUrl, String dlqUrl) {
}
