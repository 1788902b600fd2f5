/**
 * The one place that knows how to reach PostgreSQL: configuration read once from the environment,
 * passwords from their source, one connection per Lambda execution environment, MyBatis sessions,
 * and database errors turned into the typed exceptions that callers act on.
 */
package dev.bookstore.db;
