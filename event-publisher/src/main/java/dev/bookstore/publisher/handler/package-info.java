/** The EventPublisher function's entry point, for the writers' nudges (SQS) and the sweep (a schedule) alike. */
package dev.bookstore.publisher.handler;
