/** Retention of the idempotency records: what is kept, for how long, and the batched deletion of the rest. */
package dev.bookstore.retention;
