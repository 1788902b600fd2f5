/** Turning HTTP requests into queued commands: routing, request checks, idempotency keys, and the SQS publisher. */
package dev.bookstore.ingest;
