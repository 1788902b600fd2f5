/**
 * Push: the change events the writers commit (the outbox, V8) go to the stack's EventBridge bus. {@link
 * dev.bookstore.publisher.EventPublisher} claims unpublished events, sends them with PutEvents and marks them published
 * in one transaction, so a crash between send and mark sends them again: at least once, deduplicated by eventId.
 */
package dev.bookstore.publisher;
