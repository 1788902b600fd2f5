/**
 * The owner of every unit of work: MyBatis sessions over a data source, one transaction or one autocommit read at a
 * time, and database errors turned into the typed exceptions that callers act on.
 */
package dev.bookstore.db;
